package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 of one request, canonicalised exactly as OPA's internal/providers/aws
 * does it (so signatures match OPA's byte for byte): the method as given, the escaped path, the
 * raw query, every header but the ones proxies rewrite, lower-cased and sorted, and the payload's
 * SHA-256 (or {@code UNSIGNED-PAYLOAD}). HMAC-SHA256 and SHA-256 come from the JDK.
 */
final class AwsSigV4 {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String CONTENT_SHA256 = "x-amz-content-sha256";
    /** Headers a proxy may change on the way, which AWS's signers leave out of the signature. */
    private static final Set<String> UNSIGNED_HEADERS = Set.of("authorization", "user-agent", "x-amzn-trace-id");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    record Credentials(String accessKey, String secretKey, String region, String sessionToken) {}

    /** The Authorization header's value and the headers signing adds ({@code host}, {@code x-amz-date}, ...). */
    record Signature(String authorization, Map<String, String> addedHeaders) {}

    private AwsSigV4() {}

    static Signature sign(String method, GoUrl url, JsonNode headers, String body, String service,
                          Credentials credentials, long timeNs, boolean unsignedPayload) {
        Instant now = Instant.ofEpochSecond(Math.floorDiv(timeNs, 1_000_000_000L), Math.floorMod(timeNs, 1_000_000_000L));
        String day = DAY.format(now);
        String stamp = STAMP.format(now);
        String payloadHash = unsignedPayload ? "UNSIGNED-PAYLOAD" : hex(sha256(body));

        Map<String, String> added = new TreeMap<>();
        added.put("host", url.host());
        added.put("x-amz-date", stamp);
        if (service.equals("s3") || service.equals("glacier")) {
            added.put(CONTENT_SHA256, payloadHash); // only these two services want the payload hash as a header
        }
        if (!credentials.sessionToken().isEmpty()) {
            added.put("x-amz-security-token", credentials.sessionToken());
        }
        // a request's own header wins over an added one of the same name in what is signed, as in OPA
        Map<String, String> signed = new TreeMap<>(added);
        headers.fields().forEachRemaining(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!UNSIGNED_HEADERS.contains(name)) {
                signed.put(name, h.getValue().textValue());
            }
        });

        StringBuilder canonical = new StringBuilder()
                .append(method).append('\n')
                .append(url.escapedPath()).append('\n')
                .append(url.rawQuery()).append('\n');
        signed.forEach((name, value) -> canonical.append(name).append(':').append(value).append('\n'));
        String signedNames = String.join(";", signed.keySet());
        canonical.append('\n').append(signedNames).append('\n').append(payloadHash);

        String scope = day + "/" + credentials.region() + "/" + service + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + stamp + "\n" + scope + "\n" + hex(sha256(canonical.toString()));
        byte[] key = hmac(("AWS4" + credentials.secretKey()).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, credentials.region());
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String authorization = ALGORITHM + " Credential=" + credentials.accessKey() + "/" + scope
                + ",SignedHeaders=" + signedNames + ",Signature=" + hex(hmac(key, stringToSign));
        return new Signature(authorization, added);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256")); // never empty: the first key starts "AWS4"
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
