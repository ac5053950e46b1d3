package dev.redline.pdp.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Hand-made bundle archives, for the malformed and hostile ones opa would never build. */
final class TestArchives {
    private TestArchives() {}

    /** A tar.gz of regular files (name → content). */
    static byte[] of(Map<String, byte[]> files) throws IOException {
        Builder archive = new Builder();
        for (var file : files.entrySet()) {
            archive.file(file.getKey(), file.getValue());
        }
        return archive.build();
    }

    /** The regular files of a tar.gz, by entry name as stored (e.g. "/policy.wasm"), in archive order. */
    static Map<String, byte[]> read(byte[] archive) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new GzipCompressorInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isFile()) {
                    files.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        return files;
    }

    /** A tar.gz holding one symbolic link. */
    static byte[] withSymlink(String name, String target) throws IOException {
        return new Builder().link(name, target, TarConstants.LF_SYMLINK).build();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Builds a tar.gz entry by entry, in order and exactly as written. */
    static final class Builder {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar;

        Builder() throws IOException {
            tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes));
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        }

        Builder file(String name, byte[] content) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
            return this;
        }

        /** A regular file of {@code size} zero bytes, streamed so the test never holds it in memory. */
        Builder zeros(String name, long size) throws IOException {
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

        /** A symbolic ({@link TarConstants#LF_SYMLINK}) or hard ({@link TarConstants#LF_LINK}) link. */
        Builder link(String name, String target, byte kind) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name, kind, true);
            entry.setLinkName(target);
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
            return this;
        }

        /** An entry of a special kind (character or block device, FIFO), without content. */
        Builder special(String name, byte kind) throws IOException {
            tar.putArchiveEntry(new TarArchiveEntry(name, kind, true));
            tar.closeArchiveEntry();
            return this;
        }

        byte[] build() throws IOException {
            tar.close();
            return bytes.toByteArray();
        }
    }
}
