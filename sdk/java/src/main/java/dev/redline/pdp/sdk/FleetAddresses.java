package dev.redline.pdp.sdk;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.Status;
import io.grpc.StatusOr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Resolves a fixed list of {@code host:port} addresses, each host to every address it has, so the
 * channel's round-robin balancer sees every replica. Re-resolves when gRPC asks (after a
 * connection is lost), so a replica that moved to another address of the same name is found.
 */
final class FleetAddresses extends NameResolverProvider {
    static final String SCHEME = "redline-fleet";

    /** A host and port as given. */
    record HostPort(String host, int port) {
        /**
         * Parses {@code host:port} or {@code [v6]:port}.
         *
         * @throws IllegalArgumentException naming the address and what is wrong with it
         */
        static HostPort parse(String address) {
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1) {
                throw new IllegalArgumentException("PDP address '" + address + "' is not host:port");
            }
            String host = address.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("PDP address '" + address + "' has no numeric port", e);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("PDP address '" + address + "' has port " + port
                        + ", outside 1-65535");
            }
            return new HostPort(host, port);
        }
    }

    private final List<HostPort> addresses;

    FleetAddresses(List<HostPort> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    /** The channel target this provider resolves. */
    String target() {
        return SCHEME + ":///" + addresses.get(0).host();
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        if (!SCHEME.equals(targetUri.getScheme())) {
            return null;
        }
        Executor offload = args.getOffloadExecutor();
        return new NameResolver() {
            private volatile boolean shutdown;
            private Listener2 listener;

            @Override
            public String getServiceAuthority() {
                // TLS checks every replica's certificate against this name: the first host given
                return addresses.get(0).host();
            }

            @Override
            public void start(Listener2 listener) {
                this.listener = listener;
                resolve();
            }

            @Override
            public void refresh() {
                resolve();
            }

            private void resolve() {
                Runnable resolution = () -> {
                    if (shutdown) {
                        return;
                    }
                    List<EquivalentAddressGroup> groups = new ArrayList<>();
                    List<String> unknown = new ArrayList<>();
                    for (HostPort address : addresses) {
                        try {
                            for (InetAddress ip : InetAddress.getAllByName(address.host())) {
                                List<SocketAddress> one = List.of(new InetSocketAddress(ip, address.port()));
                                groups.add(new EquivalentAddressGroup(one));
                            }
                        } catch (UnknownHostException e) {
                            unknown.add(address.host());
                        }
                    }
                    if (groups.isEmpty()) {
                        listener.onError(Status.UNAVAILABLE.withDescription("no PDP address resolves: " + unknown));
                        return;
                    }
                    listener.onResult(ResolutionResult.newBuilder().setAddressesOrError(
                            StatusOr.fromValue(groups)).build());
                };
                if (offload != null) {
                    offload.execute(resolution);
                } else {
                    resolution.run();
                }
            }

            @Override
            public void shutdown() {
                shutdown = true;
            }
        };
    }

    @Override
    public String getDefaultScheme() {
        return SCHEME;
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return 5;
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
        return List.of(InetSocketAddress.class);
    }
}
