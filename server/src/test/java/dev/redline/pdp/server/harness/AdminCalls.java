package dev.redline.pdp.server.harness;

import dev.redline.pdp.server.PdpServer;
import com.google.protobuf.ByteString;
import dev.redline.pdp.api.v1.ActivateBundleRequest;
import dev.redline.pdp.api.v1.ActivateBundleResponse;
import dev.redline.pdp.api.v1.GetStatusRequest;
import dev.redline.pdp.api.v1.ListBundlesRequest;
import dev.redline.pdp.api.v1.PolicyAdminServiceGrpc;
import dev.redline.pdp.api.v1.PolicyStatus;
import dev.redline.pdp.api.v1.PushBundleHeader;
import dev.redline.pdp.api.v1.PushBundleRequest;
import dev.redline.pdp.api.v1.PushBundleResponse;
import dev.redline.pdp.api.v1.RollbackBundleRequest;
import dev.redline.pdp.api.v1.StoredBundle;
import dev.redline.pdp.server.admin.AdminTokens;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** The admin API of a running PDP, called over real gRPC with a bearer token. */
public final class AdminCalls implements AutoCloseable {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel channel;
    private final String token;

    public AdminCalls(int adminPort, String token) {
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", adminPort).usePlaintext().build();
        this.token = token;
    }

    /** Uses the first token of the PDP's token file. */
    public static AdminCalls forPdp(PdpServer server, Path dataDir) throws Exception {
        return new AdminCalls(server.adminPort(), firstToken(dataDir.resolve("admin.tokens")));
    }

    public static String firstToken(Path tokens) throws Exception {
        return AdminTokens.read(tokens).firstToken();
    }

    public PolicyAdminServiceGrpc.PolicyAdminServiceBlockingStub blocking() {
        return PolicyAdminServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(token))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /** Pushes in 64 KiB chunks; a refusal surfaces as the call's StatusRuntimeException. */
    public PushBundleResponse push(String name, byte[] archive, boolean activate) throws InterruptedException {
        CompletableFuture<PushBundleResponse> answer = new CompletableFuture<>();
        StreamObserver<PushBundleRequest> upload = PolicyAdminServiceGrpc.newStub(channel)
                .withCallCredentials(bearer(token)).withDeadlineAfter(60, TimeUnit.SECONDS)
                .pushBundle(new StreamObserver<>() {
                    @Override public void onNext(PushBundleResponse r) { answer.complete(r); }
                    @Override public void onError(Throwable t) { answer.completeExceptionally(t); }
                    @Override public void onCompleted() { }
                });
        upload.onNext(PushBundleRequest.newBuilder()
                .setHeader(PushBundleHeader.newBuilder().setName(name).setActivate(activate)).build());
        for (int offset = 0; offset < archive.length; offset += 64 * 1024) {
            int size = Math.min(64 * 1024, archive.length - offset);
            upload.onNext(PushBundleRequest.newBuilder().setChunk(ByteString.copyFrom(archive, offset, size)).build());
        }
        upload.onCompleted();
        try {
            return answer.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException s) {
                throw s;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    public PushBundleResponse push(Path bundle, boolean activate) throws Exception {
        return push(bundle.getFileName().toString(), Files.readAllBytes(bundle), activate);
    }

    public List<StoredBundle> list() {
        return blocking().listBundles(ListBundlesRequest.getDefaultInstance()).getBundlesList();
    }

    public ActivateBundleResponse activate(String digest) {
        return blocking().activateBundle(ActivateBundleRequest.newBuilder().setDigest(digest).build());
    }

    public ActivateBundleResponse rollback() {
        return blocking().rollbackBundle(RollbackBundleRequest.getDefaultInstance());
    }

    public PolicyStatus status() {
        return blocking().getStatus(GetStatusRequest.getDefaultInstance());
    }

    public static CallCredentials bearer(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(AUTHORIZATION, "Bearer " + token);
                applier.apply(headers);
            }
        };
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
