package dev.redline.pdp.server.audit.chain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A canonical JSON object followed, as its last member, by a seal over everything before it: the
 * record hash on a segment line, the HMAC in a digest file.
 *
 * <p>{@code {"a":1,"b":2}} sealed with field {@code hash} is written
 * {@code {"a":1,"b":2,"hash":"<64 hex>"}}: the seal member comes last whatever its name, so the
 * sealed bytes are exactly the written bytes minus the seal member, and a verifier recovers them
 * by cutting a fixed-length suffix, without re-serialising anything.
 */
final class SealedJson {
    private static final int HEX_LENGTH = 64;

    /** The body and the seal value read back from a sealed object. */
    record Split(byte[] body, String seal) {}

    private SealedJson() {}

    static byte[] seal(byte[] body, String field, String sealHex) {
        if (body.length < 3 || body[0] != '{' || body[body.length - 1] != '}') {
            throw new IllegalArgumentException("only a non-empty JSON object can be sealed");
        }
        byte[] suffix = (",\"" + field + "\":\"" + sealHex + "\"}").getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = Arrays.copyOf(body, body.length - 1 + suffix.length);
        System.arraycopy(suffix, 0, sealed, body.length - 1, suffix.length);
        return sealed;
    }

    /** Splits {@code bytes[offset, offset + length)}; empty when it does not end in the seal member. */
    static Optional<Split> split(byte[] bytes, int offset, int length, String field) {
        byte[] prefix = (",\"" + field + "\":\"").getBytes(StandardCharsets.US_ASCII);
        int suffixLength = prefix.length + HEX_LENGTH + 2;
        if (length < suffixLength + 2 || bytes[offset] != '{') {
            return Optional.empty();
        }
        int suffixStart = offset + length - suffixLength;
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[suffixStart + i] != prefix[i]) {
                return Optional.empty();
            }
        }
        if (bytes[offset + length - 2] != '"' || bytes[offset + length - 1] != '}') {
            return Optional.empty();
        }
        String seal = new String(bytes, suffixStart + prefix.length, HEX_LENGTH, StandardCharsets.US_ASCII);
        if (!Sha256.isHash(seal)) {
            return Optional.empty();
        }
        byte[] body = Arrays.copyOfRange(bytes, offset, suffixStart + 1);
        body[body.length - 1] = '}';
        return Optional.of(new Split(body, seal));
    }
}
