package dev.redline.pdp.server.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One of OPA's YAML compliance cases, with the fields OPA's Wasm harness reads
 * ({@code internal/wasm/sdk/test/e2e}); the others (for example {@code ignore_generated_vars})
 * it ignores, and so does this.
 *
 * @param folder the case file's folder under {@code testdata/v1}, for the report
 * @param file the case file's name
 * @param indexInFile the case's place in its file
 * @param note the globally unique name OPA's exception lists match on
 * @param input the input document, or null when the case gives none (input_term, when JSON, is read into it)
 * @param inputTerm the raw input_term text, or null
 * @param wantResult the expected bindings, or null
 * @param wantErrorCode the expected error code, or null
 * @param strictError the error shows only in strict builtin-error mode, which Wasm lacks: expect no result
 */
record ComplianceCase(String folder, String file, int indexInFile, String note, String query, List<String> modules, JsonNode data, JsonNode input,
        String inputTerm, JsonNode wantResult, String wantErrorCode, boolean wantsError, boolean sortBindings,
        boolean strictError) {

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every case under {@code root}, in the order of their notes (as OPA's harness sorts them). */
    static List<ComplianceCase> loadAll(Path root) {
        List<ComplianceCase> cases = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                JsonNode doc = YAML.readTree(file.toFile());
                String folder = root.relativize(file.getParent()).toString();
                int index = 0;
                for (JsonNode c : doc.path("cases")) {
                    cases.add(of(folder, file.getFileName().toString(), index++, c));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read OPA's compliance cases under " + root, e);
        }
        cases.sort(Comparator.comparing(ComplianceCase::note));
        return cases;
    }

    private static ComplianceCase of(String folder, String file, int index, JsonNode c) {
        List<String> modules = new ArrayList<>();
        c.path("modules").forEach(m -> modules.add(m.asText()));
        String inputTerm = c.hasNonNull("input_term") ? c.get("input_term").asText() : null;
        JsonNode input = c.hasNonNull("input") ? c.get("input") : null;
        if (inputTerm != null) {
            // OPA's term syntax allows a trailing comma; JSON does not, and means the same without it
            input = parseJsonOrNull(inputTerm.replaceAll(",(\\s*[}\\]])", "$1"));
        }
        return new ComplianceCase(folder, file, index, c.path("note").asText(), c.path("query").asText(), List.copyOf(modules),
                c.get("data"), input, inputTerm, c.get("want_result"),
                c.hasNonNull("want_error_code") ? c.get("want_error_code").asText() : null,
                c.has("want_error_code") || c.has("want_error"), c.path("sort_bindings").asBoolean(false),
                c.path("strict_error").asBoolean(false));
    }

    private static JsonNode parseJsonOrNull(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    /** An input_term that is Rego but not JSON (a set, a non-string key) cannot be sent as a decision input. */
    boolean inputIsSendable() {
        return inputTerm == null || input != null;
    }

    /** The variable names the query binds, as the expected result names them. */
    List<String> boundVariables() {
        List<String> names = new ArrayList<>();
        if (wantResult != null) {
            for (JsonNode bindings : wantResult) {
                bindings.fieldNames().forEachRemaining(n -> {
                    if (!names.contains(n)) {
                        names.add(n);
                    }
                });
            }
        }
        return names;
    }

    /** Unique where notes are not (a file may repeat a note; OPA's harness then numbers the subtests). */
    String key() {
        return folder + "/" + file + "#" + indexInFile + " " + note;
    }

    /** The Rego text of the case, to tell which builtins it may call. */
    String source() {
        return query + "\n" + String.join("\n", modules);
    }
}
