package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A private key from a PEM block, as Go's crypto/x509 reads PKCS#1 ("RSA PRIVATE KEY"), PKCS#8
 * ("PRIVATE KEY") and SEC 1 ("EC PRIVATE KEY") keys, written either as Go's {@code json.Marshal}
 * writes the key (rsa, ecdsa, ed25519) or as the JWK OPA makes of it (with Nimbus JOSE).
 */
sealed interface GoPrivateKeys {
    /** An RSA key with its CRT values. */
    record Rsa(BigInteger n, BigInteger e, BigInteger d, BigInteger p, BigInteger q) implements GoPrivateKeys {}

    /** An elliptic-curve key on a named curve, its public point computed when the key omits it. */
    record Ec(ASN1ObjectIdentifier curve, BigInteger d, BigInteger x, BigInteger y) implements GoPrivateKeys {}

    /** An Ed25519 key: its 32-byte seed and public key. */
    record Ed25519(byte[] seed, byte[] publicKey) implements GoPrivateKeys {}

    /** The key in a PEM block of one of the three types Go reads, or null for a block of another type. */
    static GoPrivateKeys fromBlock(String builtin, GoPem.Block block) {
        try {
            return switch (block.type()) {
                case "RSA PRIVATE KEY" -> rsa(RSAPrivateKey.getInstance(ASN1Primitive.fromByteArray(block.bytes())));
                case "PRIVATE KEY" -> pkcs8(builtin, PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(block.bytes())));
                case "EC PRIVATE KEY" -> ec(org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(
                        ASN1Primitive.fromByteArray(block.bytes())), null);
                default -> null;
            };
        } catch (java.io.IOException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
            throw new BuiltinError(builtin, "x509: failed to parse private key: " + e.getMessage());
        }
    }

    /** The key of a "... PRIVATE KEY" block as tls.X509KeyPair tries it: PKCS#1, then PKCS#8, then SEC 1. */
    static GoPrivateKeys anyOf(String builtin, byte[] der) {
        for (String type : new String[] {"RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY"}) {
            try {
                return fromBlock(builtin, new GoPem.Block(type, der));
            } catch (BuiltinError e) {
                // not this encoding; try the next
            }
        }
        throw new BuiltinError(builtin, "tls: failed to parse private key");
    }

    private static GoPrivateKeys pkcs8(String builtin, PrivateKeyInfo info) throws java.io.IOException {
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            return rsa(RSAPrivateKey.getInstance(info.parsePrivateKey()));
        }
        if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            return ec(org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey()),
                    ASN1ObjectIdentifier.getInstance(info.getPrivateKeyAlgorithm().getParameters()));
        }
        if (algorithm.getId().equals("1.3.101.112")) {
            byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
            return new Ed25519(seed, new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded());
        }
        throw new BuiltinError(builtin, "x509: PKCS#8 wrapping contained private key with unknown algorithm: " + algorithm);
    }

    private static Rsa rsa(RSAPrivateKey k) {
        return new Rsa(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(), k.getPrime1(), k.getPrime2());
    }

    private static Ec ec(org.bouncycastle.asn1.sec.ECPrivateKey k, ASN1ObjectIdentifier fromWrapper) {
        ASN1ObjectIdentifier curve = fromWrapper != null ? fromWrapper : ASN1ObjectIdentifier.getInstance(k.getParametersObject());
        X9ECParameters params = ECNamedCurveTable.getByOID(curve);
        if (params == null) {
            throw new IllegalArgumentException("x509: unknown elliptic curve " + curve);
        }
        ECPoint point = params.getG().multiply(k.getKey()).normalize();
        return new Ec(curve, k.getKey(), point.getAffineXCoord().toBigInteger(), point.getAffineYCoord().toBigInteger());
    }

    /** The key as Go's json.Marshal writes an *rsa.PrivateKey, *ecdsa.PrivateKey or ed25519.PrivateKey. */
    default JsonNode goJson() {
        if (this instanceof Rsa k) {
            ObjectNode out = Operands.NODES.objectNode();
            out.set("N", GoX509Json.number(k.n()));
            out.set("E", GoX509Json.number(k.e()));
            out.set("D", GoX509Json.number(k.d()));
            out.set("Primes", Operands.array().add(GoX509Json.number(k.p())).add(GoX509Json.number(k.q())));
            ObjectNode precomputed = out.putObject("Precomputed");
            precomputed.set("Dp", GoX509Json.number(k.d().mod(k.p().subtract(BigInteger.ONE))));
            precomputed.set("Dq", GoX509Json.number(k.d().mod(k.q().subtract(BigInteger.ONE))));
            precomputed.set("Qinv", GoX509Json.number(k.q().modInverse(k.p())));
            precomputed.putArray("CRTValues"); // Go keeps CRT values only for a third prime and beyond
            return out;
        }
        if (this instanceof Ec k) {
            return GoX509Json.ecPoint(k.x(), k.y()).set("D", GoX509Json.number(k.d()));
        }
        Ed25519 k = (Ed25519) this;
        byte[] both = new byte[64];
        System.arraycopy(k.seed(), 0, both, 0, 32);
        System.arraycopy(k.publicKey(), 0, both, 32, 32);
        return Operands.text(GoX509Json.base64(both));
    }

    /** The key as a private JWK, the members OPA's jwk.Import gives it. */
    default JsonNode jwk() {
        JWK jwk;
        if (this instanceof Rsa k) {
            jwk = new RSAKey.Builder(Base64URL.encode(k.n()), Base64URL.encode(k.e()))
                    .privateExponent(Base64URL.encode(k.d()))
                    .firstPrimeFactor(Base64URL.encode(k.p()))
                    .secondPrimeFactor(Base64URL.encode(k.q()))
                    .firstFactorCRTExponent(Base64URL.encode(k.d().mod(k.p().subtract(BigInteger.ONE))))
                    .secondFactorCRTExponent(Base64URL.encode(k.d().mod(k.q().subtract(BigInteger.ONE))))
                    .firstCRTCoefficient(Base64URL.encode(k.q().modInverse(k.p())))
                    .build();
        } else if (this instanceof Ec k) {
            Curve curve = Curve.forOID(k.curve().getId());
            if (curve == null) {
                throw new BuiltinError("crypto.x509.parse_rsa_private_key", "unsupported curve " + k.curve());
            }
            int size = curve.toECParameterSpec().getCurve().getField().getFieldSize();
            jwk = new ECKey.Builder(curve, ECKey.encodeCoordinate(size, k.x()), ECKey.encodeCoordinate(size, k.y()))
                    .d(ECKey.encodeCoordinate(size, k.d()))
                    .build();
        } else {
            Ed25519 k = (Ed25519) this;
            jwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(k.publicKey())).d(Base64URL.encode(k.seed())).build();
        }
        return Json.MAPPER.valueToTree(jwk.toJSONObject());
    }
}
