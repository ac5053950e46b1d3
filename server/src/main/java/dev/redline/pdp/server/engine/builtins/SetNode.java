package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * A Rego set among JSON values: an array (so it writes as JSON the way OPA returns sets) that
 * {@link ValueText} writes back as a set. Its elements are kept sorted in {@link RegoOrder}.
 */
public final class SetNode extends ArrayNode {
    private static final long serialVersionUID = 1L;

    public SetNode() {
        super(JsonNodeFactory.instance);
    }

    /** Sorts the elements and drops duplicates, as a set holds them. */
    public SetNode normalize() {
        java.util.List<com.fasterxml.jackson.databind.JsonNode> items = new java.util.ArrayList<>();
        forEach(items::add);
        items.sort(RegoOrder.INSTANCE);
        removeAll();
        com.fasterxml.jackson.databind.JsonNode previous = null;
        for (var item : items) {
            if (previous == null || RegoOrder.INSTANCE.compare(previous, item) != 0) {
                add(item);
            }
            previous = item;
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SetNode && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + 7;
    }
}
