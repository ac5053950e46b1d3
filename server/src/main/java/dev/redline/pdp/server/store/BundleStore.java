package dev.redline.pdp.server.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.redline.pdp.server.bundle.BundleDigest;
import dev.redline.pdp.server.files.DurableFiles;
import dev.redline.pdp.server.files.OwnerOnly;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Accepted bundles on disk, content-addressed, and the choice of the active one.
 *
 * <pre>
 * DIR/bundles/&lt;hex&gt;.tar.gz   the archive, named by its SHA-256
 * DIR/bundles/&lt;hex&gt;.json     its {@link StoredBundle} record
 * DIR/active.json              the {@link ActiveChoice}
 * DIR/shadow.json              the {@link ShadowChoice}, while a bundle is shadowed
 * </pre>
 *
 * <p>Every file is written whole to a temporary name, forced to disk, and renamed over its final
 * name (then the directory is forced), so a crash at any instant leaves either the old or the
 * new file, never a torn one. A bundle is stored before it can become active, so the active
 * choice always names a complete bundle.
 */
public final class BundleStore {
    private static final String ACTIVE = "active.json";
    private static final String SHADOW = "shadow.json";

    private final Path root;
    private final Path bundles;
    private final ObjectMapper json;

    public BundleStore(Path root) throws StoreException {
        this.root = root;
        this.bundles = root.resolve("bundles");
        this.json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        try {
            OwnerOnly.createDirectories(bundles);
            removeLeftovers();
        } catch (IOException e) {
            throw new StoreException("bundle store " + root + " cannot be created: " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    /** Stores a bundle (idempotent: the same archive is stored once). */
    public void put(byte[] archive, StoredBundle record) throws StoreException {
        String hex = hex(record.digest());
        try {
            Path archivePath = bundles.resolve(hex + ".tar.gz");
            if (!Files.exists(archivePath)) {
                DurableFiles.writeAtomically(archivePath, archive);
            }
            DurableFiles.writeAtomically(bundles.resolve(hex + ".json"), json.writeValueAsBytes(record));
        } catch (IOException e) {
            throw new StoreException("bundle " + record.digest() + " cannot be stored in " + bundles + ": "
                    + e.getMessage(), e);
        }
    }

    public Optional<StoredBundle> get(String digest) throws StoreException {
        Path path = bundles.resolve(hex(digest) + ".json");
        try {
            return Optional.of(json.readValue(path.toFile(), StoredBundle.class));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("bundle record " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    public byte[] archive(String digest) throws StoreException {
        Path path = bundles.resolve(hex(digest) + ".tar.gz");
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new StoreException("bundle archive " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Every stored bundle, most recently pushed first. */
    public List<StoredBundle> list() throws StoreException {
        List<StoredBundle> all = new ArrayList<>();
        try (DirectoryStream<Path> records = Files.newDirectoryStream(bundles, "*.json")) {
            for (Path record : records) {
                all.add(json.readValue(record.toFile(), StoredBundle.class));
            }
        } catch (IOException e) {
            throw new StoreException("bundle store " + bundles + " cannot be listed: " + e.getMessage(), e);
        }
        all.sort(Comparator.comparing(StoredBundle::pushedAt).reversed().thenComparing(StoredBundle::digest));
        return all;
    }

    public Optional<ActiveChoice> active() throws StoreException {
        return readChoice(ACTIVE, ActiveChoice.class, "active choice");
    }

    private <T> Optional<T> readChoice(String file, Class<T> type, String what) throws StoreException {
        Path path = root.resolve(file);
        try {
            return Optional.of(json.readValue(path.toFile(), type));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException(what + " " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    public void setActive(ActiveChoice choice) throws StoreException {
        try {
            DurableFiles.writeAtomically(root.resolve(ACTIVE), json.writeValueAsBytes(choice));
        } catch (IOException e) {
            throw new StoreException("active choice cannot be written to " + root.resolve(ACTIVE) + ": "
                    + e.getMessage(), e);
        }
    }

    /** The bundle shadowing the active one, if any. */
    public Optional<ShadowChoice> shadow() throws StoreException {
        return readChoice(SHADOW, ShadowChoice.class, "shadow choice");
    }

    /** Remembers the shadowed bundle, or ({@code empty}) that none is. */
    public void setShadow(Optional<ShadowChoice> choice) throws StoreException {
        Path path = root.resolve(SHADOW);
        try {
            if (choice.isPresent()) {
                DurableFiles.writeAtomically(path, json.writeValueAsBytes(choice.get()));
            } else {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new StoreException("shadow choice cannot be written to " + path + ": " + e.getMessage(), e);
        }
    }

    /** Deletes every stored bundle whose digest is not in {@code kept}; returns the digests deleted. */
    public List<String> retainOnly(Set<String> kept) throws StoreException {
        List<String> deleted = new ArrayList<>();
        for (StoredBundle bundle : list()) {
            String digest = bundle.digest();
            if (kept.contains(digest)) {
                continue;
            }
            try {
                // The record goes first: a bundle without a record is invisible and removed as a leftover.
                Files.deleteIfExists(bundles.resolve(hex(digest) + ".json"));
                Files.deleteIfExists(bundles.resolve(hex(digest) + ".tar.gz"));
            } catch (IOException e) {
                throw new StoreException("bundle " + digest + " cannot be deleted: " + e.getMessage(), e);
            }
            deleted.add(digest);
        }
        return deleted;
    }

    /** Temporary files of an interrupted write, and archives whose record was never written. */
    private void removeLeftovers() throws IOException {
        DurableFiles.deleteTemporaries(root);
        DurableFiles.deleteTemporaries(bundles);
        try (DirectoryStream<Path> archives = Files.newDirectoryStream(bundles, "*.tar.gz")) {
            for (Path archive : archives) {
                String hex = archive.getFileName().toString().replace(".tar.gz", "");
                if (!Files.exists(bundles.resolve(hex + ".json"))) {
                    Files.deleteIfExists(archive);
                }
            }
        }
    }

    private static String hex(String digest) {
        return BundleDigest.parse(digest).hex();
    }
}
