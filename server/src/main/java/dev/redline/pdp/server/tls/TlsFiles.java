package dev.redline.pdp.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import io.grpc.util.CertificateUtils;

/**
 * The bytes of one port's TLS files as read at one moment, and the key material they hold once
 * checked. Comparing contents (not modification times) notices a Kubernetes secret update, which
 * swaps a symlink and may leave times as they were, and a rewrite of only one of the files.
 */
final class TlsFiles {
    private final TlsSettings settings;
    private final byte[] cert;
    private final byte[] key;
    private final Optional<byte[]> clientCa;

    private TlsFiles(TlsSettings settings, byte[] cert, byte[] key, Optional<byte[]> clientCa) {
        this.settings = settings;
        this.cert = cert;
        this.key = key;
        this.clientCa = clientCa;
    }

    /** Reads the files as they are now (following symlinks). */
    static TlsFiles read(TlsSettings settings) throws TlsMaterialException {
        Optional<byte[]> clientCa = Optional.empty();
        if (settings.clientAuth() != ClientAuth.NONE) {
            clientCa = Optional.of(bytes(settings.clientCaFile().orElseThrow()));
        }
        return new TlsFiles(settings, bytes(settings.certFile()), bytes(settings.keyFile()), clientCa);
    }

    private static byte[] bytes(Path file) throws TlsMaterialException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TlsMaterialException(file, "cannot be read (" + e + ")", e);
        }
    }

    boolean sameContentAs(TlsFiles other) {
        return Arrays.equals(cert, other.cert) && Arrays.equals(key, other.key)
                && Arrays.equals(clientCa.orElse(null), other.clientCa.orElse(null));
    }

    /**
     * Parses and checks the files: a certificate chain valid now, a private key that belongs to
     * its first certificate, and at least one client CA certificate when clients are verified.
     */
    Material parse(Instant now) throws TlsMaterialException {
        X509Certificate[] chain = certificates(settings.certFile(), cert, "certificate chain");
        X509Certificate leaf = chain[0];
        try {
            leaf.checkValidity(java.util.Date.from(now));
        } catch (CertificateException e) {
            throw new TlsMaterialException(settings.certFile(), "the certificate " + leaf.getSubjectX500Principal()
                    + " is not valid now: valid from " + leaf.getNotBefore().toInstant() + " to "
                    + leaf.getNotAfter().toInstant(), e);
        }
        PrivateKey privateKey;
        try {
            privateKey = CertificateUtils.getPrivateKey(new ByteArrayInputStream(key));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new TlsMaterialException(settings.keyFile(),
                    "not a PKCS#8 PEM private key (BEGIN PRIVATE KEY), RSA or EC: " + e.getMessage(), e);
        }
        requireKeyOfCertificate(privateKey, leaf);
        Optional<X509Certificate[]> cas = Optional.empty();
        if (clientCa.isPresent()) {
            cas = Optional.of(certificates(settings.clientCaFile().orElseThrow(), clientCa.get(), "client CA"));
        }
        return new Material(privateKey, chain, cas);
    }

    private static X509Certificate[] certificates(Path file, byte[] pem, String what) throws TlsMaterialException {
        X509Certificate[] certificates;
        try {
            certificates = CertificateUtils.getX509Certificates(new ByteArrayInputStream(pem));
        } catch (CertificateException e) {
            throw new TlsMaterialException(file, "not a PEM " + what + ": " + e.getMessage(), e);
        }
        if (certificates.length == 0) {
            throw new TlsMaterialException(file, "holds no certificate (expected a PEM " + what + ")", null);
        }
        return certificates;
    }

    /** Signs a random challenge with the key and verifies it with the certificate's public key. */
    private void requireKeyOfCertificate(PrivateKey privateKey, X509Certificate leaf) throws TlsMaterialException {
        String algorithm = "EC".equals(privateKey.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(challenge);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new TlsMaterialException(settings.keyFile(), "this private key does not belong to the certificate "
                    + leaf.getSubjectX500Principal() + " in " + settings.certFile(), null);
        }
    }

    /** Checked key material, ready to serve. */
    record Material(PrivateKey key, X509Certificate[] chain, Optional<X509Certificate[]> clientCas) {}
}
