package dev.redline.pdp.server.tls;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The PEM files one port serves TLS from. The files are read again whenever they change.
 *
 * @param certFile the certificate chain, leaf first
 * @param keyFile the leaf's private key, PKCS#8 ({@code BEGIN PRIVATE KEY}), RSA or EC
 * @param clientCaFile the certificates client certificates must chain to; needed unless
 *     {@code clientAuth} is {@link ClientAuth#NONE}
 * @param clientAuth whether clients must present a certificate
 */
public record TlsSettings(Path certFile, Path keyFile, Optional<Path> clientCaFile, ClientAuth clientAuth) {
    public TlsSettings {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(clientCaFile, "clientCaFile");
        Objects.requireNonNull(clientAuth, "clientAuth");
        if (clientAuth != ClientAuth.NONE && clientCaFile.isEmpty()) {
            throw new IllegalArgumentException("client auth " + clientAuth.configValue()
                    + " needs the CA that client certificates chain to: set tls-client-ca");
        }
    }

    /** Server TLS without client certificates. */
    public static TlsSettings serverOnly(Path certFile, Path keyFile) {
        return new TlsSettings(certFile, keyFile, Optional.empty(), ClientAuth.NONE);
    }

    /** Mutual TLS: clients must present a certificate issued under {@code clientCaFile}. */
    public static TlsSettings mutual(Path certFile, Path keyFile, Path clientCaFile) {
        return new TlsSettings(certFile, keyFile, Optional.of(clientCaFile), ClientAuth.REQUIRE);
    }
}
