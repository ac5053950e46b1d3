package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.harness.SignedBundles;
import dev.redline.pdp.server.harness.SigningKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A bundle whose data.json the real opa signed verifies, whatever JSON forms its data uses: OPA
 * hashes JSON files over its canonical encoding (numbers exactly as written, keys in UTF-8 byte
 * order, strings escaped as Go's encoder escapes them), and so must the PDP.
 */
class OpaSignedDataHashTest {
    private static final String KEY_ID = "ci-hmac";

    @TempDir
    static Path work;

    private static SigningKeys.SigningKey key;
    private static BundleReader reader;

    @BeforeAll
    static void makeKey() throws Exception {
        key = SigningKeys.hmacSecret(work.resolve("keys"), KEY_ID);
        reader = new BundleReader(new ObjectMapper(), BundleLimits.defaults(),
                new SignaturePolicy(true, Map.of(KEY_ID, key.verificationKey(KEY_ID))));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1.0", "1e2", "1E2", "1e+2", "1E-2", "-0", "-0.0", "0.0000001", "1.5e-7", "1.5E-07",
            "100", "0.1e1", "1.50", "12345678901234567890", "-98765432109876543210",
            "123456789012345678901234567890.5", "1.5e300", "-2.5e-300", "1e400", "4.9e-324"})
    void verifiesOpaSignedDataHoldingTheNumber(String number) throws Exception {
        assertVerifies("{\"sig\": {\"release\": \"v\", \"n\": [" + number + ", {\"x\": " + number + "}]}}");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\\b", "\\f", "\\ud83d", "\\ude00x", "\\u0000", "\\u001f", "\\u007f", "<a href=\\\"x\\\">&amp;</a>",
            "\\u2028\\u2029", "\\/", "é", "\\u00e9", "😀", "\\ud83d\\ude00", "\\ufffd"})
    void verifiesOpaSignedDataHoldingTheString(String escaped) throws Exception {
        assertVerifies("{\"sig\": {\"release\": \"v\", \"s\": \"" + escaped + "\", \"" + escaped + "\": 1}}");
    }

    /** U+FF21 sorts after U+1F600 in UTF-16 code units but before it in UTF-8 bytes, Go's order. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"\uff21\": 1, \"😀\": 2}", "{\"😀\": 2, \"\uff21\": 1}",
            "{\"b\": 1, \"a\": 2, \"B\": 3, \"\": 4, \"ab\": 5}"})
    void verifiesOpaSignedDataWhoseKeysSortDifferentlyInUtf16(String object) throws Exception {
        assertVerifies("{\"sig\": {\"release\": \"v\", \"o\": " + object + "}}");
    }

    /** OPA hashes only files named data.json or .manifest canonically; any other JSON file as raw bytes. */
    @Test
    void verifiesAnOpaSignedBundleHoldingAnotherJsonFileAsWritten() throws Exception {
        Path dir = Files.createTempDirectory(work, "signed");
        Path tree = Files.createDirectories(dir.resolve("tree"));
        SignedBundles.files(Files.readAllBytes(SignedBundles.unsigned(dir, "v"))).forEach((path, content) -> {
            write(tree.resolve(path), content);
        });
        write(tree.resolve("extra/info.json"), "{ \"b\": 1,  \"a\": 2.0 }\n".getBytes(StandardCharsets.UTF_8));
        Process sign = new ProcessBuilder(OpaBundles.opa().toString(), "sign", "--signing-key",
                key.signingKey().toString(), "--signing-alg", "HS256", "--claims-file", claims(dir).toString(),
                "--bundle", ".").directory(tree.toFile()).redirectErrorStream(true).start();
        String output = new String(sign.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, sign.waitFor(), output);
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (var walk = Files.walk(tree)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(tree.relativize(file).toString(), Files.readAllBytes(file));
            }
        }

        Bundle read = reader.read("signed.tar.gz", SignedBundles.archive(files));

        assertEquals(KEY_ID, read.signedBy());
    }

    private static Path claims(Path dir) throws IOException {
        return Files.writeString(dir.resolve("claims.json"), "{\"keyid\": \"" + KEY_ID + "\"}");
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertVerifies(String dataJson) throws Exception {
        Path bundle = SignedBundles.signed(Files.createTempDirectory(work, "bundle"), "v", dataJson,
                key.signingKey(), "HS256", KEY_ID);

        Bundle read = reader.read("signed.tar.gz", Files.readAllBytes(bundle));

        assertEquals(KEY_ID, read.signedBy());
    }
}
