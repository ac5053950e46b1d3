package dev.redline.pdp.server.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.text.ParseException;
import java.util.HashSet;
import java.util.Set;

/**
 * Verifies bearer JWTs against a JWKS file: signature by one of its keys (RSA, EC or EdDSA; never
 * {@code none} or HMAC), not expired, with the configured issuer and audience and a {@code sub},
 * which is the principal.
 */
public final class JwtVerifier {
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);

    private final DefaultJWTProcessor<SecurityContext> processor;

    private JwtVerifier(DefaultJWTProcessor<SecurityContext> processor) {
        this.processor = processor;
    }

    /**
     * Reads the key set.
     *
     * @throws IOException when the JWKS file cannot be read or is not a key set
     */
    public static JwtVerifier open(JwtSettings settings) throws IOException {
        JWKSet keys;
        try {
            keys = JWKSet.load(settings.jwksFile().toFile());
        } catch (ParseException e) {
            throw new IOException("jwt-jwks " + settings.jwksFile() + " is not a JSON Web Key Set: " + e.getMessage(), e);
        }
        if (keys.getKeys().isEmpty()) {
            throw new IOException("jwt-jwks " + settings.jwksFile() + " holds no key");
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, new ImmutableJWKSet<>(keys)));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        settings.issuer().ifPresent(exact::issuer);
        Set<String> required = new HashSet<>(Set.of("sub", "exp"));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(settings.audience().orElse(null),
                exact.build(), required));
        return new JwtVerifier(processor);
    }

    /** The token's {@code sub}, once the token verifies. */
    public String principal(String token) throws InvalidTokenException {
        try {
            String subject = processor.process(token, null).getSubject();
            if (subject == null || subject.isBlank()) {
                throw new InvalidTokenException("the bearer token has an empty sub", null);
            }
            return subject;
        } catch (ParseException e) {
            throw new InvalidTokenException("the bearer token is not a JWT: " + e.getMessage(), e);
        } catch (BadJOSEException | JOSEException e) {
            throw new InvalidTokenException("the bearer token does not verify: " + e.getMessage(), e);
        }
    }
}
