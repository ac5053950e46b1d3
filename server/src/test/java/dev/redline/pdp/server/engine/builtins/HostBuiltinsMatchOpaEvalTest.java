package dev.redline.pdp.server.engine.builtins;

import dev.redline.pdp.server.harness.OpaBundles;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The host builtins answer as the pinned {@code opa eval} does, for the calls where Go's own
 * formatting and parsing rules decide the answer. Every call is evaluated by opa once, in one run.
 */
class HostBuiltinsMatchOpaEvalTest {
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
                List.of("json.marshal_with_options", "{\"b\": [], \"a\": {1, 2}}", "{\"pretty\": false}"));
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

    /** opa eval answers in JSON, where a set is an array. */
    private static JsonNode arrayOf(JsonNode set) {
        var array = Json.MAPPER.createArrayNode();
        set.forEach(array::add);
        return array;
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
            assertEquals(0, RegoOrder.INSTANCE.compare(opa, ours instanceof SetNode ? arrayOf(ours) : ours), message);
        }
    }
}
