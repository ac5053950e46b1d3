package dev.redline.pdp.server.identity;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The principal a verified client certificate names: its URI SAN (a SPIFFE id), else its DNS SAN,
 * else its subject DN. The first of each kind counts, so a certificate names exactly one principal.
 */
public final class CertificatePrincipal {
    private static final int DNS_NAME = 2;
    private static final int URI = 6;

    private CertificatePrincipal() {}

    public static String of(X509Certificate certificate) {
        return firstSan(certificate, URI)
                .or(() -> firstSan(certificate, DNS_NAME))
                .orElseGet(() -> certificate.getSubjectX500Principal().getName());
    }

    private static Optional<String> firstSan(X509Certificate certificate, int kind) {
        Collection<List<?>> sans;
        try {
            sans = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (sans == null) {
            return Optional.empty();
        }
        for (List<?> san : sans) {
            if (san.size() >= 2 && Integer.valueOf(kind).equals(san.get(0)) && san.get(1) instanceof String name
                    && !name.isEmpty()) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
