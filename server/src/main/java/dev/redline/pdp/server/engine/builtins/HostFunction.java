package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.styra.opa.wasm.OpaBuiltin;
import com.styra.opa.wasm.OpaWasm;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;

/**
 * One host builtin as opa-java-wasm calls it: operands read from the Wasm heap as OPA's value
 * text (so sets stay sets, unlike the JSON dump opa-java-wasm's own helpers use), the result
 * written back the same way. A {@link BuiltinError}, or an operand the body cannot take, makes
 * the call undefined, as in OPA's Wasm; anything else is a fault and fails the evaluation.
 */
final class HostFunction implements OpaBuiltin.Builtin {
    /** A builtin's body: operands in, result out, or null for undefined. */
    @FunctionalInterface
    interface Body {
        JsonNode apply(JsonNode[] operands);
    }

    private final String name;
    private final Body body;

    HostFunction(String name, Body body) {
        this.name = name;
        this.body = body;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int asBuiltin0(OpaWasm wasm) {
        return call(wasm);
    }

    @Override
    public int asBuiltin1(OpaWasm wasm, int a) {
        return call(wasm, a);
    }

    @Override
    public int asBuiltin2(OpaWasm wasm, int a, int b) {
        return call(wasm, a, b);
    }

    @Override
    public int asBuiltin3(OpaWasm wasm, int a, int b, int c) {
        return call(wasm, a, b, c);
    }

    @Override
    public int asBuiltin4(OpaWasm wasm, int a, int b, int c, int d) {
        return call(wasm, a, b, c, d);
    }

    private int call(OpaWasm wasm, int... addrs) {
        JsonNode[] operands = new JsonNode[addrs.length];
        for (int k = 0; k < addrs.length; k++) {
            int text = wasm.exports().opaValueDump(addrs[k]);
            operands[k] = ValueText.parse(readCString(wasm, text));
            wasm.exports().opaFree(text);
        }
        JsonNode result;
        try {
            result = body.apply(operands);
        } catch (BuiltinError | IllegalArgumentException | ArithmeticException | DateTimeException
                | ClassCastException | IndexOutOfBoundsException e) {
            return 0;
        }
        return result == null ? 0 : write(wasm, result);
    }

    private int write(OpaWasm wasm, JsonNode result) {
        byte[] text = ValueText.write(result).getBytes(StandardCharsets.UTF_8);
        int addr = wasm.exports().opaMalloc(text.length);
        wasm.memory().write(addr, text);
        int value = wasm.exports().opaValueParse(addr, text.length);
        wasm.exports().opaFree(addr);
        if (value == 0) {
            throw new IllegalStateException(name + " produced a value OPA's Wasm cannot parse");
        }
        return value;
    }

    private static byte[] readCString(OpaWasm wasm, int addr) {
        var memory = wasm.memory();
        int end = addr;
        while (memory.read(end) != 0) {
            end++;
        }
        return memory.readBytes(addr, end - addr);
    }
}
