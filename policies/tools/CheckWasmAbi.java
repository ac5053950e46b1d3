import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Fails the build when the policy.wasm of an OPA bundle has a Wasm ABI the PDP's runtime
 * (opa-java-wasm) cannot load, so a wrong opa.version is caught when the bundle is built and
 * not first when a server loads it.
 *
 * <pre>java policies/tools/CheckWasmAbi.java BUNDLE.tar.gz REQUIRED_ABI OPA_VERSION</pre>
 *
 * Exits 0 when the ABI matches, 1 with a message naming the ABI found, the ABI required and the
 * fix, and 2 when the bundle cannot be read. Runs as a single source file on the JDK alone
 * (no Maven compile step), so build.sh can run it even with -DskipTests.
 */
public final class CheckWasmAbi {
    private static final String MAJOR_EXPORT = "opa_wasm_abi_version";
    private static final String MINOR_EXPORT = "opa_wasm_abi_minor_version";

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: java CheckWasmAbi.java BUNDLE.tar.gz REQUIRED_ABI OPA_VERSION");
            System.exit(2);
        }
        Path bundle = Path.of(args[0]);
        String required = args[1];
        String opaVersion = args[2];
        String found;
        try {
            found = abiOf(policyWasm(bundle));
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("cannot read the Wasm ABI of " + bundle + ": " + e);
            System.exit(2);
            return;
        }
        if (!found.equals(required)) {
            System.err.println("policy.wasm has OPA Wasm ABI " + found + ", but the PDP's Wasm runtime"
                    + " (opa-java-wasm) loads ABI " + required + " only. opa " + opaVersion + " produced it: set"
                    + " opa.version in pom.xml to an OPA release whose Wasm output has ABI " + required
                    + " and rebuild.");
            System.exit(1);
        }
        System.out.println("policy.wasm has OPA Wasm ABI " + found + ", the one opa-java-wasm loads");
    }

    /** The bytes of /policy.wasm in a gzip-compressed tar. */
    static byte[] policyWasm(Path bundle) throws IOException {
        byte[] tar;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(bundle))) {
            tar = in.readAllBytes();
        }
        int at = 0;
        while (at + 512 <= tar.length && tar[at] != 0) {
            String name = cString(tar, at, 100);
            String prefix = cString(tar, at + 345, 155);
            String path = prefix.isEmpty() ? name : prefix + "/" + name;
            long size = Long.parseLong(cString(tar, at + 124, 12).trim(), 8);
            byte type = tar[at + 156];
            int body = at + 512;
            if ((type == '0' || type == 0) && path.replaceFirst("^\\.?/", "").equals("policy.wasm")) {
                if (body + size > tar.length) {
                    throw new IllegalArgumentException("policy.wasm is truncated");
                }
                byte[] wasm = new byte[(int) size];
                System.arraycopy(tar, body, wasm, 0, wasm.length);
                return wasm;
            }
            at = body + (int) ((size + 511) / 512 * 512);
        }
        throw new IllegalArgumentException("the bundle has no /policy.wasm");
    }

    private static String cString(byte[] bytes, int offset, int max) {
        int end = offset;
        while (end < offset + max && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.US_ASCII);
    }

    /** "major.minor" from the module's exported i32 globals that OPA sets to its ABI version. */
    static String abiOf(byte[] wasm) {
        Reader r = new Reader(wasm);
        if (r.u32le() != 0x6d736100) {
            throw new IllegalArgumentException("policy.wasm is not a WebAssembly module");
        }
        r.u32le(); // binary format version
        int importedGlobals = 0;
        Map<Integer, Long> constGlobals = new HashMap<>();
        Map<String, Integer> exportedGlobals = new HashMap<>();
        while (r.hasMore()) {
            int id = r.u8();
            int size = (int) r.leb();
            int end = r.pos + size;
            switch (id) {
                case 2 -> importedGlobals = countImportedGlobals(r);
                case 6 -> readGlobals(r, importedGlobals, constGlobals);
                case 7 -> readGlobalExports(r, exportedGlobals);
                default -> { }
            }
            r.pos = end;
        }
        return value(MAJOR_EXPORT, exportedGlobals, constGlobals) + "." + value(MINOR_EXPORT, exportedGlobals, constGlobals);
    }

    private static long value(String export, Map<String, Integer> exported, Map<Integer, Long> constants) {
        Integer index = exported.get(export);
        if (index == null) {
            throw new IllegalArgumentException("policy.wasm does not export the global " + export
                    + "; is it an OPA Wasm module?");
        }
        Long value = constants.get(index);
        if (value == null) {
            throw new IllegalArgumentException("the global " + export + " is not an i32 constant");
        }
        return value;
    }

    private static int countImportedGlobals(Reader r) {
        int globals = 0;
        for (long n = r.leb(); n > 0; n--) {
            r.skipName();
            r.skipName();
            int kind = r.u8();
            switch (kind) {
                case 0 -> r.leb(); // function: type index
                case 1 -> { r.u8(); r.skipLimits(); } // table: element type, limits
                case 2 -> r.skipLimits(); // memory
                case 3 -> { r.u8(); r.u8(); globals++; } // global: value type, mutability
                default -> throw new IllegalArgumentException("unknown import kind " + kind);
            }
        }
        return globals;
    }

    private static void readGlobals(Reader r, int firstIndex, Map<Integer, Long> constants) {
        long count = r.leb();
        for (int i = 0; i < count; i++) {
            r.u8(); // value type
            r.u8(); // mutability
            int opcode = r.u8();
            if (opcode == 0x41) { // i32.const
                long value = r.sleb();
                if (r.u8() == 0x0b) {
                    constants.put(firstIndex + i, value);
                    continue;
                }
            }
            throw new IllegalArgumentException("global " + (firstIndex + i) + " has an initializer this check does not read");
        }
    }

    private static void readGlobalExports(Reader r, Map<String, Integer> exported) {
        for (long n = r.leb(); n > 0; n--) {
            String name = r.name();
            int kind = r.u8();
            int index = (int) r.leb();
            if (kind == 3) {
                exported.put(name, index);
            }
        }
    }

    /** A cursor over a Wasm binary. */
    private static final class Reader {
        private final byte[] bytes;
        int pos;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        boolean hasMore() {
            return pos < bytes.length;
        }

        int u8() {
            if (pos >= bytes.length) {
                throw new IllegalArgumentException("policy.wasm ends in the middle of a section");
            }
            return bytes[pos++] & 0xff;
        }

        long u32le() {
            return u8() | (u8() << 8) | (u8() << 16) | ((long) u8() << 24);
        }

        long leb() {
            long result = 0;
            for (int shift = 0; ; shift += 7) {
                int b = u8();
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
        }

        long sleb() {
            long result = 0;
            int shift = 0;
            int b;
            do {
                b = u8();
                result |= (long) (b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            if (shift < 64 && (b & 0x40) != 0) {
                result |= -1L << shift;
            }
            return result;
        }

        String name() {
            int length = (int) leb();
            String name = new String(bytes, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return name;
        }

        void skipName() {
            int length = (int) leb();
            pos += length;
        }

        void skipLimits() {
            int flags = u8();
            leb();
            if ((flags & 1) != 0) {
                leb();
            }
        }
    }

    private CheckWasmAbi() {}
}
