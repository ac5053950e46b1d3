package dev.redline.pdp.server.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.redline.pdp.api.v1.ActivateBundleRequest;
import dev.redline.pdp.api.v1.GetStatusRequest;
import dev.redline.pdp.api.v1.ListBundlesRequest;
import dev.redline.pdp.api.v1.PolicyAdminServiceGrpc;
import dev.redline.pdp.api.v1.PushBundleHeader;
import dev.redline.pdp.api.v1.PushBundleRequest;
import dev.redline.pdp.api.v1.PushBundleResponse;
import dev.redline.pdp.api.v1.RollbackBundleRequest;
import dev.redline.pdp.api.v1.GetShadowReportRequest;
import dev.redline.pdp.api.v1.ShadowBundleRequest;
import dev.redline.pdp.api.v1.ShadowReport;
import dev.redline.pdp.api.v1.StopShadowRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pdp bundle push|list|activate|rollback|status|shadow|shadow-report}: manage policy on a running PDP. */
@Command(name = "bundle", mixinStandardHelpOptions = true,
        description = "Push, list, activate and roll back policy bundles on a running PDP (admin API).",
        subcommands = {BundleCommand.Push.class, BundleCommand.ListBundles.class, BundleCommand.Activate.class,
                BundleCommand.Rollback.class, BundleCommand.Status.class, BundleCommand.Shadow.class,
                BundleCommand.ShadowReportCommand.class})
final class BundleCommand {
    private static final int CHUNK_BYTES = 1 << 20;

    static int print(CommandSpec spec, MessageOrBuilder message) throws InvalidProtocolBufferException {
        spec.commandLine().getOut().println(JsonFormat.printer().preservingProtoFieldNames().print(message));
        spec.commandLine().getOut().flush();
        return 0;
    }

    static int failed(CommandSpec spec, StatusRuntimeException e) {
        spec.commandLine().getErr().println("pdp bundle: " + StatusLine.of(e));
        spec.commandLine().getErr().flush();
        return 1;
    }

    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Upload an OPA Wasm bundle; it is validated completely before it is stored.")
    static final class Push implements java.util.concurrent.Callable<Integer> {
        @Mixin AdminConnection admin;
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "BUNDLE", description = "The bundle file (opa build -t wasm ...).")
        Path file;

        @Option(names = "--activate", description = "Make it the active bundle once accepted.")
        boolean activate;

        @Option(names = "--gate", description = "With --activate: first replay the server's gate window of logged"
                + " decisions on it; refuse if a logged deny would now be allowed.")
        boolean gate;

        @Option(names = "--allow-opening", description = "With --gate: activate even if a logged deny would now be"
                + " allowed (recorded in the decision log).")
        boolean allowOpening;

        @Override
        public Integer call() throws Exception {
            ManagedChannel channel = admin.channel();
            try {
                CompletableFuture<PushBundleResponse> answer = new CompletableFuture<>();
                StreamObserver<PushBundleRequest> upload = PolicyAdminServiceGrpc.newStub(channel)
                        .withCallCredentials(admin.credentials())
                        .withDeadlineAfter(5, TimeUnit.MINUTES)
                        .pushBundle(new StreamObserver<>() {
                            @Override public void onNext(PushBundleResponse r) { answer.complete(r); }
                            @Override public void onError(Throwable t) { answer.completeExceptionally(t); }
                            @Override public void onCompleted() { }
                        });
                upload.onNext(PushBundleRequest.newBuilder().setHeader(PushBundleHeader.newBuilder()
                        .setName(file.getFileName().toString()).setActivate(activate).setGate(gate)
                        .setAllowOpening(allowOpening)).build());
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buffer = new byte[CHUNK_BYTES];
                    int n;
                    while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                        upload.onNext(PushBundleRequest.newBuilder().setChunk(ByteString.copyFrom(buffer, 0, n)).build());
                    }
                }
                upload.onCompleted();
                try {
                    return print(spec, answer.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof StatusRuntimeException s) {
                        return failed(spec, s);
                    }
                    throw e;
                }
            } finally {
                channel.shutdownNow();
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The stored bundles, newest first.")
    static final class ListBundles implements java.util.concurrent.Callable<Integer> {
        @Mixin AdminConnection admin;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try {
                return print(spec, admin.call(stub -> stub.listBundles(ListBundlesRequest.getDefaultInstance())));
            } catch (StatusRuntimeException e) {
                return failed(spec, e);
            }
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true, description = "Make a stored bundle active.")
    static final class Activate implements java.util.concurrent.Callable<Integer> {
        @Mixin AdminConnection admin;
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "DIGEST", description = "sha256:<hex> of a stored bundle (see pdp bundle list).")
        String digest;

        @Override
        public Integer call() throws Exception {
            try {
                return print(spec, admin.call(stub -> stub.activateBundle(
                        ActivateBundleRequest.newBuilder().setDigest(digest).build())));
            } catch (StatusRuntimeException e) {
                return failed(spec, e);
            }
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Re-activate the previously active bundle.")
    static final class Rollback implements java.util.concurrent.Callable<Integer> {
        @Mixin AdminConnection admin;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try {
                return print(spec, admin.call(stub -> stub.rollbackBundle(RollbackBundleRequest.getDefaultInstance())));
            } catch (StatusRuntimeException e) {
                return failed(spec, e);
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The active bundle, the last activation and the last error.")
    static final class Status implements java.util.concurrent.Callable<Integer> {
        @Mixin AdminConnection admin;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try {
                return print(spec, admin.call(stub -> stub.getStatus(GetStatusRequest.getDefaultInstance())));
            } catch (StatusRuntimeException e) {
                return failed(spec, e);
            }
        }
    }

    @Command(name = "shadow", mixinStandardHelpOptions = true,
            description = "Evaluate a stored bundle in the shadow of the active one: every answered decision is asked"
                    + " of it too, after the answer, and each difference is a 'shadow' record in the decision log.")
    static final class Shadow implements java.util.concurrent.Callable<Integer> {
        @Mixin AdminConnection admin;
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "DIGEST", arity = "0..1",
                description = "sha256:<hex> of a stored bundle (see pdp bundle list).")
        String digest;

        @Option(names = "--stop", description = "End shadow evaluation.")
        boolean stop;

        @Override
        public Integer call() throws Exception {
            if (stop == (digest != null)) {
                spec.commandLine().getErr().println("pdp bundle shadow: give either DIGEST or --stop");
                return 2;
            }
            try {
                return print(spec, admin.call(stub -> stop ? stub.stopShadow(StopShadowRequest.getDefaultInstance())
                        : stub.shadowBundle(ShadowBundleRequest.newBuilder().setDigest(digest).build())));
            } catch (StatusRuntimeException e) {
                return failed(spec, e);
            }
        }
    }

    @Command(name = "shadow-report", mixinStandardHelpOptions = true,
            description = "What the shadowed bundle answered differently since the shadow started, counted as"
                    + " pdp replay counts (JSON: bundle, started_at, dropped, unrecorded, report).")
    static final class ShadowReportCommand implements java.util.concurrent.Callable<Integer> {
        @Mixin AdminConnection admin;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ShadowReport report;
            try {
                report = admin.call(stub -> stub.getShadowReport(GetShadowReportRequest.getDefaultInstance()));
            } catch (StatusRuntimeException e) {
                return failed(spec, e);
            }
            ObjectMapper json = new ObjectMapper();
            ObjectNode out = json.createObjectNode();
            out.set("bundle", json.readTree(JsonFormat.printer().preservingProtoFieldNames().print(report.getBundle())));
            out.put("started_at", com.google.protobuf.util.Timestamps.toString(report.getStartedAt()));
            out.put("dropped", report.getDropped());
            out.put("unrecorded", report.getUnrecorded());
            out.set("report", json.readTree(report.getReportJson()));
            spec.commandLine().getOut().println(json.writerWithDefaultPrettyPrinter().writeValueAsString(out));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
