package dev.redline.pdp.server.engine.builtins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.redline.pdp.server.tls.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** crypto.x509.* and crypto.parse_private_keys: the input forms and refusals OPA's Go code decides. */
class X509BuiltinsTest {
    private static final TestCertificates.Issued LEAF = TestCertificates.authority("Unit CA")
            .issue("CN=unit.example", Duration.ofDays(1), "dns:unit.example");

    private static JsonNode call(String builtin, String... operands) {
        JsonNode[] ops = new JsonNode[operands.length];
        for (int i = 0; i < ops.length; i++) {
            ops[i] = Operands.text(operands[i]);
        }
        return HostBuiltins.body(builtin).apply(ops);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"foobar,4", "a=bc,1", "YW*=,2"})
    void base64IsGoStrict(String text, int badByte) {
        BuiltinError e = assertThrows(BuiltinError.class, () -> X509Builtins.goBase64("b", text));
        assertEquals("b: illegal base64 data at input byte " + badByte, e.getMessage());
    }

    @Test
    void base64IgnoresLineBreaks() {
        assertArrayEquals("badstring".getBytes(StandardCharsets.UTF_8), X509Builtins.goBase64("b", "YmFk\r\nc3RyaW5n"));
    }

    @Test
    void pemSkipsAMalformedBlockAndReturnsWhatFollows() {
        GoPem.Decoded d = GoPem.decode("-----BEGIN X-----\nAA==\n-----END Y-----\n-----BEGIN Z-----\nAQI=\n-----END Z-----\ntail");
        assertEquals("Z", d.block().type());
        assertArrayEquals(new byte[] {1, 2}, d.block().bytes());
        assertEquals("tail", d.rest());
    }

    @Test
    void parsesCertificatesFromPemBase64OfPemAndBase64OfDer() throws Exception {
        String pem = LEAF.chainPem();
        String der = java.util.Base64.getEncoder().encodeToString(LEAF.certificate().getEncoded());
        for (String input : new String[] {pem, java.util.Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8)), der}) {
            assertEquals("unit.example", call("crypto.x509.parse_certificates", input).get(0).path("Subject").path("CommonName").textValue());
        }
    }

    @Test
    void refusesPemBlocksOtherThanCertificates() {
        BuiltinError e = assertThrows(BuiltinError.class, () -> call("crypto.x509.parse_certificates", LEAF.keyPem()));
        assertEquals("crypto.x509.parse_certificates: PEM block type is 'PRIVATE KEY', expected CERTIFICATE", e.getMessage());
    }

    @Test
    void verifiesRootFirstButNotLeafFirstNorASingleCertificate() {
        String root = LEAF.issuer().certificatePem();
        String leaf = LEAF.chainPem().substring(0, LEAF.chainPem().length() - root.length());
        assertEquals(true, call("crypto.x509.parse_and_verify_certificates", root + leaf).get(0).booleanValue());
        assertEquals("[false,[]]", Json.write(call("crypto.x509.parse_and_verify_certificates", leaf + root)));
        assertEquals("[false,[]]", Json.write(call("crypto.x509.parse_and_verify_certificates", leaf)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"UNIT.example.,true", "x.unit.example,false", "127.0.0.1,false"})
    void verifyingWithOptionsChecksTheLeafNamesTheHost(String host, boolean valid) {
        String root = LEAF.issuer().certificatePem();
        String leaf = LEAF.chainPem().substring(0, LEAF.chainPem().length() - root.length());
        JsonNode[] ops = {Operands.text(root + leaf), Operands.NODES.objectNode().put("DNSName", host)};
        JsonNode result = HostBuiltins.body("crypto.x509.parse_and_verify_certificates_with_options").apply(ops);
        assertEquals(valid, result.get(0).booleanValue());
    }

    @Test
    void verifyingWithOptionsRefusesUnknownKeyUsages() {
        JsonNode options = Operands.NODES.objectNode().set("KeyUsages", Operands.array().add("KeyUsageNope").add("KeyUsageAny"));
        BuiltinError e = assertThrows(BuiltinError.class, () -> HostBuiltins.body(
                "crypto.x509.parse_and_verify_certificates_with_options").apply(new JsonNode[] {Operands.text(LEAF.chainPem()), options}));
        assertEquals("crypto.x509.parse_and_verify_certificates_with_options: invalid entries for 'KeyUsages' found: [KeyUsageNope]",
                e.getMessage());
    }

    @Test
    void keyPairRefusesAKeyOfAnotherCertificate() {
        String otherKey = TestCertificates.authority("Other CA").issue("CN=o", Duration.ofDays(1)).keyPem();
        BuiltinError e = assertThrows(BuiltinError.class, () -> call("crypto.x509.parse_keypair", LEAF.chainPem(), otherKey));
        assertEquals("crypto.x509.parse_keypair: tls: private key does not match public key", e.getMessage());
    }

    @Test
    void privateKeysOfNothingIsNullAndOfTextWithoutKeysEmpty() {
        assertEquals("null", Json.write(call("crypto.parse_private_keys", "")));
        assertEquals("[]", Json.write(call("crypto.parse_private_keys", "nope")));
        assertEquals(1, call("crypto.parse_private_keys", LEAF.keyPem()).size());
    }

    @Test
    void rsaPrivateKeyOfEmptyInputIsAnErrorAndOfPemWithoutKeysNull() {
        BuiltinError e = assertThrows(BuiltinError.class, () -> call("crypto.x509.parse_rsa_private_key", ""));
        assertEquals("crypto.x509.parse_rsa_private_key: input PEM data was empty", e.getMessage());
        assertEquals("null", Json.write(call("crypto.x509.parse_rsa_private_key", LEAF.issuer().certificatePem())));
    }

    @Test
    void certificateRequestRefusesAPemBlockOfAnotherType() {
        // a broken request block first: Go's PEM reader skips it and finds the certificate
        String input = "-----BEGIN CERTIFICATE REQUEST-----\n" + LEAF.chainPem();
        BuiltinError e = assertThrows(BuiltinError.class, () -> call("crypto.x509.parse_certificate_request", input));
        assertEquals("crypto.x509.parse_certificate_request: invalid PEM-encoded certificate signing request", e.getMessage());
    }
}
