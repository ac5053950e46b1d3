package dev.redline.pdp.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Real X.509 certificates for tests, made with BouncyCastle: a CA and the certificates it issues,
 * written as the PEM files the PDP reads (certificate chain; PKCS#8 private key).
 */
public final class TestCertificates {
    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

    private TestCertificates() {}

    /** A self-signed CA valid for a day. */
    public static Authority authority(String commonName) {
        KeyPair keys = ecKeys();
        X500Name name = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Authority(keys, sign(builder, keys));
    }

    /** A CA: it issues leaf certificates. */
    public record Authority(KeyPair keys, X509Certificate certificate) {
        /** A certificate for the PDP on loopback: DNS SAN localhost and IP SAN 127.0.0.1. */
        public Issued server(String commonName) {
            return issue("CN=" + commonName, Duration.ofDays(1), "dns:localhost", "ip:127.0.0.1");
        }

        /**
         * A leaf certificate.
         *
         * @param subject the subject DN, e.g. {@code CN=model-gateway,O=Example}
         * @param sans subject alternative names as {@code dns:NAME}, {@code ip:ADDRESS} or {@code uri:URI}
         */
        public Issued issue(String subject, Duration validity, String... sans) {
            Instant now = Instant.now();
            return issue(subject, now.minusSeconds(60), now.plus(validity), sans);
        }

        public Issued issue(String subject, Instant notBefore, Instant notAfter, String... sans) {
            return issue(ecKeys(), subject, notBefore, notAfter, sans);
        }

        /** A renewal: the same key and subject, a new serial and validity. */
        public Issued renew(Issued old, String... sans) {
            Instant now = Instant.now();
            return issue(old.keys(), old.certificate().getSubjectX500Principal().getName(), now.minusSeconds(30),
                    now.plus(Duration.ofDays(2)), sans);
        }

        private Issued issue(KeyPair leafKeys, String subject, Instant notBefore, Instant notAfter, String... sans) {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name(subject), leafKeys.getPublic());
            try {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                if (sans.length > 0) {
                    List<GeneralName> names = new ArrayList<>();
                    for (String san : sans) {
                        names.add(generalName(san));
                    }
                    builder.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(GeneralName[]::new)));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return new Issued(leafKeys, sign(builder, keys), this);
        }

        /** This CA's certificate as PEM. */
        public String certificatePem() {
            return pem(certificate);
        }

        /** Writes this CA's certificate as PEM. */
        public Path writeCertificate(Path file) throws IOException {
            return Files.writeString(file, certificatePem(), StandardCharsets.UTF_8);
        }
    }

    /** A leaf certificate and its key. */
    public record Issued(KeyPair keys, X509Certificate certificate, Authority issuer) {
        /** Writes the certificate (leaf, then its CA) as PEM. */
        public Path writeCertificate(Path file) throws IOException {
            return Files.writeString(file, chainPem(), StandardCharsets.UTF_8);
        }

        /** The certificate, then its CA's, as PEM. */
        public String chainPem() {
            return pem(certificate) + pem(issuer.certificate());
        }

        /** Writes the private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
        public Path writeKey(Path file) throws IOException {
            return Files.writeString(file, keyPem(), StandardCharsets.UTF_8);
        }

        /** The private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
        public String keyPem() {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out.toString();
        }

        /** Writes {@code <name>.crt} and {@code <name>.key} into {@code dir}. */
        public PemFiles write(Path dir, String name) throws IOException {
            return new PemFiles(writeCertificate(dir.resolve(name + ".crt")), writeKey(dir.resolve(name + ".key")));
        }
    }

    /** Where a certificate and its key were written. */
    public record PemFiles(Path cert, Path key) {}

    private static GeneralName generalName(String san) {
        int colon = san.indexOf(':');
        String kind = san.substring(0, colon);
        String value = san.substring(colon + 1);
        return switch (kind) {
            case "dns" -> new GeneralName(GeneralName.dNSName, value);
            case "ip" -> new GeneralName(GeneralName.iPAddress, value);
            case "uri" -> new GeneralName(GeneralName.uniformResourceIdentifier, value);
            default -> throw new IllegalArgumentException("unknown SAN kind " + kind + " in " + san);
        };
    }

    private static String pem(X509Certificate certificate) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(certificate);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
