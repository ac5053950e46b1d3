package dev.redline.pdp.server.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a small WebAssembly binary (i32 functions, mutable i32 globals, exports) so a test can
 * hand Chicory's compiler the exact instruction shapes it is about, byte for byte.
 */
final class WasmBytes {
    static final int I32 = 0x7f;
    static final int VOID = 0x40;

    static final int UNREACHABLE = 0x00;
    static final int BLOCK = 0x02;
    static final int LOOP = 0x03;
    static final int IF = 0x04;
    static final int END = 0x0b;
    static final int BR = 0x0c;
    static final int BR_IF = 0x0d;
    static final int RETURN = 0x0f;
    static final int CALL = 0x10;
    static final int LOCAL_GET = 0x20;
    static final int LOCAL_SET = 0x21;
    static final int GLOBAL_GET = 0x23;
    static final int GLOBAL_SET = 0x24;
    static final int I32_CONST = 0x41;
    static final int I32_EQZ = 0x45;
    static final int I32_LT_U = 0x49;
    static final int I32_GT_U = 0x4b;
    static final int I32_LE_U = 0x4d;
    static final int I32_GE_S = 0x4e;
    static final int I32_GE_U = 0x4f;
    static final int I32_ADD = 0x6a;
    static final int I32_OR = 0x72;
    static final int I32_SHL = 0x74;

    private record Function(int params, int results, int locals, byte[] body, String export) {}

    private final List<Function> functions = new ArrayList<>();
    private final List<String> globals = new ArrayList<>();

    /** Adds a function of {@code params} i32 parameters and extra i32 locals; returns its index. */
    int function(String export, int params, int results, int locals, Code body) {
        functions.add(new Function(params, results, locals, body.bytes(), export));
        return functions.size() - 1;
    }

    /** Adds a mutable i32 global, starting at 0, exported under this name; returns its index. */
    int global(String export) {
        globals.add(export);
        return globals.size() - 1;
    }

    byte[] build() {
        var out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00});

        var types = new Code().u32(functions.size());
        var declarations = new Code().u32(functions.size());
        var code = new Code().u32(functions.size());
        var exports = new Code().u32(functions.size() + globals.size());
        for (int i = 0; i < functions.size(); i++) {
            Function f = functions.get(i);
            types.op(0x60).u32(f.params());
            for (int p = 0; p < f.params(); p++) {
                types.op(I32);
            }
            types.u32(f.results());
            for (int r = 0; r < f.results(); r++) {
                types.op(I32);
            }
            declarations.u32(i);
            var body = new Code();
            if (f.locals() == 0) {
                body.u32(0);
            } else {
                body.u32(1).u32(f.locals()).op(I32);
            }
            body.raw(f.body()).op(END);
            code.u32(body.bytes().length).raw(body.bytes());
            exports.name(f.export()).op(0x00).u32(i);
        }
        var globalSection = new Code().u32(globals.size());
        for (int g = 0; g < globals.size(); g++) {
            globalSection.op(I32).op(0x01).op(I32_CONST).s32(0).op(END);
            exports.name(globals.get(g)).op(0x03).u32(g);
        }
        section(out, 1, types);
        section(out, 3, declarations);
        section(out, 6, globalSection);
        section(out, 7, exports);
        section(out, 10, code);
        return out.toByteArray();
    }

    private static void section(ByteArrayOutputStream out, int id, Code content) {
        byte[] bytes = content.bytes();
        out.write(id);
        out.writeBytes(new Code().u32(bytes.length).bytes());
        out.writeBytes(bytes);
    }

    /** An instruction sequence, written as opcodes and LEB128 immediates. */
    static final class Code {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Code op(int... opcodes) {
            for (int opcode : opcodes) {
                bytes.write(opcode);
            }
            return this;
        }

        Code op(int opcode, int immediate) {
            return opcode == I32_CONST ? op(opcode).s32(immediate) : op(opcode).u32(immediate);
        }

        Code u32(int value) {
            long v = value & 0xffffffffL;
            do {
                int b = (int) (v & 0x7f);
                v >>>= 7;
                bytes.write(v == 0 ? b : b | 0x80);
            } while (v != 0);
            return this;
        }

        Code s32(int value) {
            int v = value;
            while (true) {
                int b = v & 0x7f;
                v >>= 7;
                boolean done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
                bytes.write(done ? b : b | 0x80);
                if (done) {
                    return this;
                }
            }
        }

        Code raw(byte[] more) {
            bytes.writeBytes(more);
            return this;
        }

        Code name(String name) {
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            return u32(utf8.length).raw(utf8);
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
