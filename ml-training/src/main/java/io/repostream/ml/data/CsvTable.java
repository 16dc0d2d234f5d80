package io.repostream.ml.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV file (RFC 4180: comma separated, double-quoted fields may hold commas, quotes and line
 * breaks) read into memory with the line number each record starts on, so later errors can point at
 * it.
 */
public final class CsvTable {
    /** One data record: its cells and the 1-based line it starts on. */
    public record Row(long line, String[] cells) {}

    private final String file;
    private final List<String> header;
    private final Map<String, Integer> index;
    private final List<Row> rows;

    private CsvTable(String file, List<String> header, List<Row> rows) {
        this.file = file;
        this.header = List.copyOf(header);
        this.rows = List.copyOf(rows);
        this.index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            if (index.putIfAbsent(header.get(i), i) != null) {
                throw new DataFormatException(
                        file, 1, header.get(i), "the header names this column twice");
            }
        }
    }

    public static CsvTable read(Path path) {
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return parse(path.toString(), in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    public static CsvTable parse(String file, Reader in) throws IOException {
        RecordReader reader = new RecordReader(file, in);
        RecordReader.Record head = reader.next();
        if (head == null) {
            throw new DataFormatException(file, 0, null, "the file is empty (no header line)");
        }
        List<String> header = new ArrayList<>();
        for (String name : head.cells()) {
            header.add(name.strip());
        }
        List<Row> rows = new ArrayList<>();
        for (RecordReader.Record r = reader.next(); r != null; r = reader.next()) {
            if (r.cells().size() == 1 && r.cells().get(0).isEmpty()) {
                continue; // blank line
            }
            if (r.cells().size() != header.size()) {
                String column =
                        r.cells().size() > header.size()
                                ? "#" + (header.size() + 1)
                                : header.get(r.cells().size());
                throw new DataFormatException(
                        file,
                        r.line(),
                        column,
                        "expected "
                                + header.size()
                                + " fields as in the header, found "
                                + r.cells().size());
            }
            rows.add(new Row(r.line(), r.cells().toArray(String[]::new)));
        }
        return new CsvTable(file, header, rows);
    }

    public String file() {
        return file;
    }

    public List<String> header() {
        return header;
    }

    public List<Row> rows() {
        return rows;
    }

    public boolean hasColumn(String name) {
        return index.containsKey(name);
    }

    /** The position of a column, or a clear error naming the file and the columns it does have. */
    public int column(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new DataFormatException(
                    file, 1, name, "no such column in the header; columns are " + header);
        }
        return i;
    }

    /** Splits records, keeping quoted commas and line breaks inside their field. */
    private static final class RecordReader {
        record Record(long line, List<String> cells) {}

        private final String file;
        private final Reader in;
        private long line = 1;
        private int pushedBack = -2;

        RecordReader(String file, Reader in) {
            this.file = file;
            this.in = in;
        }

        private int read() throws IOException {
            if (pushedBack != -2) {
                int c = pushedBack;
                pushedBack = -2;
                return c;
            }
            return in.read();
        }

        Record next() throws IOException {
            int c = read();
            if (c == -1) {
                return null;
            }
            long start = line;
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            while (true) {
                if (quoted) {
                    if (c == -1) {
                        throw new DataFormatException(
                                file,
                                start,
                                "#" + (cells.size() + 1),
                                "a quoted field is never closed");
                    }
                    if (c == '"') {
                        int n = read();
                        if (n == '"') {
                            cell.append('"');
                        } else {
                            quoted = false;
                            pushedBack = n;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        cell.append((char) c);
                    }
                } else if (c == '"' && cell.isEmpty() && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                } else if (c == ',') {
                    cells.add(cell.toString());
                    cell.setLength(0);
                    wasQuoted = false;
                } else if (c == '\n' || c == -1) {
                    if (c == '\n') {
                        line++;
                    }
                    cells.add(cell.toString());
                    return new Record(start, cells);
                } else if (c == '\r') {
                    int n = read();
                    if (n != '\n') {
                        pushedBack = n;
                    }
                    line++;
                    cells.add(cell.toString());
                    return new Record(start, cells);
                } else if (wasQuoted) {
                    throw new DataFormatException(
                            file,
                            start,
                            "#" + (cells.size() + 1),
                            "unexpected character '" + (char) c + "' after a closing quote");
                } else {
                    cell.append((char) c);
                }
                c = read();
            }
        }
    }
}
