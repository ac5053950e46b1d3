package dev.redline.pdp.server.api;

import dev.redline.pdp.server.decision.RequestBounds;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each client's bounded share of the decision threads and their queue: the most decisions one
 * client may have in flight at once ({@code --max-client-concurrency}), from the moment its call
 * is handled until its answer is sent. A call past its client's share is refused at once, before
 * anything of it is decided or recorded, so a flooding client spends its own share and no one
 * else's.
 *
 * <p>A batch counts as its items, because it holds a decision thread for as long as its items
 * take: n items take n slots, but never more than the whole share, so a batch larger than the
 * limit is admitted when its client has nothing else in flight, and then holds the whole share
 * until it is answered.
 *
 * <p>Off the allocation path: each client has one counter, kept between calls and changed with
 * compare-and-set. Counters of clients with nothing in flight are forgotten only when the table is
 * full ({@link #DEFAULT_TRACKED_CLIENTS}); clients past a table full of busy ones share one more
 * counter, one client's worth between them, so the table stays bounded and no client goes
 * unlimited.
 */
final class ClientShares {
    /** How many clients have a counter of their own. */
    static final int DEFAULT_TRACKED_CLIENTS = 4096;

    /** A counter a sweep took out of the table; an acquirer that sees it looks its client up again. */
    private static final int RETIRED = Integer.MIN_VALUE;

    /** The share handed out when there is no limit; never counted. */
    private static final Share UNLIMITED = new Share(null);

    private final int limit;
    private final int trackedClients;
    private final Map<Object, Share> shares = new ConcurrentHashMap<>();
    private final Share untracked;

    /** @param limit the most decisions in flight per client; 0 for no limit */
    ClientShares(int limit) {
        this(limit, DEFAULT_TRACKED_CLIENTS);
    }

    ClientShares(int limit, int trackedClients) {
        if (limit < 0) {
            throw new IllegalArgumentException("a client's share must be 0 (no limit) or more, got " + limit);
        }
        this.limit = limit;
        this.trackedClients = trackedClients;
        String untrackedName = "the one share of the clients past the " + trackedClients + " tracked at once";
        this.untracked = new Share(new Object() {
            @Override
            public String toString() {
                return untrackedName;
            }
        });
    }

    /**
     * One client's count of decisions in flight. Extends its counter rather than holding one, so
     * a client's first call makes one object and later calls none.
     */
    static final class Share extends AtomicInteger {
        private final Object client;

        private Share(Object client) {
            this.client = client;
        }

        /** The client as a refusal names it. */
        String describe() {
            if (client instanceof InetAddress address) {
                return "client " + address.getHostAddress();
            }
            if (client instanceof String principal) {
                return "principal \"" + RequestBounds.excerpt(principal, 64) + "\"";
            }
            return String.valueOf(client);
        }
    }

    /**
     * Takes the slots for {@code items} decisions from the client's share.
     *
     * @param client the key {@link CallerIdentity#clientKey()} names
     * @return the share the slots were taken from, to {@link #release} them to
     * @throws StatusRuntimeException RESOURCE_EXHAUSTED, naming the client and the limit, when
     *     they would take the client past its share
     */
    Share acquire(Object client, int items) {
        if (limit == 0) {
            return UNLIMITED;
        }
        int slots = slots(items);
        while (true) {
            Share share = shareOf(client);
            int inFlight = share.get();
            if (inFlight == RETIRED) {
                continue; // a sweep is taking it out of the table; the next look-up finds a fresh one
            }
            if (inFlight + slots > limit) {
                throw refusal(share, inFlight, items);
            }
            if (share.compareAndSet(inFlight, inFlight + slots)) {
                return share;
            }
        }
    }

    /** Gives back the slots {@link #acquire} took for {@code items} decisions. */
    void release(Share share, int items) {
        if (share != UNLIMITED) {
            share.addAndGet(-slots(items));
        }
    }

    /** The slots {@code items} decisions take: one each, never more than the whole share. */
    int slots(int items) {
        return Math.min(items, limit);
    }

    private StatusRuntimeException refusal(Share share, int inFlight, int items) {
        String asks = items == slots(items) ? "this call adds " + items
                : "this call's " + items + " decisions take the whole share";
        return Status.RESOURCE_EXHAUSTED.withDescription(share.describe() + " has " + inFlight
                + " decisions in flight and " + asks + "; the limit is " + limit
                + " decisions in flight per client (--max-client-concurrency)").asRuntimeException();
    }

    /** How many clients have a counter of their own now. */
    int tracked() {
        return shares.size();
    }

    private Share shareOf(Object client) {
        Share share = shares.get(client);
        if (share != null) {
            return share;
        }
        if (shares.size() >= trackedClients) {
            forgetIdleClients();
            if (shares.size() >= trackedClients) {
                return untracked;
            }
        }
        return shares.computeIfAbsent(client, Share::new);
    }

    /**
     * Takes out of the table every client with nothing in flight. A counter is retired (0 to
     * {@link #RETIRED}) before it is removed, so a call that found it just before cannot count on
     * a counter no longer in the table.
     */
    private void forgetIdleClients() {
        for (Map.Entry<Object, Share> entry : shares.entrySet()) {
            Share share = entry.getValue();
            if (share.compareAndSet(0, RETIRED)) {
                shares.remove(entry.getKey(), share);
            }
        }
    }
}
