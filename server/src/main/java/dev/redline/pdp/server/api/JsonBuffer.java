package dev.redline.pdp.server.api;

/**
 * A growable byte buffer that input JSON is written into. One per request thread and reused, so
 * converting an input costs no allocation once the buffer has grown to the usual size.
 */
final class JsonBuffer {
    private byte[] bytes;
    private int length;

    JsonBuffer(int initialCapacity) {
        this.bytes = new byte[initialCapacity];
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    void reset() {
        length = 0;
    }

    void put(byte b) {
        if (length == bytes.length) {
            grow(1);
        }
        bytes[length++] = b;
    }

    void put(byte[] source, int offset, int count) {
        ensure(count);
        System.arraycopy(source, offset, bytes, length, count);
        length += count;
    }

    void put(com.google.protobuf.ByteString source) {
        ensure(source.size());
        source.copyTo(bytes, length);
        length += source.size();
    }

    /** Drops bytes {@code from} (inclusive) to {@code to} (exclusive), moving the rest up in place. */
    void cut(int from, int to) {
        System.arraycopy(bytes, to, bytes, from, length - to);
        length -= to - from;
    }

    /** Keeps only the first {@code length} bytes. */
    void truncate(int length) {
        this.length = length;
    }

    void ensure(int more) {
        if (length + more > bytes.length) {
            grow(more);
        }
    }

    /** Appends a position already reserved by {@link #ensure(int)}. */
    void putUnchecked(byte b) {
        bytes[length++] = b;
    }

    private void grow(int more) {
        int capacity = Math.max(bytes.length * 2, length + more);
        bytes = java.util.Arrays.copyOf(bytes, capacity);
    }
}
