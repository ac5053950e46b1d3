package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressSeqRange;
import inet.ipaddr.IPAddressString;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code net.cidr_*} builtins the Wasm does not carry, as OPA's topdown/cidr.go with Go's
 * {@code net.ParseCIDR}/{@code ParseIP} rules (no leading zeros in IPv4, no zones), on the
 * ipaddress library. {@code net.lookup_ip_addr} reaches the network and is not provided.
 */
final class NetBuiltins {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");

    private NetBuiltins() {}

    /** A parsed network: its block, and how Go prints the network it parsed (IP masked, or not for a bare IPv4). */
    private record Network(IPAddress block, String goString) {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put("net.cidr_is_valid", ops -> Operands.bool(ops[0].isTextual() && parseCidr(ops[0].textValue()) != null));
        builtins.put("net.cidr_expand", NetBuiltins::expand);
        builtins.put("net.cidr_merge", NetBuiltins::merge);
        builtins.put("net.cidr_contains_matches", NetBuiltins::containsMatches);
    }

    /** Go's ParseIP: dotted IPv4 without leading zeros, or IPv6 without a zone. */
    private static IPAddress parseIp(String s) {
        if (s.indexOf(':') < 0) {
            return IPV4.matcher(s).matches() ? new IPAddressString(s).getAddress() : null;
        }
        if (s.contains("%") || s.contains("/")) {
            return null;
        }
        IPAddress a = new IPAddressString(s).getAddress();
        return a != null && a.isIPv6() ? a : null;
    }

    /** Go's ParseCIDR: "ip/prefix", the block of the masked ip. */
    private static Network parseCidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0 || !PREFIX.matcher(s.substring(slash + 1)).matches()) {
            return null;
        }
        IPAddress ip = parseIp(s.substring(0, slash));
        int prefix = Integer.parseInt(s.substring(slash + 1));
        if (ip == null || prefix > ip.getBitCount()) {
            return null;
        }
        IPAddress block = ip.setPrefixLength(prefix, false).toPrefixBlock();
        return new Network(block, goIp(block.getLower().withoutPrefixLength()) + "/" + prefix);
    }

    /** Go prints an IPv4-mapped IPv6 address as IPv4. */
    private static String goIp(IPAddress a) {
        if (a.isIPv6() && a.toIPv6().isIPv4Mapped()) {
            return a.toIPv6().getEmbeddedIPv4Address().toCanonicalString();
        }
        return a.withoutPrefixLength().toCanonicalString();
    }

    private static JsonNode expand(JsonNode[] ops) {
        Network n = parseCidr(Operands.string("net.cidr_expand", ops, 0));
        if (n == null) {
            throw new BuiltinError("net.cidr_expand", "invalid CIDR address");
        }
        if (n.block().getCount().compareTo(BigInteger.valueOf(1 << 20)) > 0) {
            throw new BuiltinError("net.cidr_expand", "network too large to expand");
        }
        SetNode out = new SetNode();
        for (Iterator<? extends IPAddress> it = n.block().withoutPrefixLength().iterator(); it.hasNext();) {
            out.add(Operands.text(goIp(it.next())));
        }
        return out.normalize();
    }

    /** An element of cidr_merge: a CIDR, or a bare IPv4 address taken with its classful mask, as OPA does. */
    private static Network mergeOperand(JsonNode v) {
        if (!v.isTextual()) {
            throw new BuiltinError("net.cidr_merge", "element must be string");
        }
        String s = v.textValue();
        IPAddress ip = parseIp(s);
        if (ip == null) {
            Network n = parseCidr(s);
            if (n == null) {
                throw new BuiltinError("net.cidr_merge", "invalid CIDR address: " + s);
            }
            return n;
        }
        if (!ip.isIPv4()) {
            throw new BuiltinError("net.cidr_merge", "IPv6 invalid: needs prefix length");
        }
        int first = ip.getSegment(0).getSegmentValue();
        int prefix = first < 128 ? 8 : first < 192 ? 16 : 24;
        return new Network(ip.setPrefixLength(prefix, false).toPrefixBlock(), s + "/" + prefix);
    }

    private static JsonNode merge(JsonNode[] ops) {
        if (!ops[0].isArray()) {
            throw new BuiltinError("net.cidr_merge", "operand must be an array");
        }
        List<Network> networks = new ArrayList<>();
        ops[0].forEach(v -> networks.add(mergeOperand(v)));
        networks.sort(Comparator.comparing((Network n) -> n.block().getBitCount())
                .thenComparing(n -> n.block().getLower().getValue()));
        SetNode out = new SetNode();
        int i = 0;
        while (i < networks.size()) {
            Network first = networks.get(i);
            IPAddress lower = first.block().getLower();
            IPAddress upper = first.block().getUpper();
            boolean merged = false;
            int j = i + 1;
            while (j < networks.size() && networks.get(j).block().getBitCount() == lower.getBitCount()
                    && networks.get(j).block().getLower().getValue().compareTo(upper.getValue().add(BigInteger.ONE)) <= 0) {
                IPAddress nextUpper = networks.get(j).block().getUpper();
                if (nextUpper.getValue().compareTo(upper.getValue()) > 0) {
                    upper = nextUpper;
                }
                merged = true;
                j++;
            }
            if (!merged) {
                out.add(Operands.text(first.goString()));
            } else {
                IPAddressSeqRange range = lower.withoutPrefixLength().spanWithRange(upper.withoutPrefixLength());
                for (IPAddress block : range.spanWithPrefixBlocks()) {
                    out.add(Operands.text(goIp(block.getLower()) + "/" + block.getNetworkPrefixLength()));
                }
            }
            i = j;
        }
        return out.normalize();
    }

    /** A CIDR or an IP (as a single-address network), as net.cidr_contains reads its operands. */
    private static IPAddress network(String s) {
        Network n = parseCidr(s);
        if (n != null) {
            return n.block();
        }
        IPAddress ip = parseIp(s);
        if (ip == null) {
            throw new BuiltinError("net.cidr_contains_matches", "not a CIDR or IP: " + s);
        }
        return ip.withoutPrefixLength();
    }

    private record Candidate(String cidr, JsonNode key) {}

    private static List<Candidate> candidates(JsonNode v, int operand) {
        List<Candidate> out = new ArrayList<>();
        if (v.isTextual()) {
            out.add(new Candidate(v.textValue(), v));
        } else if (v.isArray()) {
            int index = 0;
            for (JsonNode item : v) {
                out.add(new Candidate(cidrOf(item, operand), v instanceof SetNode ? item : Operands.integerNode(index)));
                index++;
            }
        } else if (v.isObject()) {
            v.fields().forEachRemaining(f -> out.add(new Candidate(cidrOf(f.getValue(), operand), Operands.text(f.getKey()))));
        }
        return out;
    }

    private static String cidrOf(JsonNode item, int operand) {
        JsonNode cidr = item.isArray() && !(item instanceof SetNode) && !item.isEmpty() ? item.get(0) : item;
        if (!cidr.isTextual()) {
            throw new BuiltinError("net.cidr_contains_matches", "operand " + operand
                    + ": element must be string or non-empty array");
        }
        return cidr.textValue();
    }

    private static JsonNode containsMatches(JsonNode[] ops) {
        SetNode out = new SetNode();
        for (Candidate a : candidates(ops[0], 1)) {
            for (Candidate b : candidates(ops[1], 2)) {
                IPAddress outer = network(a.cidr());
                IPAddress inner = network(b.cidr());
                if (outer.getBitCount() == inner.getBitCount() && outer.contains(inner)) {
                    ArrayNode pair = Operands.array();
                    pair.add(a.key());
                    pair.add(b.key());
                    out.add(pair);
                }
            }
        }
        return out.normalize();
    }
}
