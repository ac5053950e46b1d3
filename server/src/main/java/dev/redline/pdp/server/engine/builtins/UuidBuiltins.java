package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@code uuid.parse} as OPA's internal/uuid reads a UUID with Go's google/uuid: the forms that
 * parser accepts, version and variant, and for versions 1 and 2 the time, node, clock sequence
 * (and for 2 the local id and domain). Text that is no UUID is undefined, as in OPA.
 */
final class UuidBuiltins {
    /** 100-ns intervals from the Gregorian reform (1582-10-15) to the Unix epoch. */
    private static final long GREGORIAN_TO_UNIX = 122_192_928_000_000_000L;

    private UuidBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put("uuid.parse", ops -> {
            byte[] uuid = bytes(Operands.string("uuid.parse", ops, 0));
            return uuid == null ? null : fields(uuid);
        });
    }

    /** The 16 bytes, or null: 36 characters with dashes, optionally after "urn:uuid:" or inside any two characters, or 32 hex digits. */
    private static byte[] bytes(String s) {
        String text = s;
        switch (s.length()) {
            case 36 -> { }
            case 45 -> {
                if (!s.substring(0, 9).equalsIgnoreCase("urn:uuid:")) {
                    return null;
                }
                text = s.substring(9);
            }
            case 38 -> text = s.substring(1, 37);
            case 32 -> {
                try {
                    return HexFormat.of().parseHex(s);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            default -> {
                return null;
            }
        }
        if (text.charAt(8) != '-' || text.charAt(13) != '-' || text.charAt(18) != '-' || text.charAt(23) != '-') {
            return null;
        }
        try {
            return HexFormat.of().parseHex(text.replace("-", ""));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static JsonNode fields(byte[] u) {
        ObjectNode out = Operands.NODES.objectNode();
        int version = (u[6] & 0xff) >> 4;
        out.set("version", Operands.integerNode(version));
        out.put("variant", variant(u[8] & 0xff));
        if (version == 1 || version == 2) {
            long time = uint(u, 0, 4) | uint(u, 4, 2) << 32 | (uint(u, 6, 2) & 0xfff) << 48;
            out.set("time", Operands.integerNode((time - GREGORIAN_TO_UNIX) * 100));
            StringBuilder node = new StringBuilder();
            for (int i = 10; i < 16; i++) {
                node.append(i == 10 ? "" : "-").append(HexFormat.of().toHexDigits(u[i]));
            }
            out.put("nodeid", node.toString());
            out.put("macvariables", macVariables(u[10] & 0xff));
            out.set("clocksequence", Operands.integerNode(uint(u, 8, 2) & 0x3fff));
            if (version == 2) {
                out.set("id", Operands.integerNode(uint(u, 0, 4)));
                out.put("domain", domain(u[9] & 0xff));
            }
        }
        return out;
    }

    private static long uint(byte[] u, int from, int length) {
        long v = 0;
        for (int i = from; i < from + length; i++) {
            v = v << 8 | (u[i] & 0xff);
        }
        return v;
    }

    private static String variant(int b) {
        if ((b & 0xc0) == 0x80) {
            return "RFC4122";
        }
        if ((b & 0xe0) == 0xc0) {
            return "Microsoft";
        }
        return (b & 0xe0) == 0xe0 ? "Future" : "Reserved";
    }

    /** The local/global and unicast/multicast bits of a MAC address's first byte (RFC 7042 §2.1). */
    private static String macVariables(int first) {
        if ((first & 0b11) == 0b11) {
            return "local:multicast";
        }
        if ((first & 0b01) == 0b01) {
            return "global:multicast";
        }
        return (first & 0b10) == 0b10 ? "local:unicast" : "global:unicast";
    }

    private static String domain(int d) {
        return switch (d) {
            case 0 -> "Person";
            case 1 -> "Group";
            case 2 -> "Org";
            default -> "Domain" + d;
        };
    }
}
