package dev.redline.pdp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/** The manifests one {@code helm template} rendered, parsed as YAML, with look-ups by kind. */
final class RenderedChart {
    private static final YAMLMapper YAML = new YAMLMapper();

    private final List<JsonNode> manifests;

    private RenderedChart(List<JsonNode> manifests) {
        this.manifests = manifests;
    }

    static RenderedChart parse(String text) {
        List<JsonNode> manifests = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    manifests.add(document);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("helm template printed YAML that does not parse: " + e.getMessage()
                    + "\n" + text, e);
        }
        return new RenderedChart(manifests);
    }

    List<String> kinds() {
        return manifests.stream().map(m -> m.path("kind").asText()).toList();
    }

    List<JsonNode> all(String kind) {
        return manifests.stream().filter(m -> kind.equals(m.path("kind").asText())).toList();
    }

    JsonNode one(String kind) {
        List<JsonNode> found = all(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", rendered " + found.size() + " (kinds: " + kinds() + ")");
        }
        return found.get(0);
    }

    JsonNode named(String kind, String name) {
        return all(kind).stream().filter(m -> name.equals(m.path("metadata").path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " (kinds: " + kinds() + ")"));
    }

    /** The StatefulSet or the Deployment: exactly one of the two is rendered. */
    JsonNode workload() {
        List<JsonNode> found = new ArrayList<>(all("StatefulSet"));
        found.addAll(all("Deployment"));
        if (found.size() != 1) {
            throw new AssertionError("expected one StatefulSet or Deployment, rendered " + kinds());
        }
        return found.get(0);
    }

    JsonNode podSpec() {
        return workload().path("spec").path("template").path("spec");
    }

    JsonNode container() {
        return StreamSupport.stream(podSpec().path("containers").spliterator(), false)
                .filter(c -> "pdp".equals(c.path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no container named pdp"));
    }

    /** The container's arguments: {@code serve} and its flags. */
    List<String> args() {
        return StreamSupport.stream(container().path("args").spliterator(), false).map(JsonNode::asText).toList();
    }

    /** Every value given to {@code --name=VALUE}, in order. */
    List<String> flag(String name) {
        String prefix = name + "=";
        return args().stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).toList();
    }

    /** The one value of {@code --name=VALUE}. */
    String flagValue(String name) {
        List<String> values = flag(name);
        if (values.size() != 1) {
            throw new AssertionError("expected " + name + " once in " + args() + ", found " + values.size());
        }
        return values.get(0);
    }

    JsonNode volume(String name) {
        return StreamSupport.stream(podSpec().path("volumes").spliterator(), false)
                .filter(v -> name.equals(v.path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume named " + name + " in " + podSpec().path("volumes")));
    }

    List<JsonNode> mounts() {
        return StreamSupport.stream(container().path("volumeMounts").spliterator(), false).toList();
    }

    JsonNode mount(String volume) {
        return mounts().stream().filter(m -> volume.equals(m.path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no mount of volume " + volume + " in " + mounts()));
    }
}
