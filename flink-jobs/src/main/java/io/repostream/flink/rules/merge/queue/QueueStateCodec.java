package io.repostream.flink.rules.merge.queue;

import io.repostream.flink.rules.ci.FailureClass;
import io.repostream.flink.rules.merge.queue.QueueState.CandidateEntry;
import io.repostream.flink.rules.merge.queue.QueueState.CheckEntry;
import io.repostream.flink.rules.merge.queue.QueueState.Phase;
import io.repostream.flink.rules.merge.queue.QueueState.PullEntry;
import io.repostream.flink.rules.merge.queue.QueueState.PullStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@link QueueState} as compact bytes for keyed state: a version byte, then fields in a fixed
 * order; a SHA as its 20 bytes, enums as their ordinal (append new values only). A later version
 * reads the older ones and fills new fields with defaults.
 */
public final class QueueStateCodec {
    static final int VERSION = 1;
    private static final HexFormat HEX = HexFormat.of();

    private QueueStateCodec() {}

    public static byte[] write(QueueState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeSha(out, state.baseSha());
            writeText(out, state.pauseReason());
            out.writeBoolean(state.pausedByTimeout());
            out.writeLong(state.nextCandidate());
            out.writeLong(state.nextSeq());
            out.writeInt(state.nextGroup());
            out.writeInt(state.pulls().size());
            for (PullEntry p : state.pulls()) {
                out.writeInt(p.number());
                writeSha(out, p.headSha());
                out.writeBoolean(p.emergency());
                out.writeByte(p.status().ordinal());
                out.writeBoolean(p.held());
                out.writeLong(p.eligibleAt());
                out.writeLong(p.seq());
                out.writeInt(p.group());
                out.writeBoolean(p.suspect());
                out.writeInt(p.suspectAfter());
            }
            out.writeInt(state.candidates().size());
            for (CandidateEntry c : state.candidates()) {
                out.writeLong(c.number());
                out.writeInt(c.group());
                out.writeByte(c.phase().ordinal());
                out.writeInt(c.pulls().size());
                for (int pull : c.pulls()) {
                    out.writeInt(pull);
                }
                out.writeInt(c.next());
                writeSha(out, c.parentSha());
                writeSha(out, c.sha());
                out.writeLong(c.since());
                out.writeBoolean(c.rerun());
                out.writeBoolean(c.timedOut());
                out.writeBoolean(c.buildRef());
                out.writeBoolean(c.queueRef());
                writeText(out, c.pendingKey());
                writeText(out, c.failure());
                out.writeInt(c.checks().size());
                for (CheckEntry check : c.checks()) {
                    out.writeUTF(check.name());
                    out.writeBoolean(check.success());
                    out.writeByte(
                            check.failureClass() == null ? -1 : check.failureClass().ordinal());
                    out.writeLong(check.runId());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static QueueState read(byte[] data) {
        if (data == null) {
            return QueueState.empty();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalStateException(
                        "merge queue state of version " + version + ", this reads " + VERSION);
            }
            String baseSha = readSha(in);
            String pauseReason = readText(in);
            boolean pausedByTimeout = in.readBoolean();
            long nextCandidate = in.readLong();
            long nextSeq = in.readLong();
            int nextGroup = in.readInt();
            int pullCount = in.readInt();
            List<PullEntry> pulls = new ArrayList<>(pullCount);
            for (int i = 0; i < pullCount; i++) {
                pulls.add(
                        new PullEntry(
                                in.readInt(),
                                readSha(in),
                                in.readBoolean(),
                                PullStatus.values()[in.readUnsignedByte()],
                                in.readBoolean(),
                                in.readLong(),
                                in.readLong(),
                                in.readInt(),
                                in.readBoolean(),
                                in.readInt()));
            }
            int candidateCount = in.readInt();
            List<CandidateEntry> candidates = new ArrayList<>(candidateCount);
            for (int i = 0; i < candidateCount; i++) {
                long number = in.readLong();
                int group = in.readInt();
                Phase phase = Phase.values()[in.readUnsignedByte()];
                int size = in.readInt();
                List<Integer> members = new ArrayList<>(size);
                for (int j = 0; j < size; j++) {
                    members.add(in.readInt());
                }
                int next = in.readInt();
                String parentSha = readSha(in);
                String sha = readSha(in);
                long since = in.readLong();
                boolean rerun = in.readBoolean();
                boolean timedOut = in.readBoolean();
                boolean buildRef = in.readBoolean();
                boolean queueRef = in.readBoolean();
                String pendingKey = readText(in);
                String failure = readText(in);
                int checkCount = in.readInt();
                List<CheckEntry> checks = new ArrayList<>(checkCount);
                for (int j = 0; j < checkCount; j++) {
                    String name = in.readUTF();
                    boolean success = in.readBoolean();
                    byte cls = in.readByte();
                    checks.add(
                            new CheckEntry(
                                    name,
                                    success,
                                    cls < 0 ? null : FailureClass.values()[cls],
                                    in.readLong()));
                }
                candidates.add(
                        new CandidateEntry(
                                number,
                                group,
                                phase,
                                members,
                                next,
                                parentSha,
                                sha,
                                since,
                                rerun,
                                timedOut,
                                buildRef,
                                queueRef,
                                pendingKey,
                                failure,
                                checks));
            }
            return new QueueState(
                    baseSha,
                    pauseReason,
                    pausedByTimeout,
                    nextCandidate,
                    nextSeq,
                    nextGroup,
                    pulls,
                    candidates);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 40-hex SHA as 20 bytes; anything else (or null) as text, behind a marker byte. */
    private static void writeSha(DataOutputStream out, String sha) throws IOException {
        if (sha != null && sha.length() == 40 && sha.matches("[0-9a-f]{40}")) {
            out.writeByte(1);
            out.write(HEX.parseHex(sha));
        } else {
            out.writeByte(sha == null ? 0 : 2);
            if (sha != null) {
                out.writeUTF(sha);
            }
        }
    }

    private static String readSha(DataInputStream in) throws IOException {
        int marker = in.readUnsignedByte();
        if (marker == 0) {
            return null;
        }
        if (marker == 2) {
            return in.readUTF();
        }
        byte[] raw = new byte[20];
        in.readFully(raw);
        return HEX.formatHex(raw);
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) {
            out.writeUTF(text);
        }
    }

    private static String readText(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
