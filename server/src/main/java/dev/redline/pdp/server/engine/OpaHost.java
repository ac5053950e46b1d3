package dev.redline.pdp.server.engine;

import com.dylibso.chicory.runtime.Memory;
import com.styra.opa.wasm.OpaWasm_Env;
import com.styra.opa.wasm.OpaWasm_ModuleImports;

/**
 * The host side of OPA's Wasm ABI for one instance of a policy that calls no host builtin:
 * its memory and {@code opa_abort}. The import bindings are opa-java-wasm's own generated ones.
 *
 * <p>This exists because opa-java-wasm's {@code OpaWasm} builds its Chicory instance itself and
 * compiles the module anew each time; instantiating through this host lets every instance of a
 * revision share one {@link CompiledPolicy}. Host builtins stay with {@code OpaWasm} (they take
 * one as their argument), so a policy that needs them is never given this host.
 */
final class OpaHost implements OpaWasm_ModuleImports, OpaWasm_Env {
    private final Memory memory;

    OpaHost(Memory memory) {
        this.memory = memory;
    }

    @Override
    public OpaWasm_Env env() {
        return this;
    }

    @Override
    public Memory memory() {
        return memory;
    }

    @Override
    public void opaAbort(int messageAddr) {
        throw new PolicyAbortException(memory.readCString(messageAddr));
    }

    @Override
    public int opaBuiltin0(int builtinId, int ctx) {
        throw noHostBuiltin(builtinId);
    }

    @Override
    public int opaBuiltin1(int builtinId, int ctx, int arg1) {
        throw noHostBuiltin(builtinId);
    }

    @Override
    public int opaBuiltin2(int builtinId, int ctx, int arg1, int arg2) {
        throw noHostBuiltin(builtinId);
    }

    @Override
    public int opaBuiltin3(int builtinId, int ctx, int arg1, int arg2, int arg3) {
        throw noHostBuiltin(builtinId);
    }

    @Override
    public int opaBuiltin4(int builtinId, int ctx, int arg1, int arg2, int arg3, int arg4) {
        throw noHostBuiltin(builtinId);
    }

    private static IllegalStateException noHostBuiltin(int builtinId) {
        // Unreachable for a sound module: its builtins map was empty when it was compiled.
        return new IllegalStateException("policy.wasm called host builtin " + builtinId
                + " although it declared none");
    }
}
