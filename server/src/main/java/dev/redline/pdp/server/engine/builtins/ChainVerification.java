package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * Go's {@code x509.Certificate.Verify} as OPA calls it: the first certificate is the only root,
 * the last the leaf, the others intermediates; the chain is built and checked by the JDK's PKIX
 * builder (signatures, validity, CA constraints), then Go's extra rules are applied: the extended
 * key usages asked for (server authentication when none are) and the leaf's name.
 *
 * @param dnsName the host name or IP address the leaf must name, or "" for none
 * @param time the time to verify at, or null for now
 * @param usages extended key usage OIDs the chain must allow one of; empty means server authentication
 */
record ChainVerification(String dnsName, Date time, Set<String> usages) {
    private static final String ANY = "2.5.29.37.0";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    /** OPA's names for Go's x509.ExtKeyUsage values, with their OIDs. */
    private static final Map<String, String> USAGE_NAMES = Map.ofEntries(
            Map.entry("KeyUsageAny", ANY), Map.entry("KeyUsageServerAuth", SERVER_AUTH),
            Map.entry("KeyUsageClientAuth", "1.3.6.1.5.5.7.3.2"), Map.entry("KeyUsageCodeSigning", "1.3.6.1.5.5.7.3.3"),
            Map.entry("KeyUsageEmailProtection", "1.3.6.1.5.5.7.3.4"),
            Map.entry("KeyUsageIPSECEndSystem", "1.3.6.1.5.5.7.3.5"), Map.entry("KeyUsageIPSECTunnel", "1.3.6.1.5.5.7.3.6"),
            Map.entry("KeyUsageIPSECUser", "1.3.6.1.5.5.7.3.7"), Map.entry("KeyUsageTimeStamping", "1.3.6.1.5.5.7.3.8"),
            Map.entry("KeyUsageOCSPSigning", "1.3.6.1.5.5.7.3.9"),
            Map.entry("KeyUsageMicrosoftServerGatedCrypto", "1.3.6.1.4.1.311.10.3.3"),
            Map.entry("KeyUsageNetscapeServerGatedCrypto", "2.16.840.1.113730.4.1"),
            Map.entry("KeyUsageMicrosoftCommercialCodeSigning", "1.3.6.1.4.1.311.2.1.22"),
            Map.entry("KeyUsageMicrosoftKernelCodeSigning", "1.3.6.1.4.1.311.61.1.1"));

    static final ChainVerification DEFAULTS = new ChainVerification("", null, Set.of());

    /** The options object of parse_and_verify_certificates_with_options, refused with OPA's messages. */
    static ChainVerification fromOptions(String builtin, JsonNode options) {
        String dnsName = "";
        Date time = null;
        Set<String> usages = new LinkedHashSet<>();
        var fields = options.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "DNSName" -> {
                    if (!v.isTextual()) {
                        throw new BuiltinError(builtin, "'DNSName' should be a string");
                    }
                    dnsName = v.textValue().replace("\"", "");
                }
                case "CurrentTime" -> {
                    if (!v.isNumber()) {
                        throw new BuiltinError(builtin, "'CurrentTime' should be a number");
                    }
                    if (!v.isIntegralNumber() || v instanceof ValueText.WrittenNumber || v.bigIntegerValue().bitLength() >= 64) {
                        throw new BuiltinError(builtin, "'CurrentTime' should be a valid int64 number");
                    }
                    time = new Date(Math.floorDiv(v.longValue(), 1_000_000L));
                }
                case "MaxConstraintComparisons" -> {
                    // a bound on Go's name-constraint work; the JDK's builder has no such bound to set
                    if (!v.isNumber()) {
                        throw new BuiltinError(builtin, "'MaxConstraintComparisons' should be a number");
                    }
                    if (!v.isIntegralNumber() || v instanceof ValueText.WrittenNumber
                            || v.bigIntegerValue().bitLength() >= 64) {
                        throw new BuiltinError(builtin, "'MaxConstraintComparisons' should be a valid number");
                    }
                }
                case "KeyUsages" -> {
                    if (!v.isArray()) {
                        throw new BuiltinError(builtin, "'KeyUsages' should be an Array or Set");
                    }
                    List<String> invalid = new ArrayList<>();
                    for (JsonNode u : v) {
                        if (u.isTextual()) {
                            String oid = USAGE_NAMES.get(u.textValue().replace("\"", ""));
                            if (oid == null) {
                                invalid.add(u.textValue());
                            } else {
                                usages.add(oid);
                            }
                        }
                    }
                    if (!invalid.isEmpty()) {
                        throw new BuiltinError(builtin, "invalid entries for 'KeyUsages' found: [" + String.join(" ", invalid) + "]");
                    }
                }
                default -> throw new BuiltinError(builtin, "invalid key option");
            }
        }
        return new ChainVerification(dnsName, time, Set.copyOf(usages));
    }

    /** The verified chain from leaf to root, or null when the certificates do not verify. */
    List<Certificate> verify(List<Certificate> certs) {
        if (certs.size() < 2) {
            return null;
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> jdk = new ArrayList<>();
            for (Certificate c : certs) {
                jdk.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(c.getEncoded())));
            }
            X509Certificate root = jdk.get(0);
            X509CertSelector leaf = new X509CertSelector();
            leaf.setCertificate(jdk.get(jdk.size() - 1));
            PKIXBuilderParameters params = new PKIXBuilderParameters(Set.of(new TrustAnchor(root, null)), leaf);
            params.setRevocationEnabled(false);
            params.setDate(time);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(jdk.subList(1, jdk.size()))));
            PKIXCertPathBuilderResult built = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
            List<X509Certificate> chain = new ArrayList<>();
            built.getCertPath().getCertificates().forEach(c -> chain.add((X509Certificate) c));
            chain.add(root);
            if (!namesHost(chain.get(0)) || !allowsUsages(chain)) {
                return null;
            }
            List<Certificate> out = new ArrayList<>();
            for (X509Certificate c : chain) {
                out.add(Certificate.getInstance(c.getEncoded()));
            }
            return out;
        } catch (GeneralSecurityException | IOException e) {
            return null;
        }
    }

    /** Go's rule: one usage asked for must be allowed by every certificate that names usages (any allows all). */
    private boolean allowsUsages(List<X509Certificate> chain) throws GeneralSecurityException {
        Set<String> remaining = new LinkedHashSet<>(usages.isEmpty() ? Set.of(SERVER_AUTH) : usages);
        if (remaining.contains(ANY)) {
            return true;
        }
        for (X509Certificate c : chain) {
            List<String> named = c.getExtendedKeyUsage();
            if (named == null || named.contains(ANY)) {
                continue;
            }
            remaining.retainAll(named);
            if (remaining.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Go's VerifyHostname: an IP among the IP SANs, else a DNS SAN equal to the name, a leading "*" for one label. */
    private boolean namesHost(X509Certificate leaf) throws GeneralSecurityException {
        if (dnsName.isEmpty()) {
            return true;
        }
        String host = dnsName.startsWith("[") && dnsName.endsWith("]") ? dnsName.substring(1, dnsName.length() - 1) : dnsName;
        Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
        if (sans == null) {
            return false;
        }
        IPAddress ip = new IPAddressString(host).getAddress();
        boolean literal = ip != null && host.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == '.' || ch == ':');
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            if (literal && type == 7) {
                IPAddress named = new IPAddressString((String) san.get(1)).getAddress();
                if (named != null && sameIp(named, ip)) {
                    return true;
                }
            } else if (!literal && type == 2 && matches((String) san.get(1), host)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameIp(IPAddress a, IPAddress b) {
        BigInteger x = a.isIPv4() ? a.getValue() : a.toIPv6().isIPv4Mapped() ? a.toIPv6().getEmbeddedIPv4Address().getValue() : null;
        BigInteger y = b.isIPv4() ? b.getValue() : b.toIPv6().isIPv4Mapped() ? b.toIPv6().getEmbeddedIPv4Address().getValue() : null;
        return x != null && y != null ? x.equals(y) : a.isIPv6() && b.isIPv6() && a.getValue().equals(b.getValue());
    }

    private static boolean matches(String pattern, String host) {
        String[] p = trimDot(pattern).toLowerCase(Locale.ROOT).split("\\.", -1);
        String[] h = trimDot(host).toLowerCase(Locale.ROOT).split("\\.", -1);
        if (p.length != h.length || trimDot(pattern).isEmpty()) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (!(i == 0 && p[i].equals("*")) && !p[i].equals(h[i])) {
                return false;
            }
        }
        return true;
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
