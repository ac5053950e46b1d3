package dev.redline.pdp.server.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Bundles signed by the pinned opa CLI ({@code opa build -b -t wasm --signing-key ...}), and
 * surgery on their archives for the tampering cases.
 *
 * <p>Each bundle holds {@code sig.rego} (entrypoint {@value #ENTRYPOINT}, deciding
 * {@code {"allow": true, "release": data.sig.release}}) and {@code data.json} with the release,
 * and has the manifest revision {@code sig-<release>}.
 */
public final class SignedBundles {
    public static final String ENTRYPOINT = "sig/decision";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SignedBundles() {}

    /** An unsigned bundle of {@code release}. */
    public static Path unsigned(Path dir, String release) throws IOException, InterruptedException {
        return opaBuild(dir, release, releaseData(release), List.of());
    }

    /**
     * A bundle of {@code release} signed by opa with {@code signingKey} (a private key PEM file,
     * or for HS* the secret file) and {@code algorithm}, claiming key id {@code keyId}.
     */
    public static Path signed(Path dir, String release, Path signingKey, String algorithm, String keyId)
            throws IOException, InterruptedException {
        return signed(dir, release, releaseData(release), signingKey, algorithm, keyId);
    }

    /** As {@link #signed(Path, String, Path, String, String)}, with {@code dataJson} as the bundle's data.json. */
    public static Path signed(Path dir, String release, String dataJson, Path signingKey, String algorithm, String keyId)
            throws IOException, InterruptedException {
        Path claims = Files.createDirectories(dir).resolve("claims.json");
        Files.writeString(claims, "{\"keyid\": \"" + keyId + "\"}", StandardCharsets.UTF_8);
        Path bundle = opaBuild(dir, release, dataJson, List.of("--signing-key", signingKey.toString(), "--signing-alg",
                algorithm, "--claims-file", claims.toString()));
        JWSObject jws = signature(Files.readAllBytes(bundle));
        String signedKeyId = jws.getHeader().getKeyID() != null ? jws.getHeader().getKeyID()
                : String.valueOf(jws.getPayload().toJSONObject().get("keyid"));
        if (!signedKeyId.equals(keyId) || !jws.getHeader().getAlgorithm().getName().equals(algorithm)) {
            throw new IllegalStateException("opa signed " + bundle + " as " + jws.getHeader().getAlgorithm()
                    + " under key id " + signedKeyId + ", not " + algorithm + " under " + keyId);
        }
        return bundle;
    }

    /** The data.json every bundle here holds unless a test gives its own: just the release. */
    public static String releaseData(String release) {
        return "{\"sig\": {\"release\": \"" + release + "\"}}\n";
    }

    private static Path opaBuild(Path dir, String release, String dataJson, List<String> signingArgs)
            throws IOException, InterruptedException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("sig.rego"),
                "package sig\n\ndecision := {\"allow\": true, \"release\": data.sig.release}\n", StandardCharsets.UTF_8);
        Files.writeString(src.resolve("data.json"), dataJson, StandardCharsets.UTF_8);
        Path out = dir.resolve("bundle.tar.gz");
        List<String> command = new ArrayList<>(List.of(OpaBundles.opa().toString(), "build", "-b", "-t", "wasm",
                "-e", ENTRYPOINT, "--revision", "sig-" + release));
        command.addAll(signingArgs);
        command.addAll(List.of("-o", out.toString(), "."));
        // Built from inside the source directory, so the bundle's paths are data.json, sig.rego, ...
        Process process = new ProcessBuilder(command).directory(src.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("opa build failed: " + String.join(" ", command) + "\n" + output);
        }
        return out;
    }

    /** The one JWS of a bundle's {@code .signatures.json}. */
    public static JWSObject signature(byte[] archive) throws IOException {
        byte[] signatures = files(archive).get(".signatures.json");
        if (signatures == null) {
            throw new IllegalStateException("the bundle has no .signatures.json");
        }
        try {
            return JWSObject.parse(JSON.readTree(signatures).path("signatures").get(0).textValue());
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("malformed JWS in .signatures.json", e);
        }
    }

    /** The regular files of a tar.gz bundle, in archive order, by path without the leading "/". */
    public static Map<String, byte[]> files(byte[] archive) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        TestArchives.read(archive).forEach((name, content) -> files.put(name.replaceFirst("^/", ""), content));
        return files;
    }

    /** Packs files (path → content) into a tar.gz, with the leading "/" opa writes. */
    public static byte[] archive(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry("/" + file.getKey());
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** The bundle with {@code path} replaced by (or added as) {@code content}; .signatures.json is kept. */
    public static byte[] withFile(Path bundle, String path, byte[] content) throws IOException {
        Map<String, byte[]> files = files(Files.readAllBytes(bundle));
        files.put(path, content);
        return archive(files);
    }

    /** The bundle without {@code path}; .signatures.json is kept. */
    public static byte[] withoutFile(Path bundle, String path) throws IOException {
        Map<String, byte[]> files = files(Files.readAllBytes(bundle));
        if (files.remove(path) == null) {
            throw new IllegalStateException(bundle + " has no " + path + "; it has " + files.keySet());
        }
        return archive(files);
    }
}
