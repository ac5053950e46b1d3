package dev.redline.pdp.server.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads an OPA bundle ({@code opa build -t wasm} output: a gzipped tar holding {@code .manifest},
 * {@code policy.wasm}, data files and Rego sources) and checks it is safe and complete.
 *
 * <p>Every refusal names the entry and the rule it broke. Rego sources are carried for
 * reference only; the PDP evaluates {@code policy.wasm}.
 */
public final class BundleReader {
    private static final String WASM_ENTRY = "policy.wasm";
    private static final String MANIFEST_ENTRY = ".manifest";
    private static final String WARMUP_DIR = "warmup/";

    private final ObjectMapper json;
    private final BundleLimits limits;
    private final SignatureVerifier signatures;

    public BundleReader(ObjectMapper json, BundleLimits limits, SignaturePolicy signatures) {
        this.json = withinLimits(json, limits);
        this.limits = limits;
        this.signatures = new SignatureVerifier(this.json, signatures);
    }

    /**
     * Jackson refuses strings over 20 million characters by default; a bundle's files are bounded
     * by its own limits instead, so one large data value in a bundle of tens of MB is read.
     */
    private static ObjectMapper withinLimits(ObjectMapper json, BundleLimits limits) {
        ObjectMapper copy = json.copy();
        int longest = (int) Math.min(Integer.MAX_VALUE, limits.maxFileBytes());
        copy.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(Math.max(longest, StreamReadConstraints.DEFAULT_MAX_STRING_LEN)).build());
        return copy;
    }

    /** Reads a bundle from its archive bytes; {@code name} says where it came from. */
    public Bundle read(String name, byte[] archive) throws InvalidBundleException {
        if (archive.length > limits.maxArchiveBytes()) {
            throw new InvalidBundleException(
                    "bundle is " + archive.length + " bytes; the limit is " + limits.maxArchiveBytes());
        }
        Map<String, byte[]> files = untar(archive);
        String signedBy = signatures.verify(files).orElse("");
        BundleManifest manifest = parseManifest(files.get(MANIFEST_ENTRY));
        byte[] wasm = files.get(WASM_ENTRY);
        if (wasm == null) {
            throw new InvalidBundleException(
                    "bundle has no /policy.wasm: build it with `opa build -t wasm -e <entrypoint>`");
        }
        return new Bundle(name, BundleDigest.of(archive).toString(), manifest, wasm, mergeData(files), signedBy,
                archive.length, warmupInputs(files));
    }

    private Map<String, byte[]> untar(byte[] archive) throws InvalidBundleException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        long expanded = 0;
        try (InputStream gzip = new GzipCompressorInputStream(new ByteArrayInputStream(archive));
                TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String path = entryPath(entry);
                if (entry.isDirectory()) {
                    continue;
                }
                // isFile() alone is true for symbolic links, so each special kind is named.
                if (entry.isSymbolicLink() || entry.isLink() || entry.isCharacterDevice() || entry.isBlockDevice()
                        || entry.isFIFO() || !entry.isFile()) {
                    throw new InvalidBundleException("bundle entry " + entry.getName()
                            + " is not a regular file (links and devices are refused)");
                }
                if (files.size() >= limits.maxFiles()) {
                    throw new InvalidBundleException("bundle has more than " + limits.maxFiles() + " files");
                }
                byte[] content = readBounded(tar, path, expanded);
                expanded += content.length;
                if (files.put(path, content) != null) {
                    throw new InvalidBundleException("bundle entry " + path + " appears twice");
                }
            }
        } catch (IOException e) {
            throw new InvalidBundleException("bundle is not a valid gzipped tar archive: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            // Commons Compress reads content shorter than one tar record as an empty archive.
            throw new InvalidBundleException("bundle is not a valid gzipped tar archive: it holds no files");
        }
        return files;
    }

    /** Normalizes an entry name to a relative path, refusing anything that could escape the bundle. */
    private static String entryPath(TarArchiveEntry entry) throws InvalidBundleException {
        String name = entry.getName();
        String path = name.startsWith("/") ? name.substring(1) : name;
        while (path.startsWith("./")) {
            path = path.substring(2);
        }
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..") || segment.isEmpty() && !path.isEmpty()) {
                throw new InvalidBundleException("bundle entry " + name + " has an unsafe path");
            }
        }
        if (path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            throw new InvalidBundleException("bundle entry " + name + " has an unsafe path");
        }
        return path;
    }

    private byte[] readBounded(InputStream in, String path, long expandedSoFar) throws IOException, InvalidBundleException {
        var out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            size += n;
            if (size > limits.maxFileBytes()) {
                throw new InvalidBundleException(
                        "bundle entry " + path + " is larger than the limit of " + limits.maxFileBytes() + " bytes");
            }
            if (expandedSoFar + size > limits.maxExpandedBytes()) {
                throw new InvalidBundleException(
                        "bundle expands to more than the limit of " + limits.maxExpandedBytes() + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private BundleManifest parseManifest(byte[] bytes) throws InvalidBundleException {
        if (bytes == null) {
            return new BundleManifest("", List.of(""), List.of());
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidBundleException(".manifest is not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new InvalidBundleException(".manifest must be a JSON object");
        }
        JsonNode revision = node.path("revision");
        if (!revision.isMissingNode() && !revision.isTextual()) {
            throw new InvalidBundleException(".manifest revision must be a string");
        }
        ManifestBounds.checkBytes(".manifest revision", revision.asText(""), BundleManifest.MAX_REVISION_BYTES);
        List<String> roots = new ArrayList<>();
        JsonNode rootsNode = node.path("roots");
        if (rootsNode.isMissingNode()) {
            roots.add("");
        } else if (rootsNode.isArray()) {
            ManifestBounds.checkCount("roots", rootsNode.size(), BundleManifest.MAX_ROOTS);
            for (JsonNode root : rootsNode) {
                if (!root.isTextual()) {
                    throw new InvalidBundleException(".manifest roots must be strings");
                }
                ManifestBounds.checkBytes(".manifest roots[" + roots.size() + "]", root.asText(),
                        BundleManifest.MAX_PATH_BYTES);
                roots.add(root.asText());
            }
        } else {
            throw new InvalidBundleException(".manifest roots must be an array of strings");
        }
        checkRootsDisjoint(roots);
        JsonNode wasm = node.path("wasm");
        ManifestBounds.checkCount("wasm entries", wasm.size(), BundleManifest.MAX_WASM_ENTRIES);
        List<String> entrypoints = new ArrayList<>();
        for (JsonNode module : wasm) {
            JsonNode entrypoint = module.path("entrypoint");
            if (!entrypoint.isTextual()) {
                throw new InvalidBundleException(".manifest wasm entries must name an entrypoint");
            }
            ManifestBounds.checkBytes(".manifest wasm[" + entrypoints.size() + "].entrypoint", entrypoint.asText(),
                    BundleManifest.MAX_PATH_BYTES);
            entrypoints.add(entrypoint.asText());
        }
        ManifestBounds.checkMetadata(json, node.path("metadata"));
        return new BundleManifest(revision.asText(""), roots, entrypoints);
    }

    /** Two roots overlap when one is the other or lies under it ("a" and "a/b"). */
    private static void checkRootsDisjoint(List<String> roots) throws InvalidBundleException {
        for (int i = 0; i < roots.size(); i++) {
            for (int j = i + 1; j < roots.size(); j++) {
                String a = roots.get(i);
                String b = roots.get(j);
                if (a.equals(b) || a.isEmpty() || b.isEmpty() || a.startsWith(b + "/") || b.startsWith(a + "/")) {
                    throw new InvalidBundleException(".manifest roots \"" + a + "\" and \"" + b + "\" overlap");
                }
            }
        }
    }

    /**
     * The input documents under {@code warmup/} (one level, {@code *.json}): each must be a JSON
     * object, as a decision's input is, so a bad one is refused here with its path.
     */
    private Map<String, byte[]> warmupInputs(Map<String, byte[]> files) throws InvalidBundleException {
        Map<String, byte[]> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String path = file.getKey();
            if (!path.startsWith(WARMUP_DIR) || !path.endsWith(".json") || path.indexOf('/', WARMUP_DIR.length()) >= 0) {
                continue;
            }
            jsonObject(path, file.getValue(), " (a warm-up input)");
            inputs.put(path, file.getValue());
        }
        return inputs;
    }

    /** Parses the bundle file {@code path}, which must hold a JSON object ({@code role} says why). */
    private ObjectNode jsonObject(String path, byte[] content, String role) throws InvalidBundleException {
        JsonNode document;
        try {
            document = json.readTree(content);
        } catch (IOException e) {
            throw new InvalidBundleException(path + " is not valid JSON: " + e.getMessage(), e);
        }
        if (document == null || !document.isObject()) {
            throw new InvalidBundleException(path + " must hold a JSON object" + role);
        }
        return (ObjectNode) document;
    }

    /**
     * Merges every {@code data.json} of the bundle into one document, each under the path of
     * the directory that holds it, as OPA does.
     */
    private byte[] mergeData(Map<String, byte[]> files) throws InvalidBundleException {
        ObjectNode root = json.createObjectNode();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String path = file.getKey();
            if (!(path.equals("data.json") || path.endsWith("/data.json"))) {
                continue;
            }
            ObjectNode document = jsonObject(path, file.getValue(), "");
            ObjectNode target = root;
            String dir = path.substring(0, path.length() - "data.json".length());
            for (String key : dir.split("/")) {
                if (key.isEmpty()) {
                    continue;
                }
                JsonNode child = target.get(key);
                if (child == null) {
                    child = target.putObject(key);
                } else if (!child.isObject()) {
                    throw new InvalidBundleException(path + " collides with data at " + key);
                }
                target = (ObjectNode) child;
            }
            merge(target, document, path);
        }
        try {
            return json.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new InvalidBundleException("bundle data cannot be serialized: " + e.getMessage(), e);
        }
    }

    private static void merge(ObjectNode target, ObjectNode source, String path) throws InvalidBundleException {
        var fields = source.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            JsonNode existing = target.get(field.getKey());
            if (existing == null) {
                target.set(field.getKey(), field.getValue());
            } else if (existing.isObject() && field.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) field.getValue(), path);
            } else {
                throw new InvalidBundleException(path + " redefines data key " + field.getKey());
            }
        }
    }
}
