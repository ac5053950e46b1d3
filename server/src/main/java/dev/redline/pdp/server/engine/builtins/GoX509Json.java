package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;

/**
 * Go's {@code x509.Certificate} and {@code x509.CertificateRequest} as {@code json.Marshal} writes
 * them, which is what OPA's crypto.x509 builtins return: byte fields base64, OIDs as integer
 * arrays (policies as dotted text), enums as Go's numbers, big integers as JSON numbers, absent
 * lists null. Parsed with BouncyCastle's ASN.1 types; public keys read with the JDK.
 */
final class GoX509Json {
    /** Go's x509.SignatureAlgorithm numbers by signature OID (RSASSA-PSS is decided by its hash). */
    private static final Map<String, Integer> SIGNATURE_ALGORITHMS = Map.ofEntries(
            Map.entry("1.2.840.113549.1.1.2", 1), Map.entry("1.2.840.113549.1.1.4", 2),
            Map.entry("1.2.840.113549.1.1.5", 3), Map.entry("1.3.14.3.2.29", 3),
            Map.entry("1.2.840.113549.1.1.11", 4), Map.entry("1.2.840.113549.1.1.12", 5),
            Map.entry("1.2.840.113549.1.1.13", 6), Map.entry("1.2.840.10040.4.3", 7),
            Map.entry("2.16.840.1.101.3.4.3.2", 8), Map.entry("1.2.840.10045.4.1", 9),
            Map.entry("1.2.840.10045.4.3.2", 10), Map.entry("1.2.840.10045.4.3.3", 11),
            Map.entry("1.2.840.10045.4.3.4", 12), Map.entry("1.3.101.112", 16));
    private static final String RSASSA_PSS = "1.2.840.113549.1.1.10";
    private static final Map<String, Integer> PSS_BY_HASH = Map.of(
            "2.16.840.1.101.3.4.2.1", 13, "2.16.840.1.101.3.4.2.2", 14, "2.16.840.1.101.3.4.2.3", 15);
    /** Go's x509.ExtKeyUsage numbers by purpose OID. */
    private static final Map<String, Integer> EXT_KEY_USAGES = Map.ofEntries(
            Map.entry("2.5.29.37.0", 0), Map.entry("1.3.6.1.5.5.7.3.1", 1), Map.entry("1.3.6.1.5.5.7.3.2", 2),
            Map.entry("1.3.6.1.5.5.7.3.3", 3), Map.entry("1.3.6.1.5.5.7.3.4", 4), Map.entry("1.3.6.1.5.5.7.3.5", 5),
            Map.entry("1.3.6.1.5.5.7.3.6", 6), Map.entry("1.3.6.1.5.5.7.3.7", 7), Map.entry("1.3.6.1.5.5.7.3.8", 8),
            Map.entry("1.3.6.1.5.5.7.3.9", 9), Map.entry("1.3.6.1.4.1.311.10.3.3", 10),
            Map.entry("2.16.840.1.113730.4.1", 11), Map.entry("1.3.6.1.4.1.311.2.1.22", 12),
            Map.entry("1.3.6.1.4.1.311.61.1.1", 13));
    /** The extensions Go's parser understands; a critical one outside these is "unhandled". */
    private static final java.util.Set<String> HANDLED_EXTENSIONS = java.util.Set.of("2.5.29.15", "2.5.29.19",
            "2.5.29.17", "2.5.29.30", "2.5.29.31", "2.5.29.35", "2.5.29.14", "2.5.29.37", "2.5.29.32",
            "2.5.29.36", "2.5.29.54", "2.5.29.33", "1.3.6.1.5.5.7.1.1");

    private GoX509Json() {}

    /** One certificate, with OPA's extra {@code URIStrings} field. */
    static ObjectNode certificate(Certificate cert) throws IOException {
        TBSCertificate tbs = cert.getTBSCertificate();
        ObjectNode out = signed(new Signed(cert, "RawTBSCertificate", tbs, tbs.getSubjectPublicKeyInfo(),
                tbs.getSubject(), cert.getSignature(), cert.getSignatureAlgorithm()));
        out.put("RawIssuer", der(tbs.getIssuer()));
        out.set("Version", Operands.integerNode(tbs.getVersionNumber()));
        out.set("SerialNumber", Operands.NODES.numberNode(tbs.getSerialNumber().getValue()));
        out.set("Issuer", name(tbs.getIssuer()));
        out.put("NotBefore", time(tbs.getStartDate().getDate()));
        out.put("NotAfter", time(tbs.getEndDate().getDate()));
        for (String list : new String[] {"ExtraExtensions", "UnhandledCriticalExtensions", "ExtKeyUsage",
                "UnknownExtKeyUsage", "SubjectKeyId", "AuthorityKeyId", "OCSPServer", "IssuingCertificateURL",
                "DNSNames", "EmailAddresses", "IPAddresses", "URIs", "PermittedDNSDomains", "ExcludedDNSDomains",
                "PermittedIPRanges", "ExcludedIPRanges", "PermittedEmailAddresses", "ExcludedEmailAddresses",
                "PermittedURIDomains", "ExcludedURIDomains", "CRLDistributionPoints", "PolicyIdentifiers",
                "Policies", "PolicyMappings", "URIStrings", "Extensions"}) {
            out.putNull(list);
        }
        out.put("KeyUsage", 0);
        out.put("BasicConstraintsValid", false);
        out.put("IsCA", false);
        out.put("MaxPathLen", 0);
        out.put("MaxPathLenZero", false);
        out.put("PermittedDNSDomainsCritical", false);
        // policy constraints (RFC 5280 4.2.1.11, 4.2.1.14) are left at Go's zero values
        for (String policy : new String[] {"InhibitAnyPolicy", "InhibitPolicyMapping", "RequireExplicitPolicy"}) {
            out.put(policy, 0);
            out.put(policy + "Zero", false);
        }
        Extensions extensions = tbs.getExtensions();
        if (extensions != null) {
            extensions(extensions, out, true);
        }
        return out;
    }

    /** A PKCS#10 request, as Go's {@code x509.CertificateRequest}. */
    static ObjectNode certificateRequest(CertificationRequest csr) throws IOException {
        var info = csr.getCertificationRequestInfo();
        ObjectNode out = signed(new Signed(csr, "RawTBSCertificateRequest", info, info.getSubjectPublicKeyInfo(),
                info.getSubject(), csr.getSignature(), csr.getSignatureAlgorithm()));
        out.set("Version", Operands.integerNode(info.getVersion().intValueExact()));
        for (String list : new String[] {"Attributes", "Extensions", "ExtraExtensions", "DNSNames",
                "EmailAddresses", "IPAddresses", "URIs"}) {
            out.putNull(list);
        }
        var attributes = info.getAttributes();
        for (int i = 0; attributes != null && i < attributes.size(); i++) {
            var attribute = org.bouncycastle.asn1.pkcs.Attribute.getInstance(attributes.getObjectAt(i));
            if (attribute.getAttrType().equals(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
                for (ASN1Encodable value : attribute.getAttributeValues()) {
                    extensions(Extensions.getInstance(value), out, false);
                }
            }
        }
        return out;
    }

    /** What a certificate and a request share: a signed body naming a subject and its public key. */
    private record Signed(ASN1Object whole, String bodyField, ASN1Object body, SubjectPublicKeyInfo publicKey,
                          X500Name subject, ASN1BitString signature, AlgorithmIdentifier algorithm) {}

    private static ObjectNode signed(Signed s) throws IOException {
        ObjectNode out = Operands.NODES.objectNode();
        out.put("Raw", der(s.whole()));
        out.put(s.bodyField(), der(s.body()));
        out.put("RawSubjectPublicKeyInfo", der(s.publicKey()));
        out.put("RawSubject", der(s.subject()));
        out.put("Signature", base64(s.signature().getOctets()));
        out.set("SignatureAlgorithm", Operands.integerNode(signatureAlgorithm(s.algorithm())));
        publicKey(s.publicKey(), out);
        out.set("Subject", name(s.subject()));
        return out;
    }

    private static String der(ASN1Object o) throws IOException {
        return base64(o.getEncoded(ASN1Encoding.DER));
    }

    private static int signatureAlgorithm(AlgorithmIdentifier algorithm) {
        String oid = algorithm.getAlgorithm().getId();
        if (oid.equals(RSASSA_PSS)) {
            RSASSAPSSparams params = RSASSAPSSparams.getInstance(algorithm.getParameters());
            return PSS_BY_HASH.getOrDefault(params.getHashAlgorithm().getAlgorithm().getId(), 0);
        }
        return SIGNATURE_ALGORITHMS.getOrDefault(oid, 0);
    }

    /** PublicKeyAlgorithm and PublicKey: RSA {N, E}, ECDSA {Curve, X, Y}, Ed25519 bytes, DSA {Parameters, Y}. */
    private static void publicKey(SubjectPublicKeyInfo spki, ObjectNode out) throws IOException {
        String oid = spki.getAlgorithm().getAlgorithm().getId();
        X509EncodedKeySpec spec = new X509EncodedKeySpec(spki.getEncoded(ASN1Encoding.DER));
        int algorithm = 0;
        JsonNode key = Operands.NODES.nullNode();
        try {
            switch (oid) {
                case "1.2.840.113549.1.1.1" -> {
                    RSAPublicKey rsa = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(spec);
                    algorithm = 1;
                    key = Operands.NODES.objectNode().<ObjectNode>set("N", number(rsa.getModulus()))
                            .set("E", number(rsa.getPublicExponent()));
                }
                case "1.2.840.10040.4.1" -> {
                    DSAPublicKey dsa = (DSAPublicKey) KeyFactory.getInstance("DSA").generatePublic(spec);
                    algorithm = 2;
                    ObjectNode params = Operands.NODES.objectNode();
                    params.set("P", number(dsa.getParams().getP()));
                    params.set("Q", number(dsa.getParams().getQ()));
                    params.set("G", number(dsa.getParams().getG()));
                    key = Operands.NODES.objectNode().<ObjectNode>set("Parameters", params).set("Y", number(dsa.getY()));
                }
                case "1.2.840.10045.2.1" -> {
                    ECPublicKey ec = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec);
                    algorithm = 3;
                    key = ecPoint(ec.getW().getAffineX(), ec.getW().getAffineY());
                }
                case "1.3.101.112" -> {
                    algorithm = 4;
                    key = Operands.text(base64(spki.getPublicKeyData().getOctets()));
                }
                default -> { }
            }
        } catch (GeneralSecurityException e) {
            throw new BuiltinError("crypto.x509", "x509: failed to parse public key: " + e.getMessage());
        }
        out.set("PublicKeyAlgorithm", Operands.integerNode(algorithm));
        out.set("PublicKey", key);
    }

    /** An elliptic-curve point as Go writes an ecdsa key's public part (the curve writes as {}). */
    static ObjectNode ecPoint(BigInteger x, BigInteger y) {
        ObjectNode key = Operands.NODES.objectNode();
        key.set("Curve", Operands.NODES.objectNode());
        key.set("X", number(x));
        key.set("Y", number(y));
        return key;
    }

    /** A pkix.Name: the attributes Go names, in their fields, and every attribute in order under Names. */
    private static ObjectNode name(X500Name x500) {
        ObjectNode out = Operands.NODES.objectNode();
        String[] lists = {"Country", "Organization", "OrganizationalUnit", "Locality", "Province", "StreetAddress",
            "PostalCode"};
        for (String list : lists) {
            out.putNull(list);
        }
        out.put("SerialNumber", "");
        out.put("CommonName", "");
        ArrayNode names = Operands.array();
        for (RDN rdn : x500.getRDNs()) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (!(attribute.getValue() instanceof ASN1String s)) {
                    throw new BuiltinError("crypto.x509", "x509: unsupported string type in a name");
                }
                String value = s.getString();
                ObjectNode entry = Operands.NODES.objectNode();
                entry.set("Type", oid(attribute.getType()));
                entry.put("Value", value);
                names.add(entry);
                String field = switch (attribute.getType().getId()) {
                    case "2.5.4.6" -> "Country";
                    case "2.5.4.10" -> "Organization";
                    case "2.5.4.11" -> "OrganizationalUnit";
                    case "2.5.4.7" -> "Locality";
                    case "2.5.4.8" -> "Province";
                    case "2.5.4.9" -> "StreetAddress";
                    case "2.5.4.17" -> "PostalCode";
                    case "2.5.4.5" -> "SerialNumber";
                    case "2.5.4.3" -> "CommonName";
                    default -> null;
                };
                if ("SerialNumber".equals(field) || "CommonName".equals(field)) {
                    out.put(field, value);
                } else if (field != null) {
                    listAt(out, field).add(value);
                }
            }
        }
        out.set("Names", names);
        out.putNull("ExtraNames");
        return out;
    }

    /** The Extensions list, and the fields Go fills from the extensions it knows. */
    private static void extensions(Extensions extensions, ObjectNode out, boolean certificate) {
        ArrayNode all = Operands.array();
        for (ASN1ObjectIdentifier id : extensions.getExtensionOIDs()) {
            Extension e = extensions.getExtension(id);
            ObjectNode entry = Operands.NODES.objectNode();
            entry.set("Id", oid(id));
            entry.put("Critical", e.isCritical());
            entry.put("Value", base64(e.getExtnValue().getOctets()));
            all.add(entry);
            if (id.equals(Extension.subjectAlternativeName)) {
                subjectAltNames(GeneralNames.getInstance(e.getParsedValue()), out);
            } else if (certificate) {
                certificateExtension(e, out);
            }
        }
        out.set("Extensions", all);
    }

    private static void certificateExtension(Extension e, ObjectNode out) {
        String id = e.getExtnId().getId();
        ASN1Encodable value = e.getParsedValue();
        switch (id) {
            case "2.5.29.15" -> {
                ASN1BitString bits = ASN1BitString.getInstance(value);
                byte[] bytes = bits.getBytes();
                int usage = 0;
                for (int i = 0; i < 9 && i / 8 < bytes.length; i++) {
                    if ((bytes[i / 8] & (0x80 >> (i % 8))) != 0) {
                        usage |= 1 << i;
                    }
                }
                out.put("KeyUsage", usage);
            }
            case "2.5.29.19" -> {
                BasicConstraints constraints = BasicConstraints.getInstance(value);
                BigInteger pathLen = constraints.getPathLenConstraint();
                out.put("BasicConstraintsValid", true);
                out.put("IsCA", constraints.isCA());
                out.put("MaxPathLen", pathLen == null ? -1 : pathLen.intValueExact());
                out.put("MaxPathLenZero", pathLen != null && pathLen.signum() == 0);
            }
            case "2.5.29.37" -> {
                for (KeyPurposeId purpose : ExtendedKeyUsage.getInstance(value).getUsages()) {
                    Integer known = EXT_KEY_USAGES.get(purpose.getId());
                    if (known != null) {
                        listAt(out, "ExtKeyUsage").add(known);
                    } else {
                        listAt(out, "UnknownExtKeyUsage").add(oid(purpose.toOID()));
                    }
                }
            }
            case "2.5.29.14" -> out.put("SubjectKeyId", base64(ASN1OctetString.getInstance(value).getOctets()));
            case "2.5.29.35" -> {
                byte[] keyId = AuthorityKeyIdentifier.getInstance(value).getKeyIdentifier();
                if (keyId != null) {
                    out.put("AuthorityKeyId", base64(keyId));
                }
            }
            case "1.3.6.1.5.5.7.1.1" -> {
                for (AccessDescription d : AuthorityInformationAccess.getInstance(value).getAccessDescriptions()) {
                    String uri = uri(d.getAccessLocation());
                    if (uri != null && d.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
                        listAt(out, "OCSPServer").add(uri);
                    } else if (uri != null && d.getAccessMethod().equals(AccessDescription.id_ad_caIssuers)) {
                        listAt(out, "IssuingCertificateURL").add(uri);
                    }
                }
            }
            case "2.5.29.31" -> {
                for (DistributionPoint point : CRLDistPoint.getInstance(value).getDistributionPoints()) {
                    DistributionPointName name = point.getDistributionPoint();
                    if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                        for (GeneralName g : GeneralNames.getInstance(name.getName()).getNames()) {
                            String uri = uri(g);
                            if (uri != null) {
                                listAt(out, "CRLDistributionPoints").add(uri);
                            }
                        }
                    }
                }
            }
            case "2.5.29.32" -> {
                for (PolicyInformation policy : CertificatePolicies.getInstance(value).getPolicyInformation()) {
                    listAt(out, "PolicyIdentifiers").add(oid(policy.getPolicyIdentifier()));
                    listAt(out, "Policies").add(policy.getPolicyIdentifier().getId());
                }
            }
            case "2.5.29.30" -> {
                NameConstraints constraints = NameConstraints.getInstance(value);
                out.put("PermittedDNSDomainsCritical", e.isCritical());
                subtrees(constraints.getPermittedSubtrees(), "Permitted", out);
                subtrees(constraints.getExcludedSubtrees(), "Excluded", out);
            }
            default -> {
                if (e.isCritical() && !HANDLED_EXTENSIONS.contains(id)) {
                    listAt(out, "UnhandledCriticalExtensions").add(oid(e.getExtnId()));
                }
            }
        }
    }

    private static void subjectAltNames(GeneralNames names, ObjectNode out) {
        for (GeneralName g : names.getNames()) {
            switch (g.getTagNo()) {
                case GeneralName.rfc822Name -> listAt(out, "EmailAddresses").add(((ASN1String) g.getName()).getString());
                case GeneralName.dNSName -> listAt(out, "DNSNames").add(((ASN1String) g.getName()).getString());
                case GeneralName.iPAddress -> listAt(out, "IPAddresses")
                        .add(ip(ASN1OctetString.getInstance(g.getName()).getOctets()));
                case GeneralName.uniformResourceIdentifier -> {
                    String uri = ((ASN1String) g.getName()).getString();
                    listAt(out, "URIs").add(url(GoUrl.parse("crypto.x509", uri)));
                    listAt(out, "URIStrings").add(uri);
                }
                default -> { }
            }
        }
    }

    private static void subtrees(GeneralSubtree[] subtrees, String kind, ObjectNode out) {
        for (int i = 0; subtrees != null && i < subtrees.length; i++) {
            GeneralName g = subtrees[i].getBase();
            switch (g.getTagNo()) {
                case GeneralName.dNSName -> listAt(out, kind + "DNSDomains").add(((ASN1String) g.getName()).getString());
                case GeneralName.rfc822Name -> listAt(out, kind + "EmailAddresses")
                        .add(((ASN1String) g.getName()).getString());
                case GeneralName.uniformResourceIdentifier -> listAt(out, kind + "URIDomains")
                        .add(((ASN1String) g.getName()).getString());
                case GeneralName.iPAddress -> {
                    byte[] both = ASN1OctetString.getInstance(g.getName()).getOctets();
                    ObjectNode range = Operands.NODES.objectNode();
                    range.put("IP", ip(Arrays.copyOfRange(both, 0, both.length / 2)));
                    range.put("Mask", base64(Arrays.copyOfRange(both, both.length / 2, both.length)));
                    listAt(out, kind + "IPRanges").add(range);
                }
                default -> { }
            }
        }
    }

    /** A url.URL as Go's json.Marshal writes one. */
    private static ObjectNode url(GoUrl u) {
        ObjectNode out = Operands.NODES.objectNode();
        out.put("Scheme", u.scheme());
        out.put("Opaque", u.opaque());
        out.putNull("User");
        out.put("Host", u.host());
        out.put("Path", u.path());
        out.put("RawPath", u.rawPath());
        out.put("OmitHost", false);
        out.put("ForceQuery", false);
        out.put("RawQuery", u.rawQuery());
        out.put("Fragment", u.fragment());
        out.put("RawFragment", "");
        return out;
    }

    private static String uri(GeneralName g) {
        return g.getTagNo() == GeneralName.uniformResourceIdentifier ? ((ASN1String) g.getName()).getString() : null;
    }

    /** A net.IP as Go prints it: dotted for IPv4 (and IPv4-mapped IPv6), RFC 5952 for IPv6. */
    private static String ip(byte[] bytes) {
        if (bytes.length == 4) {
            return new IPv4Address(bytes).toCanonicalString();
        }
        if (bytes.length == 16) {
            IPAddress v6 = new IPv6Address(bytes);
            return v6.isIPv4Convertible() && ((IPv6Address) v6).isIPv4Mapped()
                    ? ((IPv6Address) v6).getEmbeddedIPv4Address().toCanonicalString() : v6.toCanonicalString();
        }
        return "?" + java.util.HexFormat.of().formatHex(bytes); // Go's text for an IP of another length
    }

    private static ArrayNode listAt(ObjectNode out, String field) {
        JsonNode existing = out.get(field);
        if (existing instanceof ArrayNode array) {
            return array;
        }
        return out.putArray(field);
    }

    private static ArrayNode oid(ASN1ObjectIdentifier oid) {
        ArrayNode out = Operands.array();
        for (String arc : oid.getId().split("\\.")) {
            out.add(Operands.NODES.numberNode(new BigInteger(arc)));
        }
        return out;
    }

    /** A time.Time as Go writes it (RFC 3339, fraction only when there is one, trailing zeros dropped). */
    private static String time(Date date) {
        Instant t = date.toInstant();
        String s = t.toString();
        if (t.getNano() == 0) {
            return s;
        }
        int dot = s.indexOf('.');
        String fraction = s.substring(dot + 1, s.length() - 1).replaceAll("0+$", "");
        return s.substring(0, dot + 1) + fraction + "Z";
    }

    static JsonNode number(BigInteger n) {
        return Operands.NODES.numberNode(n);
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
