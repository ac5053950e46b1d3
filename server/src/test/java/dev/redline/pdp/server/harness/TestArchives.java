package dev.redline.pdp.server.harness;

import dev.redline.pdp.server.bundle.TarGz;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Hand-made bundle archives, for the malformed and hostile ones opa would never build. */
public final class TestArchives {
    private TestArchives() {}

    /** A tar.gz of regular files (name → content). */
    public static byte[] of(Map<String, byte[]> files) throws IOException {
        TarGz archive = new TarGz();
        for (var file : files.entrySet()) {
            archive.file(file.getKey(), file.getValue());
        }
        return archive.build();
    }

    /** The regular files of a tar.gz, by entry name as stored (e.g. "/policy.wasm"), in archive order. */
    public static Map<String, byte[]> read(byte[] archive) throws IOException {
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
    public static byte[] withSymlink(String name, String target) throws IOException {
        return new TarGz().symlink(name, target).build();
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
