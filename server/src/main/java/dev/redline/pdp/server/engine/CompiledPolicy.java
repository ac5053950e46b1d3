package dev.redline.pdp.server.engine;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.styra.opa.wasm.OpaWasm;
import com.styra.opa.wasm.OpaWasm_ModuleExports;
import dev.redline.pdp.server.engine.builtins.HostBuiltins;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A {@code policy.wasm} compiled once to JVM bytecode by Chicory: every instance made from it
 * runs the same generated classes, so the JIT warms one copy of them rather than one per instance.
 *
 * <p>The exception is a policy that calls a builtin the host implements ({@link HostBuiltins}:
 * {@code sprintf}, {@code json.*}, {@code time.*}, ...): opa-java-wasm hands builtins the
 * {@code OpaWasm} they run in, which compiles the module for each instance, so such a policy is
 * instantiated that way and shares nothing. {@link #sharesMachine()} says which.
 */
final class CompiledPolicy {
    private static final int PROBE_PAGES = 16;

    private final byte[] wasm;
    private final WasmModule module;
    private final Function<Instance, Machine> machines;
    private final Set<String> hostBuiltins;

    private CompiledPolicy(byte[] wasm, WasmModule module, Function<Instance, Machine> machines,
            Set<String> hostBuiltins) {
        this.wasm = wasm;
        this.module = module;
        this.machines = machines;
        this.hostBuiltins = Set.copyOf(hostBuiltins);
    }

    /**
     * Parses and compiles {@code wasm}, then instantiates it once to learn which builtins it
     * needs from the host. Refuses a module Chicory would interpret, wholly or in part.
     */
    static CompiledPolicy compile(byte[] wasm, ObjectMapper json) throws PolicyLoadException {
        WasmModule module;
        Function<Instance, Machine> machines;
        Instance probe;
        Memory memory = new ByteArrayMemory(new MemoryLimits(PROBE_PAGES));
        try {
            module = Parser.parse(wasm);
            machines = MachineFactoryCompiler.compile(module);
            probe = instantiate(module, machines, memory);
        } catch (RuntimeException e) {
            throw new PolicyLoadException("policy.wasm cannot be instantiated: " + e.getMessage(), e);
        }
        WasmPolicyInstance.requireCompiled(probe.getMachine());
        return new CompiledPolicy(wasm, module, machines, builtinsOf(probe, memory, json));
    }

    private static Instance instantiate(WasmModule module, Function<Instance, Machine> machines, Memory memory) {
        return Instance.builder(module)
                .withImportValues(new OpaHost(memory).toImportValues())
                .withMemoryFactory(limits -> memory)
                .withMachineFactory(machines)
                .build();
    }

    private static Set<String> builtinsOf(Instance probe, Memory memory, ObjectMapper json)
            throws PolicyLoadException {
        String names;
        try {
            OpaWasm_ModuleExports exports = new OpaWasm_ModuleExports(probe);
            names = memory.readCString(exports.opaJsonDump(exports.builtins()));
        } catch (RuntimeException e) {
            throw new PolicyLoadException("policy.wasm cannot be instantiated: " + e.getMessage(), e);
        }
        try {
            Set<String> builtins = new TreeSet<>();
            json.readTree(names).fieldNames().forEachRemaining(builtins::add);
            return builtins;
        } catch (IOException e) {
            throw new PolicyLoadException("policy.wasm reports unreadable builtins", e);
        }
    }

    /** The builtins the module imports from the host, by name; empty for most policies. */
    Set<String> hostBuiltins() {
        return hostBuiltins;
    }

    /** True when every instance runs the one machine factory compiled here. */
    boolean sharesMachine() {
        return hostBuiltins.isEmpty();
    }

    /**
     * A new Chicory instance of the module on {@code memory}, ready for OPA's exports; a policy
     * that calls host builtins gets {@code builtins} (one set per instance: they hold state for
     * the evaluation under way).
     */
    Instance instantiate(Memory memory, ObjectMapper json, HostBuiltins builtins) {
        if (sharesMachine()) {
            return instantiate(module, machines, memory);
        }
        // opa-java-wasm 1.0.4 takes no machine factory: its builder always compiles the module
        // with Chicory's MachineFactoryCompiler unless disableCompiler() is called, which this
        // never does. Whether that happened is checked on each instance rather than trusted.
        return OpaWasm.builder()
                .withInputStream(new ByteArrayInputStream(wasm))
                .withMemory(memory)
                .withJsonMapper(json)
                .withYamlMapper(new YAMLMapper())
                .withDefaultBuiltins(false) // ours replace opa-java-wasm's, which differ from OPA
                .addBuiltins(builtins.all())
                .build()
                .instance();
    }
}
