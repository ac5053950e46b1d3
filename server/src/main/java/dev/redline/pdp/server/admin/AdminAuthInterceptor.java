package dev.redline.pdp.server.admin;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;
import java.util.Set;

/**
 * Requires a valid admin bearer token on every admin call: none or an unknown one is
 * UNAUTHENTICATED; a read-only token on a call that changes policy is PERMISSION_DENIED.
 */
public final class AdminAuthInterceptor implements ServerInterceptor {
    static final Context.Key<AdminPrincipal> PRINCIPAL = Context.key("pdp-admin-principal");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Set<String> READ_ONLY_METHODS = Set.of("ListBundles", "GetStatus", "GetDecision", "ListDecisions",
            "GetShadowReport");

    private final AdminTokens tokens;

    public AdminAuthInterceptor(AdminTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String header = headers.get(AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription(
                    "admin calls need the header 'authorization: Bearer <token>' (tokens: --admin-tokens FILE)"));
        }
        Optional<AdminPrincipal> principal = tokens.authenticate(header.substring(7).strip());
        if (principal.isEmpty()) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription("the admin token is not recognized"));
        }
        String method = call.getMethodDescriptor().getBareMethodName();
        if (!principal.get().mayChangePolicy() && !READ_ONLY_METHODS.contains(method)) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription("token \"" + principal.get().name()
                    + "\" is read-only and may not call " + method));
        }
        return Contexts.interceptCall(Context.current().withValue(PRINCIPAL, principal.get()), call, headers, next);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {};
    }
}
