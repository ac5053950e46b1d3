package dev.redline.pdp.server.bundle;

/**
 * Bounds on what a bundle archive may hold, enforced while it is read so that a hostile archive
 * (a gzip bomb, a million tiny files) is refused before it fills memory.
 *
 * @param maxArchiveBytes size of the compressed archive (also bounds a push and a poll download)
 * @param maxExpandedBytes sum of all entry sizes once decompressed
 * @param maxFileBytes size of any single entry
 * @param maxFiles number of entries
 */
public record BundleLimits(long maxArchiveBytes, long maxExpandedBytes, long maxFileBytes, int maxFiles) {
    public static final long DEFAULT_MAX_ARCHIVE_BYTES = 64L << 20;
    public static final long DEFAULT_MAX_EXPANDED_BYTES = 256L << 20;
    public static final long DEFAULT_MAX_FILE_BYTES = 128L << 20;
    public static final int DEFAULT_MAX_FILES = 10_000;

    public BundleLimits {
        positive("max-bundle-bytes", maxArchiveBytes);
        positive("max-bundle-expanded-bytes", maxExpandedBytes);
        positive("max-bundle-file-bytes", maxFileBytes);
        positive("max-bundle-files", maxFiles);
        // The archive is held in one byte array (a push is assembled, a poll is read, in memory).
        if (maxArchiveBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("max-bundle-bytes must be below 2 GiB, got " + maxArchiveBytes);
        }
    }

    public static BundleLimits defaults() {
        return new BundleLimits(DEFAULT_MAX_ARCHIVE_BYTES, DEFAULT_MAX_EXPANDED_BYTES, DEFAULT_MAX_FILE_BYTES,
                DEFAULT_MAX_FILES);
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
