package dev.redline.pdp.server.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The series of one label whose values come from outside (policies name violation codes, callers
 * name paths): the first {@code limit} distinct values get a series each; later ones share the
 * series of {@link #OTHER}, so a policy or a caller cannot grow the scrape without bound. Each
 * series is made once; looking one up again allocates nothing.
 */
final class BoundedLabels<T> {
    static final String OTHER = "other";

    private final Map<String, T> series = new ConcurrentHashMap<>();
    private final Function<String, T> create;
    private final int limit;
    private final T other;

    BoundedLabels(int limit, Function<String, T> create) {
        this.limit = limit;
        this.create = create;
        this.other = create.apply(OTHER);
    }

    T of(String value) {
        T found = series.get(value);
        if (found != null) {
            return found;
        }
        if (series.size() >= limit) {
            return other;
        }
        return series.computeIfAbsent(value, create);
    }
}
