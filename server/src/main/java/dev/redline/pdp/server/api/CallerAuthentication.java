package dev.redline.pdp.server.api;

import dev.redline.pdp.server.identity.CertificatePrincipal;
import dev.redline.pdp.server.identity.InvalidTokenException;
import dev.redline.pdp.server.identity.JwtVerifier;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Establishes the verified principal of each decision call: the {@code sub} of a bearer JWT that
 * verifies, else the identity of the client certificate the TLS handshake verified. A bearer
 * token that does not verify fails the call UNAUTHENTICATED rather than falling back: a caller
 * that meant to authenticate and could not must not be decided as someone else.
 */
final class CallerAuthentication implements ServerInterceptor {
    static final String MTLS = "mtls";
    static final String JWT = "jwt";

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    private final Optional<JwtVerifier> jwt;

    CallerAuthentication(Optional<JwtVerifier> jwt) {
        this.jwt = jwt;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Optional<String> token = jwt.isPresent() ? bearer(headers) : Optional.empty();
        if (token.isPresent()) {
            try {
                return authenticated(jwt.get().principal(token.get()), JWT, call, headers, next);
            } catch (InvalidTokenException e) {
                call.close(Status.UNAUTHENTICATED.withDescription(e.getMessage()), new Metadata());
                return new ServerCall.Listener<>() {};
            }
        }
        Optional<String> certificate = certificatePrincipal(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        if (certificate.isPresent()) {
            return authenticated(certificate.get(), MTLS, call, headers, next);
        }
        return next.startCall(call, headers);
    }

    private static <Q, R> ServerCall.Listener<Q> authenticated(String principal, String method,
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Context context = Context.current().withValue(CallerIdentity.PRINCIPAL, principal)
                .withValue(CallerIdentity.METHOD, method);
        return Contexts.interceptCall(context, call, headers, next);
    }

    private static Optional<String> bearer(Metadata headers) {
        String value = headers.get(AUTHORIZATION);
        if (value == null || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return Optional.of(value.substring(BEARER.length()).strip());
    }

    /** The handshake verified the chain against the client CA; an unverified peer has none. */
    private static Optional<String> certificatePrincipal(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf
                    ? Optional.of(CertificatePrincipal.of(leaf)) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }
}
