package io.repostream.bridge;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the bytes of request bodies held in memory across all deliveries in flight, on every event
 * loop. Bodies are buffered whole before their signature can be checked, so without a bound a few
 * dozen unsigned bodies near GitHub's 25 MB limit exhaust the heap. A body declared with {@code
 * Content-Length} reserves its length before a byte is read (a refusal then costs no reading); a
 * chunked body reserves as it grows. What a delivery reserved is given back when it is answered or
 * its connection closes.
 */
final class BodyBudget {
    private final long limit;
    private final AtomicLong reserved = new AtomicLong();

    BodyBudget(long limit) {
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    /** Bytes reserved right now. */
    long reserved() {
        return reserved.get();
    }

    private boolean tryReserve(long bytes) {
        while (true) {
            long now = reserved.get();
            if (now + bytes > limit) {
                return false;
            }
            if (reserved.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    private void release(long bytes) {
        reserved.addAndGet(-bytes);
    }

    /** One delivery's body; used on its connection's event loop only. */
    Body body(long declaredLength) {
        return new Body(declaredLength);
    }

    /**
     * A body in one array: of its declared length, allocated at its first byte; or, chunked,
     * doubling as it grows (the old and the new array both count while one is copied).
     */
    final class Body {
        private static final int FIRST_CAPACITY = 16 * 1024;

        private final long declared;
        private long held; // bytes reserved in the budget
        private byte[] bytes = new byte[0];
        private int length;
        private boolean released;

        private Body(long declared) {
            this.declared = declared;
        }

        /**
         * Reserves the declared length up front.
         *
         * @return false when the budget cannot hold it (nothing is then reserved)
         */
        boolean admit() {
            if (declared <= 0) {
                return true;
            }
            if (!tryReserve(declared)) {
                return false;
            }
            held = declared;
            return true;
        }

        int length() {
            return length;
        }

        /**
         * Appends {@code chunk}.
         *
         * @return false when the budget cannot hold the larger body
         */
        boolean append(io.vertx.core.buffer.Buffer chunk) {
            int needed = length + chunk.length();
            if (needed > bytes.length) {
                // A declared length is reserved already: one array of that size, never copied.
                long capacity =
                        declared > 0 && needed <= declared
                                ? declared
                                : Math.max(needed, Math.max(FIRST_CAPACITY, 2L * bytes.length));
                if (capacity > Integer.MAX_VALUE - 8) {
                    return false;
                }
                // The old and the new array are both alive while copying.
                long extra = bytes.length + capacity - held;
                if (extra > 0) {
                    if (!tryReserve(extra)) {
                        return false;
                    }
                    held += extra;
                }
                bytes = Arrays.copyOf(bytes, (int) capacity);
                long keep = Math.max(capacity, declared);
                if (held > keep) {
                    BodyBudget.this.release(held - keep);
                    held = keep;
                }
            }
            chunk.getBytes(0, chunk.length(), bytes, length);
            length = needed;
            return true;
        }

        /** The body's bytes (the array itself when it is full, as with a declared length). */
        byte[] bytes() {
            return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        }

        /** Gives the reservation back; again is harmless. */
        void release() {
            if (!released) {
                released = true;
                BodyBudget.this.release(held);
                held = 0;
                bytes = null;
            }
        }
    }
}
