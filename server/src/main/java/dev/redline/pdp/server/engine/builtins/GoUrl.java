package dev.redline.pdp.server.engine.builtins;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A URL as Go's {@code net/url.Parse} reads it (the Go the pinned opa is built with): the same
 * split into scheme, opaque part, authority, path, query and fragment, the same escaping rules per
 * component and the same refusals, each a {@link BuiltinError} carrying Go's message.
 */
record GoUrl(String scheme, String opaque, String host, String path, String rawPath, String rawQuery,
             String fragment) {
    private static final String PATH_KEEPS = "$&+,-./:;=@_~";
    private static final String HOST_KEEPS = "!\"$&'()*+,-.:;<=>[]_~";
    private static final String USERINFO_KEEPS = "-._:~!$&'()*+,;=%@";

    private enum Mode { PATH, HOST, ZONE, FRAGMENT, USERINFO }

    static GoUrl parse(String builtin, String raw) {
        int hash = raw.indexOf('#');
        String fragment = "";
        String u = hash < 0 ? raw : raw.substring(0, hash);
        GoUrl url = parseWithoutFragment(builtin, u);
        if (hash >= 0) {
            fragment = unescape(builtin, raw, raw.substring(hash + 1), Mode.FRAGMENT);
        }
        return new GoUrl(url.scheme, url.opaque, url.host, url.path, url.rawPath, url.rawQuery, fragment);
    }

    /** The host without a port or IPv6 brackets ({@code URL.Hostname}). */
    String hostname() {
        String h = splitHostPort()[0];
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** The path as it goes on the wire ({@code URL.EscapedPath}): the path as written where that spelled it validly, else escaped. */
    String escapedPath() {
        if (!rawPath.isEmpty() && validlyEncoded(rawPath)) {
            return rawPath;
        }
        return "*".equals(path) ? "*" : escape(path);
    }

    /** Whether an escaped path holds only what Go lets a path carry unescaped, besides its escapes. */
    private static boolean validlyEncoded(String s) {
        for (int i = 0; i < s.length(); i++) {
            int c = s.charAt(i);
            if (!(c == '%' || "!$&'()*+,;=:@[]".indexOf(c) >= 0 || (c < 0x80 && (isAlphanumeric(c) || PATH_KEEPS.indexOf(c) >= 0)))) {
                return false;
            }
        }
        return true;
    }

    /** The port's digits, or "" ({@code URL.Port}). */
    String port() {
        return splitHostPort()[1];
    }

    private String[] splitHostPort() {
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && validOptionalPort(host.substring(colon))) {
            return new String[] {host.substring(0, colon), host.substring(colon + 1)};
        }
        return new String[] {host, ""};
    }

    private static BuiltinError error(String builtin, String url, String message) {
        return new BuiltinError(builtin, "parse " + GoFormat.quote(url) + ": " + message);
    }

    private static GoUrl parseWithoutFragment(String builtin, String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw error(builtin, raw, "net/url: invalid control character in URL");
            }
        }
        if (raw.equals("*")) {
            return new GoUrl("", "", "", "*", "", "", "");
        }
        String scheme = "";
        String rest = raw;
        scan:
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                continue;
            }
            if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
                if (i == 0) {
                    break;
                }
                continue;
            }
            if (c == ':') {
                if (i == 0) {
                    throw error(builtin, raw, "missing protocol scheme");
                }
                scheme = raw.substring(0, i).toLowerCase(Locale.ROOT);
                rest = raw.substring(i + 1);
            }
            break scan;
        }
        String rawQuery = "";
        if (rest.endsWith("?") && rest.indexOf('?') == rest.length() - 1) {
            rest = rest.substring(0, rest.length() - 1);
        } else {
            int q = rest.indexOf('?');
            if (q >= 0) {
                rawQuery = rest.substring(q + 1);
                rest = rest.substring(0, q);
            }
        }
        if (!rest.startsWith("/")) {
            if (!scheme.isEmpty()) {
                return new GoUrl(scheme, rest, "", "", "", rawQuery, "");
            }
            int slash = rest.indexOf('/');
            if ((slash < 0 ? rest : rest.substring(0, slash)).contains(":")) {
                throw error(builtin, raw, "first path segment in URL cannot contain colon");
            }
        }
        String host = "";
        if ((!scheme.isEmpty() || !rest.startsWith("///")) && rest.startsWith("//")) {
            String authority = rest.substring(2);
            rest = "";
            int slash = authority.indexOf('/');
            if (slash >= 0) {
                rest = authority.substring(slash);
                authority = authority.substring(0, slash);
            }
            host = authority(builtin, raw, scheme, authority);
        }
        String path = unescape(builtin, raw, rest, Mode.PATH);
        String rawPath = escape(path).equals(rest) ? "" : rest;
        return new GoUrl(scheme, "", host, path, rawPath, rawQuery, "");
    }

    private static String authority(String builtin, String raw, String scheme, String authority) {
        int at = authority.lastIndexOf('@');
        String host = host(builtin, raw, scheme, at < 0 ? authority : authority.substring(at + 1));
        if (at >= 0) {
            String userinfo = authority.substring(0, at);
            for (int i = 0; i < userinfo.length(); i++) {
                char c = userinfo.charAt(i);
                if (!isAlphanumeric(c) && USERINFO_KEEPS.indexOf(c) < 0) {
                    throw error(builtin, raw, "net/url: invalid userinfo");
                }
            }
            for (String part : userinfo.split(":", 2)) {
                unescape(builtin, raw, part, Mode.USERINFO);
            }
        }
        return host;
    }

    private static String host(String builtin, String raw, String scheme, String host) {
        int open = host.lastIndexOf('[');
        if (open > 0) {
            throw error(builtin, raw, "invalid IP-literal");
        }
        if (open == 0) {
            int close = host.lastIndexOf(']');
            if (close < 0) {
                throw error(builtin, raw, "missing ']' in host");
            }
            String colonPort = host.substring(close + 1);
            if (!validOptionalPort(colonPort)) {
                throw error(builtin, raw, "invalid port " + GoFormat.quote(colonPort) + " after host");
            }
            String name = host.substring(1, close);
            int zone = name.indexOf("%25");
            String unescaped = zone < 0 ? unescape(builtin, raw, name, Mode.HOST)
                    : unescape(builtin, raw, name.substring(0, zone), Mode.HOST)
                            + unescape(builtin, raw, name.substring(zone), Mode.ZONE);
            if (!isIpv6Literal(unescaped)) {
                throw error(builtin, raw, "invalid IP-literal");
            }
            return "[" + unescaped + "]" + colonPort;
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            int last = host.lastIndexOf(':');
            // Go allows several colons (host lists) except in http and https URLs
            if (last != colon && !scheme.equals("http") && !scheme.equals("https")) {
                colon = last;
            }
            String colonPort = host.substring(colon);
            if (!validOptionalPort(colonPort)) {
                throw error(builtin, raw, "invalid port " + GoFormat.quote(colonPort) + " after host");
            }
        }
        return unescape(builtin, raw, host, Mode.HOST);
    }

    /** An IPv6 address (an IPv4-mapped one too, a zone allowed), never plain IPv4: what Go keeps in brackets. */
    private static boolean isIpv6Literal(String s) {
        if (s.indexOf('/') >= 0 || s.indexOf('*') >= 0 || !s.contains(":")) {
            return false;
        }
        try {
            IPAddress address = new IPAddressString(s).toAddress();
            return address.isIPv6();
        } catch (AddressStringException e) {
            return false;
        }
    }

    private static boolean validOptionalPort(String port) {
        if (port.isEmpty()) {
            return true;
        }
        if (port.charAt(0) != ':') {
            return false;
        }
        for (int i = 1; i < port.length(); i++) {
            if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlphanumeric(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean keepsInHost(int c) {
        return isAlphanumeric(c) || HOST_KEEPS.indexOf(c) >= 0;
    }

    /** Go's unescape: %XX decoded after checking each one; a host refuses escaped ASCII and characters hosts never hold. */
    private static String unescape(String builtin, String raw, String s, Mode mode) {
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            int c = in[i] & 0xff;
            if (c == '%') {
                if (i + 2 >= in.length || hex(in[i + 1]) < 0 || hex(in[i + 2]) < 0) {
                    String bad = new String(in, i, Math.min(3, in.length - i), StandardCharsets.UTF_8);
                    throw error(builtin, raw, "invalid URL escape " + GoFormat.quote(bad));
                }
                int v = hex(in[i + 1]) << 4 | hex(in[i + 2]);
                boolean percent = v == '%';
                if ((mode == Mode.HOST && hex(in[i + 1]) < 8 && !percent)
                        || (mode == Mode.ZONE && !percent && v != ' ' && !keepsInHost(v))) {
                    throw error(builtin, raw, "invalid URL escape "
                            + GoFormat.quote(new String(in, i, 3, StandardCharsets.UTF_8)));
                }
                out.write(v);
                i += 2;
            } else {
                if ((mode == Mode.HOST || mode == Mode.ZONE) && c < 0x80 && !keepsInHost(c)) {
                    throw error(builtin, raw, "invalid character " + GoFormat.quote(String.valueOf((char) c))
                            + " in host name");
                }
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Go's escape for a path: bytes outside the path's unreserved set as %XX. */
    private static String escape(String path) {
        StringBuilder out = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isAlphanumeric(c) || PATH_KEEPS.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }
}
