package dev.redline.pdp.server.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Builds a tar.gz entry by entry, in order and exactly as written: the malformed and hostile
 * bundle archives opa would never build (links, devices, oversized or zero-filled entries).
 */
public final class TarGz {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    public TarGz() throws IOException {
        tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes));
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    public TarGz file(String name, String content) throws IOException {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public TarGz file(String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
        return this;
    }

    /** A regular file of {@code size} zero bytes, streamed so the test never holds it in memory. */
    public TarGz zeros(String name, long size) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
        entry.setSize(size);
        tar.putArchiveEntry(entry);
        byte[] chunk = new byte[64 * 1024];
        for (long left = size; left > 0; left -= chunk.length) {
            tar.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
        tar.closeArchiveEntry();
        return this;
    }

    public TarGz directory(String name) throws IOException {
        tar.putArchiveEntry(new TarArchiveEntry(name, TarConstants.LF_DIR, true));
        tar.closeArchiveEntry();
        return this;
    }

    public TarGz symlink(String name, String target) throws IOException {
        return link(name, target, TarConstants.LF_SYMLINK);
    }

    public TarGz hardLink(String name, String target) throws IOException {
        return link(name, target, TarConstants.LF_LINK);
    }

    private TarGz link(String name, String target, byte kind) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, kind, true);
        entry.setLinkName(target);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
        return this;
    }

    /** An entry of a special kind (character or block device, FIFO), without content. */
    public TarGz special(String name, byte kind) throws IOException {
        tar.putArchiveEntry(new TarArchiveEntry(name, kind, true));
        tar.closeArchiveEntry();
        return this;
    }

    public byte[] build() throws IOException {
        tar.close();
        return bytes.toByteArray();
    }
}
