package dev.redline.pdp.server.compliance;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds bundles of many compliance cases with the pinned {@code opa build -t wasm}, one
 * entrypoint per case, and keeps each archive (or opa's refusal) under a hash of its sources so
 * that a run with the same sources and opa reuses it.
 */
final class CaseBundles {
    /** A case made ready for a shared bundle: its Rego under its own namespace and its query as a rule. */
    record Wrapped(int id, ComplianceCase source, Map<String, String> files, String entrypoint, boolean alone) {}

    /** An archive, or opa's output when it refused to build one. */
    record Build(byte[] archive, String error) {
        boolean failed() {
            return archive == null;
        }
    }

    static final String RESULT_RULE = "wrapped_result_set";

    private final Path opa;
    private final String opaVersion;
    private final Path cacheDir;
    private final Path workDir;
    private final ObjectMapper json = new ObjectMapper();

    CaseBundles(Path opa, String opaVersion, Path cacheDir, Path workDir) {
        this.opa = opa;
        this.opaVersion = opaVersion;
        this.cacheDir = cacheDir;
        this.workDir = workDir;
    }

    /**
     * The case's modules under {@code case_<id>}, its data at {@code data.case_<id>}, and its
     * query as the body of a partial set rule in {@code query_<id>} (a root of its own, so a query
     * reading all of {@code data} sees only the case's) whose members are the query's bindings.
     */
    Wrapped wrap(int id, ComplianceCase c) throws IOException {
        String namespace = "case_" + id;
        // rule metadata names the rule's path: a case that reads it gets a bundle of its own, unprefixed
        boolean alone = c.source().contains("rego.metadata");
        RegoPrefixer prefixer = alone ? null : new RegoPrefixer(namespace);
        Map<String, String> files = new LinkedHashMap<>();
        for (int m = 0; m < c.modules().size(); m++) {
            files.put(namespace + "/module_" + m + ".rego",
                    alone ? c.modules().get(m) : prefixer.rewrite(c.modules().get(m)));
        }
        if (c.data() != null && !c.data().isNull()) {
            files.put(alone ? "data.json" : namespace + "/data.json", json.writeValueAsString(c.data()));
        }
        StringBuilder head = new StringBuilder("{");
        List<String> vars = c.boundVariables();
        for (int v = 0; v < vars.size(); v++) {
            head.append(v == 0 ? "" : ", ").append('"').append(vars.get(v)).append("\": ").append(vars.get(v));
        }
        head.append('}');
        String query = "package query_" + id + "\n\n" + RESULT_RULE + " contains " + head + " if {\n"
                + (alone ? c.query() : prefixer.rewrite(c.query())) + "\n}\n";
        files.put("query_" + id + ".rego", query);
        return new Wrapped(id, c, files, "query_" + id + "/" + RESULT_RULE, alone);
    }

    Build build(List<Wrapped> cases) throws IOException, InterruptedException {
        String key = key(cases);
        Path archive = cacheDir.resolve(key + ".tar.gz");
        Path refusal = cacheDir.resolve(key + ".error");
        if (Files.isRegularFile(archive)) {
            return new Build(Files.readAllBytes(archive), null);
        }
        if (Files.isRegularFile(refusal)) {
            return new Build(null, Files.readString(refusal));
        }
        Path dir = Files.createTempDirectory(workDir, "batch-");
        Path src = dir.resolve("src");
        List<String> command = new ArrayList<>(List.of(opa.toString(), "build", "-t", "wasm"));
        for (Wrapped c : cases) {
            for (var file : c.files().entrySet()) {
                Path path = src.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
            }
            command.add("-e");
            command.add(c.entrypoint());
        }
        Path out = dir.resolve("bundle.tar.gz");
        command.addAll(List.of("-o", out.toString(), src.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Files.createDirectories(cacheDir);
        try {
            if (process.waitFor() != 0) {
                Files.writeString(refusal, output);
                return new Build(null, output);
            }
            Files.move(out, archive);
            return new Build(Files.readAllBytes(archive), null);
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private String key(List<Wrapped> cases) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(opaVersion.getBytes(StandardCharsets.UTF_8));
            for (Wrapped c : cases) {
                sha.update(("\0" + c.entrypoint()).getBytes(StandardCharsets.UTF_8));
                for (var file : c.files().entrySet()) {
                    sha.update(("\0" + file.getKey() + "\0" + file.getValue()).getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The case ids opa's error output names (it names the files it could not compile). */
    static List<Integer> idsNamedIn(String output, List<Wrapped> among) {
        List<Integer> ids = new ArrayList<>();
        for (Wrapped c : among) {
            if (output.contains("/case_" + c.id() + "/") || output.contains("/query_" + c.id() + ".rego")
                    || output.contains("query_" + c.id() + "/")) {
                ids.add(c.id());
            }
        }
        return ids;
    }

    static Optional<Wrapped> byId(List<Wrapped> cases, int id) {
        return cases.stream().filter(c -> c.id() == id).findFirst();
    }
}
