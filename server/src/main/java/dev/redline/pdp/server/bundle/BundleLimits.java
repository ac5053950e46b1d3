package dev.redline.pdp.server.bundle;

/**
 * Bounds on what a bundle archive may hold, enforced while it is read so that a hostile archive
 * (a gzip bomb, a million tiny files) is refused before it fills memory.
 *
 * @param maxArchiveBytes size of the compressed archive
 * @param maxExpandedBytes sum of all entry sizes once decompressed
 * @param maxFileBytes size of any single entry
 * @param maxFiles number of entries
 */
public record BundleLimits(long maxArchiveBytes, long maxExpandedBytes, long maxFileBytes, int maxFiles) {

    public static BundleLimits defaults() {
        return new BundleLimits(64L << 20, 256L << 20, 128L << 20, 10_000);
    }
}
