package dev.redline.pdp.server.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bearer JWTs verified against a JWKS file: only a valid token names a principal. */
class JwtVerifierTest {
    @TempDir
    Path dir;

    private ECKey key;
    private JwtVerifier verifier;

    @BeforeEach
    void writeTheKeySet() throws Exception {
        key = new ECKeyGenerator(Curve.P_256).keyID("idp-1").generate();
        Path jwks = Files.writeString(dir.resolve("jwks.json"), new JWKSet(key.toPublicJWK()).toString());
        verifier = JwtVerifier.open(new JwtSettings(jwks, Optional.of("https://idp.example"), Optional.of("redline-pdp")));
    }

    static String token(ECKey signer, String issuer, String audience, String subject, Instant expires) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signer.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(subject)
                        .expirationTime(Date.from(expires)).build());
        jwt.sign(new ECDSASigner(signer));
        return jwt.serialize();
    }

    private static Instant inAnHour() {
        return Instant.now().plus(Duration.ofHours(1));
    }

    @Test
    void aValidTokensSubIsThePrincipal() throws Exception {
        assertEquals("model-gateway", verifier.principal(
                token(key, "https://idp.example", "redline-pdp", "model-gateway", inAnHour())));
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() throws Exception {
        String other = token(key, "https://elsewhere.example", "redline-pdp", "model-gateway", inAnHour());

        assertThrows(InvalidTokenException.class, () -> verifier.principal(other));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        String other = token(key, "https://idp.example", "another-service", "model-gateway", inAnHour());

        assertThrows(InvalidTokenException.class, () -> verifier.principal(other));
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String expired = token(key, "https://idp.example", "redline-pdp", "model-gateway",
                Instant.now().minus(Duration.ofHours(1)));

        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> verifier.principal(expired));

        assertTrue(e.getMessage().contains("xpired"), e.getMessage());
    }

    @Test
    void aTokenSignedByAKeyOutsideTheSetIsRefused() throws Exception {
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("idp-1").generate();
        String forged = token(stranger, "https://idp.example", "redline-pdp", "model-gateway", inAnHour());

        assertThrows(InvalidTokenException.class, () -> verifier.principal(forged));
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String unsigned = new PlainJWT(new JWTClaimsSet.Builder().issuer("https://idp.example").audience("redline-pdp")
                .subject("model-gateway").expirationTime(Date.from(inAnHour())).build()).serialize();

        assertThrows(InvalidTokenException.class, () -> verifier.principal(unsigned));
    }
}
