package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code graph.reachable_paths} (topdown/reachable.go): every path from the initial vertices,
 * followed edge by edge until a vertex without edges, a vertex outside the graph (left off the
 * path) or a vertex already on the path (a cycle; the path ends before it).
 */
final class GraphBuiltins {
    private GraphBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put("graph.reachable_paths", ops -> {
            JsonNode graph = Operands.object("graph.reachable_paths", ops, 0);
            if (!ops[1].isArray()) {
                throw new BuiltinError("graph.reachable_paths", "operand 2 must be one of {array, set}");
            }
            SetNode paths = new SetNode();
            for (JsonNode start : ops[1]) {
                JsonNode edges = edges(graph, start);
                if (edges == null) {
                    continue;
                }
                if (edges.isEmpty()) {
                    paths.add(path(List.of(start)));
                }
                for (JsonNode next : edges) {
                    follow(graph, next, List.of(start), Set.of(start), paths);
                }
            }
            return paths.normalize();
        });
    }

    /** A vertex's edges (an array or set), or null when it is no vertex of the graph. */
    private static JsonNode edges(JsonNode graph, JsonNode vertex) {
        JsonNode edges = vertex.isTextual() ? graph.get(vertex.textValue()) : null;
        if (edges == null) {
            return null;
        }
        return edges.isArray() ? edges : Operands.array(); // anything else has no edges
    }

    private static void follow(JsonNode graph, JsonNode vertex, List<JsonNode> path, Set<JsonNode> onPath,
                               SetNode paths) {
        JsonNode edges = edges(graph, vertex);
        if (edges == null) {
            paths.add(path(path));
            return;
        }
        List<JsonNode> longer = new ArrayList<>(path);
        longer.add(vertex);
        if (edges.isEmpty()) {
            paths.add(path(longer));
            return;
        }
        Set<JsonNode> reached = new HashSet<>(onPath);
        reached.add(vertex);
        for (JsonNode next : edges) {
            if (reached.contains(next)) {
                paths.add(path(longer));
            } else {
                follow(graph, next, longer, reached, paths);
            }
        }
    }

    private static ArrayNode path(List<JsonNode> vertices) {
        ArrayNode a = Operands.array();
        vertices.forEach(a::add);
        return a;
    }
}
