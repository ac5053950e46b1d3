package dev.redline.pdp.server.engine;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.styra.opa.wasm.OpaAbortException;
import com.styra.opa.wasm.OpaWasm_ModuleExports;
import dev.redline.pdp.server.engine.builtins.HostBuiltins;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One Chicory instance of a bundle's {@code policy.wasm}, made from the revision's
 * {@link CompiledPolicy} (JVM bytecode, never interpreted), with the bundle data parsed into its
 * heap once.
 *
 * <p>Each evaluation writes the input JSON right above the data and calls OPA's one-shot
 * {@code opa_eval}, which allocates from there; the next evaluation reuses the same region, so
 * nothing is reset, freed or reloaded between decisions. Not thread-safe: the pool hands an
 * instance to one thread at a time.
 */
final class WasmPolicyInstance {
    private static final int INITIAL_PAGES = 16;
    /** opa_eval's want_value: the result as OPA's value dump, which keeps sets (see ResultJson). */
    private static final int VALUE_FORMAT = 1;
    private static final String INTERPRETER_FALLBACK_MACHINE = "com.dylibso.chicory.runtime.internal.CompilerInterpreterMachine";

    private final Instance instance;
    private final HostBuiltins builtins = new HostBuiltins();
    private final OpaWasm_ModuleExports exports;
    private final Memory memory;
    private final int dataAddr;
    private final int evalHeapBase;

    WasmPolicyInstance(CompiledPolicy compiled, byte[] dataJson, int maxMemoryPages, ObjectMapper json)
            throws PolicyLoadException {
        int initialPages = Math.min(INITIAL_PAGES, maxMemoryPages);
        this.memory = new ByteArrayMemory(new MemoryLimits(initialPages, maxMemoryPages));
        try {
            this.instance = compiled.instantiate(memory, json, builtins);
            this.exports = new OpaWasm_ModuleExports(instance);
        } catch (RuntimeException e) {
            throw new PolicyLoadException("policy.wasm cannot be instantiated: " + e.getMessage(), e);
        }
        // Checked on every instance rather than trusted: a policy with host builtins is compiled
        // by opa-java-wasm for each instance (see CompiledPolicy).
        requireCompiled(instance.getMachine());
        checkAbi();
        this.dataAddr = parseData(dataJson, (long) maxMemoryPages * EngineLimits.WASM_PAGE_BYTES);
        this.evalHeapBase = exports.opaHeapPtrGet();
    }

    /**
     * Refuses a machine that would interpret the policy, wholly or in part: decisions must run as
     * JVM bytecode. Chicory's compiler falls back to its interpreter for a function it cannot
     * compile (e.g. one too large for a JVM method), and the machine class it generates then
     * holds a {@code CompilerInterpreterMachine} for those functions; compiling again with
     * {@code InterpreterFallback.FAIL} to find out would double the load time of every instance.
     */
    static void requireCompiled(Machine machine) throws PolicyLoadException {
        if (machine instanceof InterpreterMachine) {
            throw new PolicyLoadException("policy.wasm would run in Chicory's interpreter (" + machine.getClass().getName()
                    + "); the PDP evaluates compiled policies only");
        }
        for (Field field : machine.getClass().getDeclaredFields()) {
            if (field.getType().getName().equals(INTERPRETER_FALLBACK_MACHINE)) {
                throw new PolicyLoadException("Chicory could not compile every function of policy.wasm to JVM bytecode"
                        + " and would interpret the rest; the PDP evaluates compiled policies only. Split the"
                        + " largest rules of the policy");
            }
        }
    }

    private void checkAbi() throws PolicyLoadException {
        long major;
        long minor;
        try {
            major = exports.opaWasmAbiVersion().getValue();
            minor = exports.opaWasmAbiMinorVersion().getValue();
        } catch (RuntimeException e) {
            throw new PolicyLoadException("policy.wasm does not declare an OPA Wasm ABI version", e);
        }
        if (major != 1 || minor != 3) {
            throw new PolicyLoadException("policy.wasm has OPA Wasm ABI " + major + "." + minor
                    + "; this PDP (opa-java-wasm) evaluates ABI 1.3 only. Rebuild the bundle with the"
                    + " opa release pinned in pom.xml (opa.version)");
        }
    }

    /**
     * Parses the bundle data into the heap. The estimate checked before is not a guarantee: data
     * that still does not fit makes the heap fail to grow (opa_malloc aborts), which is the same
     * refusal, not an engine failure.
     */
    private int parseData(byte[] dataJson, long capBytes) throws PolicyLoadException {
        try {
            return parseJson(dataJson, "bundle data");
        } catch (EvaluationException | OpaAbortException | PolicyAbortException e) {
            throw new PolicyLoadException("bundle data is " + dataJson.length + " bytes of JSON and does not fit "
                    + DataMemoryEstimate.capWords(capBytes) + ": " + e.getMessage(), e);
        }
    }

    private int parseJson(byte[] bytes, String what) throws PolicyLoadException {
        ensureCapacity(exports.opaHeapPtrGet(), bytes.length * 4L + 1);
        int strAddr = exports.opaMalloc(bytes.length);
        memory.write(strAddr, bytes, 0, bytes.length);
        int valueAddr = exports.opaJsonParse(strAddr, bytes.length);
        exports.opaFree(strAddr);
        if (valueAddr == 0) {
            throw new PolicyLoadException(what + " is not valid JSON for the policy");
        }
        return valueAddr;
    }

    /** The Chicory machine that runs this instance's functions. */
    Machine machine() {
        return instance.getMachine();
    }

    /** The entrypoints the module exports, by name, with the ids {@code opa_eval} takes. */
    Map<String, Integer> entrypoints(ObjectMapper json) throws PolicyLoadException {
        return readIdMap(exports.entrypoints(), json, "entrypoints");
    }

    private Map<String, Integer> readIdMap(int valueAddr, ObjectMapper json, String what) throws PolicyLoadException {
        int strAddr = exports.opaJsonDump(valueAddr);
        byte[] bytes = readCString(strAddr);
        exports.opaFree(strAddr);
        exports.opaHeapPtrSet(evalHeapBase);
        try {
            JsonNode node = json.readTree(bytes);
            Map<String, Integer> ids = new LinkedHashMap<>();
            node.fields().forEachRemaining(f -> ids.put(f.getKey(), f.getValue().intValue()));
            return ids;
        } catch (IOException e) {
            throw new PolicyLoadException("policy.wasm reports unreadable " + what, e);
        }
    }

    /**
     * Evaluates one entrypoint on {@code input[0, length)} (UTF-8 JSON) and returns OPA's result
     * set as JSON, e.g. {@code [{"result": {...}}]}, or {@code []} when the rule is undefined; sets
     * in it come as arrays sorted as OPA sorts them. With {@code length} 0 the policy has no input
     * ({@code input} is undefined), as OPA's own SDKs ask: opa_eval parses zero bytes as no value.
     */
    byte[] evaluate(int entrypointId, byte[] input, int length) {
        return evaluate(entrypointId, input, length, OptionalLong.empty());
    }

    /** As above, with {@code time.now_ns} fixed to {@code clock} when given (asking again about a decision). */
    byte[] evaluate(int entrypointId, byte[] input, int length, OptionalLong clock) {
        ensureCapacity(evalHeapBase, length);
        memory.write(evalHeapBase, input, 0, length);
        builtins.startEvaluation(clock);
        int resultAddr = exports.opaEval(0, entrypointId, dataAddr, evalHeapBase, length,
                evalHeapBase + length, VALUE_FORMAT);
        return ResultJson.fromValueDump(readCString(resultAddr));
    }

    /** The {@code time.now_ns} of the last evaluation, if the policy read the clock. */
    OptionalLong evaluationTime() {
        return builtins.evaluationTime();
    }

    private void ensureCapacity(int base, long length) {
        long needed = base + length + EngineLimits.WASM_PAGE_BYTES;
        long available = (long) memory.pages() * EngineLimits.WASM_PAGE_BYTES;
        if (needed > available) {
            int pages = (int) ((needed - available + EngineLimits.WASM_PAGE_BYTES - 1) / EngineLimits.WASM_PAGE_BYTES);
            if (memory.grow(pages) < 0) {
                throw new EvaluationException(EvaluationException.Kind.INPUT_TOO_LARGE,
                        "input of " + length + " bytes does not fit the policy memory cap of "
                                + (long) memory.maximumPages() * EngineLimits.WASM_PAGE_BYTES + " bytes");
            }
        }
    }

    private byte[] readCString(int addr) {
        int end = addr;
        while (memory.read(end) != 0) {
            end++;
        }
        return memory.readBytes(addr, end - addr);
    }
}
