package dev.redline.pdp.server.engine.builtins;

import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.tls.TestCertificates;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The host builtins answer as the pinned {@code opa eval} does, for the calls where Go's own
 * formatting and parsing rules decide the answer. Every call is evaluated by opa once, in one run.
 */
class HostBuiltinsMatchOpaEvalTest {
    /** A token opa signed with HS256 and the secret "secret": aud [a, b], iss pdp, nbf 1000, exp 2000. */
    private static final String HS256_TOKEN = "\"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOlsiYSIsImIiXSwiZXhwIjoyMDAwLCJpc3MiOi"
            + "JwZHAiLCJuYmYiOjEwMDAsInN1YiI6IngifQ.46gLlHxkulAm2Gov7G1b2iQDy4V9RlrAK5nBMpQxPIs\"";

    /** A CA and a leaf with DNS, IP and URI names, made once for the run, for the crypto.x509 calls. */
    private static final TestCertificates.Issued LEAF = TestCertificates.authority("Builtins Test CA")
            .issue("CN=leaf.example,OU=Tests,O=Example,C=GB", Duration.ofDays(1),
                    "dns:leaf.example", "ip:127.0.0.1", "ip:2001:db8::1", "uri:spiffe://example.com/opa?x=1");
    private static final KeyPair RSA = rsaKeys();

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM text of an object BouncyCastle writes (a PKCS#1 key for an RSA private key, a CSR). */
    private static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static String csrPem() {
        try {
            return pem(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=csr.example,O=Example,L=Town"),
                    RSA.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(RSA.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Rego string literal. */
    private static String quoted(String text) {
        try {
            return Json.MAPPER.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String CHAIN = quoted(LEAF.chainPem());
    private static final String ROOT_FIRST = quoted(LEAF.issuer().certificatePem() + pem(LEAF.certificate()));
    private static final String LEAF_KEY = quoted(LEAF.keyPem());
    private static final String RSA_KEY = quoted(pem(RSA.getPrivate()));
    private static final String CSR = quoted(csrPem());
    private static final String WITH_OPTIONS = "crypto.x509.parse_and_verify_certificates_with_options";
    private static final String AWS_CONFIG = "{\"aws_access_key\": \"AKID\", \"aws_secret_access_key\": \"SECRET\","
            + " \"aws_region\": \"eu-west-1\", \"aws_service\": \"execute-api\", \"aws_session_token\": \"TOKEN\"}";

    /** Builtin name, then its operands as Rego terms. */
    static List<List<String>> calls() {
        return List.of(
                List.of("sprintf", "\"hi %v\"", "[[\"there\", 5, 3.14]]"),
                List.of("sprintf", "\"%v\"", "[{\"b\": 1, \"a\": {2, 1}}]"),
                List.of("sprintf", "\"hi %v\"", "[2e308]"),
                List.of("sprintf", "\"%v|%v|%v\"", "[1.0, 1000000.0, 0.00001]"),
                List.of("sprintf", "\"%.2f|%5d|%-4s|%x|%e|%g\"", "[3.14159, 42, \"ab\", 255, 1234.5, 0.000012]"),
                List.of("sprintf", "\"%d %s\"", "[1.5, 2]"),
                List.of("sprintf", "\"%d\"", "[1, 2]"),
                List.of("sprintf", "\"%d %d\"", "[1]"),
                List.of("sprintf", "\"%v\"", "[0.0]"),
                List.of("yaml.marshal", "{\"b\": [1, 2], \"a\": {\"c\": \"x\"}}"),
                List.of("yaml.is_valid", "\"a: 1\\n---\\n\\tb: 2\\n\""),
                List.of("yaml.is_valid", "\"  test:\\ntest1: hello\\n\""),
                List.of("yaml.is_valid", "\"a: 1\\n---\\nb: 2\\n\""),
                List.of("yaml.unmarshal", "\"[1,2,3\""),
                List.of("units.parse", "\"1.5Ki\""),
                List.of("units.parse", "\"10m\""),
                List.of("units.parse_bytes", "\"1.5KiB\""),
                List.of("time.add_date", "1580515200000000000", "0", "1", "0"),
                List.of("time.diff", "1580515200000000000", "1643673600123000000"),
                List.of("time.weekday", "[1580515200000000000, \"America/New_York\"]"),
                List.of("time.parse_duration_ns", "\"1h30m1.5s\""),
                List.of("time.parse_duration_ns", "\"1d\""),
                List.of("net.cidr_merge", "[\"192.168.1.1\", \"10.0.0.1\", \"172.16.0.0/24\", \"172.16.1.0/24\"]"),
                List.of("net.cidr_expand", "\"::ffff:1.2.3.4/127\""),
                List.of("net.cidr_is_valid", "\"010.0.0.0/8\""),
                List.of("object.subset", "[1, 2, 3]", "{1, 2}"),
                List.of("numbers.range_step", "10", "1", "3"),
                List.of("strings.count", "\"aaaa\"", "\"aa\""),
                List.of("indexof_n", "\"aaaa\"", "\"aa\""),
                List.of("glob.quote_meta", "\"*.{a,b}[x]?\\\\\""),
                List.of("urlquery.encode", "\"a b*~&=\""),
                List.of("urlquery.encode_object", "{\"b\": [\"2\", \"1\"], \"a\": \"x y\"}"),
                List.of("urlquery.decode_object", "\"a=1&b=2&a=3&c\""),
                List.of("semver.compare", "\"1.0.0-alpha.1\"", "\"1.0.0-alpha.beta\""),
                List.of("semver.is_valid", "\"v1.2.3\""),
                List.of("semver.is_valid", "\"01.2.3\""),
                List.of("regex.replace", "\"abc-def\"", "\"(?P<first>[a-z]+)-([a-z]+)\"", "\"$2.${first}.$1x.$$\""),
                List.of("regex.split", "\"a*\"", "\"baaac\""),
                List.of("regex.find_n", "\"a*\"", "\"baaac\"", "-1"),
                List.of("regex.split", "\",\"", "\"a,b,,c,\""),
                List.of("strings.split_n", "\"a,b,c,d\"", "\",\"", "-2"),
                List.of("strings.split_n", "\"abc\"", "\"\"", "2"),
                List.of("json.marshal_with_options", "{\"b\": [1, {}], \"a\": \"<&>\"}", "{\"prefix\": \"--\", \"indent\": \" \"}"),
                List.of("json.marshal_with_options", "{\"b\": [], \"a\": {1, 2}}", "{\"pretty\": false}"),
                List.of("io.jwt.encode_sign", "{\"typ\": \"JWT\", \"alg\": \"HS256\"}",
                        "{\"sub\": \"x\", \"aud\": {\"b\", \"a\"}, \"exp\": 2000}", "{\"kty\": \"oct\", \"k\": \"c2VjcmV0\"}"),
                List.of("io.jwt.decode", HS256_TOKEN),
                List.of("io.jwt.verify_hs256", HS256_TOKEN, "\"secret\""),
                List.of("io.jwt.decode_verify", HS256_TOKEN, "{\"secret\": \"secret\", \"aud\": \"b\", \"iss\": \"pdp\", \"time\": 1500e9}"),
                List.of("io.jwt.decode_verify", HS256_TOKEN, "{\"secret\": \"secret\", \"aud\": \"b\", \"time\": 2000e9}"),
                List.of("io.jwt.decode_verify", HS256_TOKEN, "{\"secret\": \"secret\", \"time\": 1500e9}"),
                List.of("io.jwt.decode_verify", HS256_TOKEN, "{\"secret\": \"secret\", \"cert\": \"{}\"}"),
                List.of("uri.parse", "\"HTTPS://user:pw@[fe80::1%25en0]:8443/a%2Fb/c%20d?x=1&y#fr%41g\""),
                List.of("uri.parse", "\"http://a b.com/\""),
                List.of("uri.parse", "\"//host:12/p\""),
                List.of("uri.is_valid", "\"http://[1.2.3.4]/\""),
                List.of("uri.is_valid", "\"1a:b\""),
                List.of("uuid.parse", "\"urn:uuid:c232ab00-9414-11ec-b3c8-9f6bdeced846\""),
                List.of("uuid.parse", "\"00000000-0000-4000-c000-00000000000g\""),
                List.of("time.format", "[1670006453141828752, \"America/New_York\", \"Monday January _2 3:4:5.000 pm MST 06 Z07:00:00\"]"),
                List.of("time.format", "[1670006453100000000, \"UTC\", \"2006-01-02T15:04:05.999Z07:00 MST\"]"),
                List.of("time.parse_ns", "\"Jan _2 2006 3:04PM -07:00\"", "\"dec  3 2022 1:05am +05:30\""),
                List.of("time.parse_ns", "\"2006-01-02 15:04:05.000\"", "\"2022-12-03 00:10:53.1\""),
                List.of("time.parse_ns", "\"2006-01-02\"", "\"2021-02-29\""),
                List.of("regex.template_match", "\"urn:a.b:{[0-9]+}:<x>\"", "\"urn:a.b:42:<x>\"", "\"{\"", "\"}\""),
                List.of("regex.template_match", "\"urn:a.b:{[0-9]+}\"", "\"urn:aXb:42\"", "\"{\"", "\"}\""),
                List.of("regex.template_match", "\"urn:{a{b}\"", "\"urn:ab\"", "\"{\"", "\"}\""),
                List.of("graph.reachable_paths", "{\"a\": [\"b\", \"c\"], \"b\": {\"a\"}, \"c\": [\"z\"]}", "[\"a\", \"q\"]"),
                List.of("json.patch", "{\"a\": [1, 2], \"s\": {\"x\"}, \"o\": {\"k/~\": 1}}",
                        "[{\"op\": \"add\", \"path\": \"/a/1\", \"value\": 9}, {\"op\": \"add\", \"path\": \"/a/-\", \"value\": 3},"
                        + " {\"op\": \"add\", \"path\": [\"s\", \"y\"], \"value\": \"y\"}, {\"op\": \"move\", \"from\": \"/o/k~1~0\", \"path\": \"/m\"},"
                        + " {\"op\": \"test\", \"path\": \"/m\", \"value\": 1.0}, {\"op\": \"copy\", \"from\": \"/a\", \"path\": \"/b\"}]"),
                List.of("json.patch", "{\"a\": [1]}", "[{\"op\": \"remove\", \"path\": \"/a/01\"}]"),
                List.of("json.patch", "{\"s\": {\"x\"}}", "[{\"op\": \"add\", \"path\": \"/s/y\", \"value\": \"z\"}]"),
                List.of("json.match_schema", "{\"n\": 1.5}", "{\"properties\": {\"n\": {\"type\": [\"integer\", \"string\"], \"minimum\": 2}}}"),
                List.of("json.match_schema", "{\"o\": {}}", "{\"properties\": {\"o\": {\"required\": [\"z\"]}}}"),
                List.of("json.match_schema", "{\"a\": 1, \"b\": 2}", "{\"properties\": {\"a\": {}}, \"additionalProperties\": false}"),
                List.of("json.match_schema", "{\"t\": [\"a\", \"a\"]}", "{\"properties\": {\"t\": {\"uniqueItems\": true}}}"),
                List.of("json.match_schema", "{\"t\": [1, 2]}", "{\"properties\": {\"t\": {\"maxItems\": 1}}}"),
                List.of("json.match_schema", "{\"id\": \"x\"}", "{\"properties\": {\"id\": {\"enum\": [\"a\", 1]}}}"),
                List.of("json.match_schema", "{\"c\": 2}", "{\"properties\": {\"c\": {\"const\": 3}}}"),
                List.of("json.match_schema", "{\"c\": 2}", "{\"properties\": {\"c\": {\"multipleOf\": 5}}}"),
                List.of("json.match_schema", "{\"c\": 2}", "{\"properties\": {\"c\": {\"exclusiveMaximum\": 1}}}"),
                List.of("json.match_schema", "{\"s\": \"abc\"}", "{\"properties\": {\"s\": {\"minLength\": 5}}}"),
                List.of("json.match_schema", "{\"s\": \"abc\"}", "{\"properties\": {\"s\": {\"pattern\": \"^x\"}}}"),
                List.of("json.match_schema", "{\"l\": [1, \"x\"]}", "{\"properties\": {\"l\": {\"items\": {\"type\": \"integer\"}}}}"),
                List.of("json.match_schema", "\"{\\\"id\\\": 5}\"", "\"{\\\"required\\\": [\\\"q\\\"]}\""),
                List.of("json.match_schema", "{\"id\": 5}", "{\"type\": \"unknown\"}"),
                List.of("json.verify_schema", "{\"minLength\": -1}"),
                List.of("json.verify_schema", "{\"minimum\": \"x\"}"),
                List.of("json.verify_schema", "{\"type\": [\"string\", \"string\"]}"),
                List.of("json.verify_schema", "{\"properties\": {\"a\": {\"type\": \"strin\"}}}"),
                List.of("json.verify_schema", "\"{\""),
                List.of("json.verify_schema", "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}}"),
                List.of("json.match_schema", "{\"e\": \"nope\"}", "{\"properties\": {\"e\": {\"format\": \"email\"}}}"),
                List.of("json.match_schema", "{\"d\": \"2020-13-01\"}", "{\"properties\": {\"d\": {\"format\": \"date-time\"}}}"),
                List.of("json.match_schema", "{\"i\": \"1.2.3\"}", "{\"properties\": {\"i\": {\"format\": \"ipv4\"}}}"),
                List.of("json.match_schema", "{\"u\": \"x\"}", "{\"properties\": {\"u\": {\"format\": \"uuid\"}}}"),
                List.of("json.match_schema", "{\"ok\": \"a@b.co\", \"t\": \"2020-01-01T00:00:00Z\"}", "{\"properties\": {\"ok\": {\"format\": \"email\"}, \"t\": {\"format\": \"date-time\"}}}"),
                List.of("json.match_schema", "{\"a\": 1}", "{\"$schema\": \"http://json-schema.org/draft-04/schema#\", \"properties\": {\"a\": {\"type\": \"string\"}}}"),
                List.of("json.match_schema", "{\"a\": 1}", "{\"properties\": {\"a\": false}}"),
                List.of("json.match_schema", "{\"l\": [1, 2, 3]}", "{\"properties\": {\"l\": {\"items\": [{\"type\": \"integer\"}], \"additionalItems\": false}}}"),
                List.of("json.match_schema", "{\"a\": 1}", "{\"not\": {\"required\": [\"a\"]}}"),
                List.of("json.match_schema", "{\"a\": 1}", "{\"oneOf\": [{\"required\": [\"a\"]}, {\"type\": \"object\"}]}"),
                List.of("json.match_schema", "{\"a\": 1}", "{\"dependencies\": {\"a\": [\"b\"]}}"),
                List.of("json.match_schema", "{\"x\": 1}", "{\"minProperties\": 2}"),
                List.of("json.match_schema", "{\"a\": {\"n\": \"x\"}}", "{\"definitions\": {\"num\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"integer\"}}}}, \"properties\": {\"a\": {\"$ref\": \"#/definitions/num\"}}}"),
                List.of("strings.render_template", "\"{{.a}}|{{.b}}|{{.c}}|{{.d}}|{{.e}}|{{.f}}|{{.n}}|{{.m.x}}|{{.z.q}}\"", "{\"a\": [1, \"x\", [true, null]], \"b\": {\"k\": 1.5, \"a\": {\"z\": \"y\"}}, \"c\": 1e3, \"d\": 12345678901234567890, \"e\": null, \"f\": false, \"n\": 0.1, \"m\": {\"x\": \"mx\"}}"),
                List.of("strings.render_template", "\"{{range $k, $v := .o}}{{$k}}={{$v}};{{else}}none{{end}}{{range .l}}[{{.}}]{{end}}{{range .empty}}x{{else}}E{{end}}\"", "{\"o\": {\"b\": 2, \"a\": 1}, \"l\": [\"p\", \"q\"], \"empty\": []}"),
                List.of("strings.render_template", "\"{{if .t}}T{{else if .u}}U{{else}}F{{end}} {{with .w}}{{.x}}{{end}} {{- .s -}} ! {{/* c */}}{{len .l}} {{index .l 1}} {{if eq .s \\\"S\\\"}}eq{{end}} {{$x := .s}}{{$x}}\"", "{\"t\": false, \"u\": 1, \"w\": {\"x\": \"WX\"}, \"s\": \"S\", \"l\": [1, 2]}"),
                List.of("strings.render_template", "\"{{.e.x}}\"", "{\"e\": null}"),
                List.of("strings.render_template", "\"{{.s.x}}\"", "{\"s\": \"str\"}"),
                List.of("strings.render_template", "\"a <no value> {{.q}}\"", "{}"),
                List.of("strings.render_template", "\"{{.l | len}} {{if and .t (not .u)}}yes{{end}} {{index .m \\\"k\\\" | len}} {{or .u .t}} {{(len .l)}} {{if (eq .s \\\"S\\\" \\\"T\\\")}}in{{end}}\"", "{\"l\": [1, 2, 3], \"t\": true, \"u\": false, \"m\": {\"k\": \"abcd\"}, \"s\": \"T\"}"),
                List.of("regex.globs_match", "\"a*b+\"", "\"a+b\""),
                List.of("regex.globs_match", "\"[a-c]+x\"", "\"b*.x\""),
                List.of("regex.globs_match", "\"a.c\"", "\"abd\""),
                List.of("regex.globs_match", "\"\"", "\"\""),
                List.of("regex.globs_match", "\"ab*\"", "\"a\""),
                List.of("regex.globs_match", "\"\\\\.x\"", "\"ax\""),
                List.of("regex.globs_match", "\"a+a*b\"", "\"ab\""),
                List.of("regex.globs_match", "\"a.*z\"", "\"abz*\""),
                List.of("regex.globs_match", "\"a.a.[0-9]+z\"", "\".b.b2359825792*594823z\""),
                List.of("regex.globs_match", "\"[a-z]+\"", "\"[0-9]*\""),
                List.of("crypto.x509.parse_certificates", CHAIN),
                List.of("crypto.x509.parse_and_verify_certificates", ROOT_FIRST),
                List.of("crypto.x509.parse_and_verify_certificates", CHAIN),
                List.of(WITH_OPTIONS, ROOT_FIRST, "{\"DNSName\": \"LEAF.example.\", \"KeyUsages\": [\"KeyUsageServerAuth\"]}"),
                List.of(WITH_OPTIONS, ROOT_FIRST, "{\"DNSName\": \"2001:db8::1\", \"KeyUsages\": {\"KeyUsageClientAuth\"}}"),
                List.of(WITH_OPTIONS, ROOT_FIRST, "{\"DNSName\": \"other.example\"}"),
                List.of(WITH_OPTIONS, ROOT_FIRST, "{\"CurrentTime\": 4102444800000000000}"),
                List.of(WITH_OPTIONS, ROOT_FIRST, "{\"KeyUsages\": [\"KeyUsageNope\"]}"),
                List.of("crypto.x509.parse_keypair", CHAIN, LEAF_KEY),
                List.of("crypto.x509.parse_keypair", CHAIN, RSA_KEY),
                List.of("crypto.x509.parse_certificate_request", CSR),
                List.of("crypto.parse_private_keys", quoted(LEAF.keyPem() + pem(RSA.getPrivate()))),
                List.of("crypto.x509.parse_rsa_private_key", LEAF_KEY),
                List.of("crypto.x509.parse_rsa_private_key", RSA_KEY),
                List.of("providers.aws.sign_req", "{\"method\": \"POST\", \"url\": \"https://api.example.com/a%20b/c%2Fd?x=1&y=%41\","
                        + " \"headers\": {\"User-Agent\": \"t\", \"Content-Type\": \"application/json\", \"n\": 1},"
                        + " \"body\": {\"b\": \"<&>\", \"a\": {2, 1}}}", AWS_CONFIG, "1700000000123456789"),
                List.of("providers.aws.sign_req", "{\"method\": \"get\", \"url\": \"http://example.com/\", \"cache\": true}",
                        AWS_CONFIG, "-1"),
                List.of("providers.aws.sign_req", "{\"method\": \"get\", \"url\": \"http://example.com/\", \"other\": 1}",
                        AWS_CONFIG, "0"));
    }

    private static final Map<String, JsonNode> OPA_ANSWERS = new LinkedHashMap<>();

    @BeforeAll
    static void askOpaOnce(@TempDir Path dir) throws Exception {
        StringBuilder module = new StringBuilder("package calls\n\n");
        List<List<String>> calls = calls();
        for (int i = 0; i < calls.size(); i++) {
            List<String> c = calls.get(i);
            module.append("c").append(i).append(" := ").append(c.get(0)).append('(')
                    .append(String.join(", ", c.subList(1, c.size()))).append(")\n");
        }
        Path file = dir.resolve("calls.rego");
        Files.writeString(file, module.toString(), StandardCharsets.UTF_8);
        Process opa = new ProcessBuilder(OpaBundles.opa().toString(), "eval", "-f", "json", "-d", file.toString(),
                "data.calls").redirectErrorStream(true).start();
        String out = new String(opa.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, opa.waitFor(), out);
        JsonNode value = Json.MAPPER.readTree(out).path("result").path(0).path("expressions").path(0).path("value");
        value.fields().forEachRemaining(f -> OPA_ANSWERS.put(f.getKey(), f.getValue()));
    }

    /** opa eval answers in JSON, where a set, at any depth, is an array. */
    private static JsonNode asJson(JsonNode v) {
        if (v.isArray()) {
            var array = Json.MAPPER.createArrayNode();
            v.forEach(item -> array.add(asJson(item)));
            return array;
        }
        if (v.isObject()) {
            var object = Json.MAPPER.createObjectNode();
            v.fields().forEachRemaining(f -> object.set(f.getKey(), asJson(f.getValue())));
            return object;
        }
        return v;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void answersAsOpaEvalDoes(List<String> call) {
        int index = calls().indexOf(call);
        JsonNode[] operands = call.subList(1, call.size()).stream()
                .map(t -> ValueText.parse(t.getBytes(StandardCharsets.UTF_8)))
                .toArray(JsonNode[]::new);
        JsonNode ours;
        try {
            ours = HostBuiltins.body(call.get(0)).apply(operands);
        } catch (BuiltinError e) {
            ours = null; // undefined, as opa eval leaves the rule
        }
        JsonNode opa = OPA_ANSWERS.get("c" + index);
        String message = "opa: " + (opa == null ? "undefined" : Json.write(opa)) + ", ours: "
                + (ours == null ? "undefined" : Json.write(ours));
        if (opa == null || ours == null) {
            assertEquals(opa == null, ours == null, message);
        } else {
            assertEquals(0, RegoOrder.INSTANCE.compare(opa, asJson(ours)), message);
        }
    }
}
