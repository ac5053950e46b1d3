package dev.redline.pdp.server.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Edits a real opa-built policy.wasm in place, for bundles opa would never produce: here, one
 * that declares another OPA Wasm ABI version.
 */
public final class PolicyWasm {
    private PolicyWasm() {}

    /** The bundle archive with the minor ABI version its policy.wasm declares set to {@code minor}. */
    public static byte[] withAbiMinor(byte[] bundle, int minor) throws IOException {
        Map<String, byte[]> files = TestArchives.read(bundle);
        String wasmEntry = files.containsKey("/policy.wasm") ? "/policy.wasm" : "policy.wasm";
        byte[] wasm = files.get(wasmEntry).clone();
        int at = minorVersionImmediate(wasm);
        if (minor < 0 || minor > 63 || (wasm[at] & 0x80) != 0) {
            throw new IllegalArgumentException("only a one-byte i32.const immediate is patched");
        }
        wasm[at] = (byte) minor;
        files.put(wasmEntry, wasm);
        return TestArchives.of(files);
    }

    /** The offset of the i32.const immediate that initializes the global opa_wasm_abi_minor_version. */
    private static int minorVersionImmediate(byte[] wasm) {
        int[] pos = {8}; // after the magic number and the format version
        int importedGlobals = 0;
        int target = -1;
        Map<Integer, Integer> immediates = new LinkedHashMap<>();
        while (pos[0] < wasm.length) {
            int id = wasm[pos[0]++];
            int size = (int) leb(wasm, pos);
            int end = pos[0] + size;
            if (id == 2) {
                for (long n = leb(wasm, pos); n > 0; n--) {
                    pos[0] = skipName(wasm, pos[0]); // module
                    pos[0] = skipName(wasm, pos[0]); // field
                    int kind = wasm[pos[0]++];
                    if (kind == 3) {
                        importedGlobals++;
                        pos[0] += 2;
                    } else if (kind == 0) {
                        leb(wasm, pos);
                    } else {
                        if (kind == 1) {
                            pos[0]++;
                        }
                        int flags = wasm[pos[0]++];
                        leb(wasm, pos);
                        if ((flags & 1) != 0) {
                            leb(wasm, pos);
                        }
                    }
                }
            } else if (id == 6) {
                long count = leb(wasm, pos);
                for (int i = 0; i < count; i++) {
                    pos[0] += 2; // value type, mutability
                    if (wasm[pos[0]] == 0x41) {
                        immediates.put(importedGlobals + i, pos[0] + 1);
                    }
                    while (wasm[pos[0]] != 0x0b) {
                        pos[0]++;
                    }
                    pos[0]++;
                }
            } else if (id == 7) {
                for (long n = leb(wasm, pos); n > 0; n--) {
                    int length = (int) leb(wasm, pos);
                    String name = new String(wasm, pos[0], length, StandardCharsets.UTF_8);
                    pos[0] += length;
                    int kind = wasm[pos[0]++];
                    int index = (int) leb(wasm, pos);
                    if (kind == 3 && name.equals("opa_wasm_abi_minor_version")) {
                        target = index;
                    }
                }
            }
            pos[0] = end;
        }
        Integer immediate = immediates.get(target);
        if (immediate == null) {
            throw new IllegalArgumentException("policy.wasm exports no constant opa_wasm_abi_minor_version");
        }
        return immediate;
    }

    private static int skipName(byte[] wasm, int at) {
        int[] pos = {at};
        int length = (int) leb(wasm, pos);
        return pos[0] + length;
    }

    private static long leb(byte[] bytes, int[] pos) {
        long result = 0;
        for (int shift = 0; ; shift += 7) {
            int b = bytes[pos[0]++] & 0xff;
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
    }
}
