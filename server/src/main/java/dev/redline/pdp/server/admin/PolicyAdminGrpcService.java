package dev.redline.pdp.server.admin;

import com.google.protobuf.ByteString;
import dev.redline.pdp.api.v1.ActivateBundleRequest;
import dev.redline.pdp.api.v1.ActivateBundleResponse;
import dev.redline.pdp.api.v1.ActivationError;
import dev.redline.pdp.api.v1.GetStatusRequest;
import dev.redline.pdp.api.v1.ListBundlesRequest;
import dev.redline.pdp.api.v1.ListBundlesResponse;
import dev.redline.pdp.api.v1.PolicyAdminServiceGrpc;
import dev.redline.pdp.api.v1.PollStatus;
import dev.redline.pdp.api.v1.PushBundleRequest;
import dev.redline.pdp.api.v1.PushBundleResponse;
import dev.redline.pdp.api.v1.RollbackBundleRequest;
import dev.redline.pdp.api.v1.GetShadowReportRequest;
import dev.redline.pdp.api.v1.ShadowBundleRequest;
import dev.redline.pdp.api.v1.ShadowReport;
import dev.redline.pdp.api.v1.ShadowStatus;
import dev.redline.pdp.api.v1.StopShadowRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.replay.ReportJson;
import dev.redline.pdp.server.shadow.ShadowEvaluator;
import dev.redline.pdp.server.store.ShadowChoice;
import dev.redline.pdp.server.policy.ActivationException;
import dev.redline.pdp.server.policy.BundleUpload;
import dev.redline.pdp.server.policy.BundleUpload.Activation;
import dev.redline.pdp.server.policy.PolicyManager;
import dev.redline.pdp.server.policy.PolicyStatus;
import dev.redline.pdp.server.policy.PushResult;
import dev.redline.pdp.server.protobuf.ProtoTime;
import dev.redline.pdp.server.pull.PollState;
import dev.redline.pdp.server.store.StoredBundle;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code pdp.v1.PolicyAdminService}: the gRPC face of the {@link PolicyManager}. */
public final class PolicyAdminGrpcService extends PolicyAdminServiceGrpc.PolicyAdminServiceImplBase {
    private final PolicyManager manager;
    private final long maxArchiveBytes;
    private final Supplier<Optional<PollState>> pollStatus;
    private final boolean gateEveryActivation;
    private final Supplier<Optional<ShadowEvaluator.Report>> shadowReport;
    private final ObjectMapper json = new ObjectMapper();

    public PolicyAdminGrpcService(PolicyManager manager, long maxArchiveBytes, Supplier<Optional<PollState>> pollStatus) {
        this(manager, maxArchiveBytes, pollStatus, false);
    }

    /** @param gateEveryActivation every activating push goes through the impact gate, asked or not */
    public PolicyAdminGrpcService(PolicyManager manager, long maxArchiveBytes, Supplier<Optional<PollState>> pollStatus,
            boolean gateEveryActivation) {
        this(manager, maxArchiveBytes, pollStatus, gateEveryActivation, Optional::empty);
    }

    /** @param shadowReport what the running shadow found, if one runs */
    public PolicyAdminGrpcService(PolicyManager manager, long maxArchiveBytes, Supplier<Optional<PollState>> pollStatus,
            boolean gateEveryActivation, Supplier<Optional<ShadowEvaluator.Report>> shadowReport) {
        this.shadowReport = shadowReport;
        this.manager = manager;
        this.maxArchiveBytes = maxArchiveBytes;
        this.pollStatus = pollStatus;
        this.gateEveryActivation = gateEveryActivation;
    }

    @Override
    public StreamObserver<PushBundleRequest> pushBundle(StreamObserver<PushBundleResponse> responses) {
        AdminPrincipal principal = AdminAuthInterceptor.PRINCIPAL.get();
        return new StreamObserver<>() {
            private String name = "pushed-bundle";
            private boolean activate;
            private BundleUpload.Gate gate = BundleUpload.Gate.NONE;
            private boolean headerSeen;
            private ByteString archive = ByteString.EMPTY;
            private boolean failed;

            @Override
            public void onNext(PushBundleRequest part) {
                if (failed) {
                    return;
                }
                if (part.hasHeader()) {
                    if (headerSeen || !archive.isEmpty()) {
                        fail(Status.INVALID_ARGUMENT.withDescription("the push header must come once, before any chunk"));
                        return;
                    }
                    headerSeen = true;
                    name = part.getHeader().getName().isBlank() ? "pushed-bundle" : part.getHeader().getName();
                    activate = part.getHeader().getActivate();
                    gate = !part.getHeader().getGate() && !gateEveryActivation ? BundleUpload.Gate.NONE
                            : part.getHeader().getAllowOpening() ? BundleUpload.Gate.ALLOW_OPENING
                            : BundleUpload.Gate.REFUSE_OPENING;
                } else if (!headerSeen) {
                    fail(Status.INVALID_ARGUMENT.withDescription("the push must start with a header"));
                } else if (archive.size() + (long) part.getChunk().size() > maxArchiveBytes) {
                    fail(Status.RESOURCE_EXHAUSTED.withDescription("bundle is larger than the limit of "
                            + maxArchiveBytes + " bytes"));
                } else {
                    archive = archive.concat(part.getChunk());
                }
            }

            @Override
            public void onError(Throwable t) {
                failed = true; // the client gave up; nothing was stored
            }

            @Override
            public void onCompleted() {
                if (failed) {
                    return;
                }
                if (!headerSeen || archive.isEmpty()) {
                    fail(Status.INVALID_ARGUMENT.withDescription("the push holds no bundle bytes"));
                    return;
                }
                try {
                    PushResult result = manager.push(new BundleUpload(name, archive.toByteArray(),
                            new BundleUpload.AdminPush(principal.name()),
                            activate ? Activation.ACTIVATE : Activation.STORE_ONLY, gate));
                    responses.onNext(PushBundleResponse.newBuilder()
                            .setBundle(toProto(result.bundle(), result.activated()))
                            .addAllValidated(result.validated())
                            .setActivated(result.activated())
                            .addAllWarnings(result.warnings())
                            .build());
                    responses.onCompleted();
                } catch (ActivationException e) {
                    responses.onError(status(e).asRuntimeException());
                }
            }

            /** Refuses the push before the manager sees it; the status still shows the failed update. */
            private void fail(Status status) {
                failed = true;
                manager.recordError("push of " + name + " refused: " + status.getDescription(), "push");
                responses.onError(status.asRuntimeException());
            }
        };
    }

    @Override
    public void listBundles(ListBundlesRequest request, StreamObserver<ListBundlesResponse> responses) {
        try {
            Optional<String> active = manager.activeDigest();
            ListBundlesResponse.Builder list = ListBundlesResponse.newBuilder();
            for (StoredBundle bundle : manager.list()) {
                list.addBundles(toProto(bundle, active.map(bundle.digest()::equals).orElse(false)));
            }
            responses.onNext(list.build());
            responses.onCompleted();
        } catch (ActivationException e) {
            responses.onError(status(e).asRuntimeException());
        }
    }

    @Override
    public void activateBundle(ActivateBundleRequest request, StreamObserver<ActivateBundleResponse> responses) {
        switchBundle(responses, () -> manager.activate(request.getDigest(), "activate"));
    }

    @Override
    public void rollbackBundle(RollbackBundleRequest request, StreamObserver<ActivateBundleResponse> responses) {
        switchBundle(responses, () -> manager.rollback("rollback"));
    }

    private interface Switch {
        StoredBundle run() throws ActivationException;
    }

    private void switchBundle(StreamObserver<ActivateBundleResponse> responses, Switch change) {
        Optional<StoredBundle> before = manager.status().active();
        try {
            StoredBundle now = change.run();
            ActivateBundleResponse.Builder answer = ActivateBundleResponse.newBuilder().setActive(toProto(now, true));
            before.ifPresent(b -> answer.setPrevious(toProto(b, false)));
            responses.onNext(answer.build());
            responses.onCompleted();
        } catch (ActivationException e) {
            responses.onError(status(e).asRuntimeException());
        }
    }

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<dev.redline.pdp.api.v1.PolicyStatus> responses) {
        PolicyStatus status = manager.status();
        dev.redline.pdp.api.v1.PolicyStatus.Builder answer = dev.redline.pdp.api.v1.PolicyStatus.newBuilder();
        status.active().ifPresent(b -> answer.setActive(toProto(b, true)));
        answer.addAllWarnings(status.warnings());
        status.lastActivation().ifPresent(t -> answer.setLastActivation(ProtoTime.timestamp(t)));
        status.lastError().ifPresent(e -> answer.setLastError(ActivationError.newBuilder()
                .setMessage(e.message()).setTime(ProtoTime.timestamp(e.time())).setSource(e.source())));
        pollStatus.get().ifPresent(poll -> {
            PollStatus.Builder proto = PollStatus.newBuilder().setUrl(poll.url()).setEtag(poll.etag());
            poll.lastPoll().ifPresent(t -> proto.setLastPoll(ProtoTime.timestamp(t)));
            answer.setPoll(proto);
        });
        responses.onNext(answer.build());
        responses.onCompleted();
    }

    @Override
    public void shadowBundle(ShadowBundleRequest request, StreamObserver<ShadowStatus> responses) {
        try {
            ShadowChoice choice = manager.shadow(request.getDigest(), "shadow");
            responses.onNext(shadowStatus(Optional.of(choice)));
            responses.onCompleted();
        } catch (ActivationException e) {
            responses.onError(status(e).asRuntimeException());
        }
    }

    @Override
    public void stopShadow(StopShadowRequest request, StreamObserver<ShadowStatus> responses) {
        try {
            responses.onNext(shadowStatus(manager.stopShadow("shadow")));
            responses.onCompleted();
        } catch (ActivationException e) {
            responses.onError(status(e).asRuntimeException());
        }
    }

    @Override
    public void getShadowReport(GetShadowReportRequest request, StreamObserver<ShadowReport> responses) {
        try {
            Optional<ShadowChoice> choice = manager.shadowChoice();
            Optional<ShadowEvaluator.Report> found = shadowReport.get();
            if (choice.isEmpty() || found.isEmpty()) {
                responses.onError(Status.NOT_FOUND.withDescription("no bundle is shadowed (pdp bundle shadow DIGEST"
                        + " starts a shadow)").asRuntimeException());
                return;
            }
            ShadowEvaluator.Report report = found.get();
            ShadowReport.Builder answer = ShadowReport.newBuilder()
                    .setStartedAt(ProtoTime.timestamp(choice.get().startedAt()))
                    .setReportJson(json.writeValueAsString(ReportJson.of(report.report(), json)))
                    .setDropped(report.dropped())
                    .setUnrecorded(report.unrecorded());
            stored(choice.get().digest()).ifPresent(answer::setBundle);
            responses.onNext(answer.build());
            responses.onCompleted();
        } catch (ActivationException e) {
            responses.onError(status(e).asRuntimeException());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            responses.onError(Status.INTERNAL.withDescription("the shadow report cannot be written as JSON: "
                    + e.getMessage()).asRuntimeException());
        }
    }

    private ShadowStatus shadowStatus(Optional<ShadowChoice> choice) throws ActivationException {
        ShadowStatus.Builder status = ShadowStatus.newBuilder();
        if (choice.isPresent()) {
            status.setStartedAt(ProtoTime.timestamp(choice.get().startedAt()));
            stored(choice.get().digest()).ifPresent(status::setBundle);
        }
        return status.build();
    }

    private Optional<dev.redline.pdp.api.v1.StoredBundle> stored(String digest) throws ActivationException {
        return manager.list().stream().filter(b -> b.digest().equals(digest)).findFirst().map(b -> toProto(b, false));
    }

    static dev.redline.pdp.api.v1.StoredBundle toProto(StoredBundle bundle, boolean active) {
        return dev.redline.pdp.api.v1.StoredBundle.newBuilder()
                .setDigest(bundle.digest())
                .setRevision(bundle.revision())
                .setName(bundle.name())
                .setPushedAt(ProtoTime.timestamp(bundle.pushedAt()))
                .setPushedBy(bundle.pushedBy())
                .setActive(active)
                .setSizeBytes(bundle.sizeBytes())
                .addAllEntrypoints(bundle.entrypoints())
                .setSignedBy(bundle.signedBy())
                .build();
    }


    private static Status status(ActivationException e) {
        Status status = switch (e.kind()) {
            case INVALID_BUNDLE -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case STORAGE -> Status.INTERNAL;
            case GATE_REFUSED -> Status.FAILED_PRECONDITION;
        };
        return status.withDescription(e.getMessage());
    }
}
