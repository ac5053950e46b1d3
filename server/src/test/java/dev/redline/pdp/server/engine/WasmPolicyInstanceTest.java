package dev.redline.pdp.server.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportMemory;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.styra.opa.wasm.OpaWasm;
import dev.redline.pdp.server.bundle.BuiltInBundle;
import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import java.io.ByteArrayInputStream;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Policies run as JVM bytecode compiled by Chicory; a machine that would interpret them is refused. */
class WasmPolicyInstanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Bundle contract;

    @BeforeAll
    static void readTheBuiltInBundle() throws Exception {
        contract = new BundleReader(JSON, BundleLimits.defaults(), SignaturePolicy.none())
                .read(BuiltInBundle.NAME, BuiltInBundle.archive());
    }

    @Test
    void theContractPolicyRunsOnTheMachineChicoryCompiledFromIt() throws Exception {
        WasmPolicyInstance instance = new WasmPolicyInstance(contract.policyWasm(), contract.dataJson(), 4096, JSON);

        // Chicory's compiler generates this class; its interpreter is InterpreterMachine.
        assertEquals("com.dylibso.chicory.$gen.CompiledMachine", instance.machine().getClass().getName());
    }

    /** Past the estimate checked before construction, a heap that cannot grow is the same refusal. */
    @Test
    void dataThatOutgrowsTheMemoryCapWhileParsedIsRefusedNamingItsSizeAndTheCap() {
        // 100,000 one-digit numbers: 200 KB of JSON, some 20 MB of heap; the cap is 4 MiB.
        byte[] data = ("{\"numbers\":[" + "1,".repeat(99_999) + "1]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

        PolicyLoadException e = assertThrows(PolicyLoadException.class,
                () -> new WasmPolicyInstance(contract.policyWasm(), data, 64, JSON));

        assertTrue(e.getMessage().startsWith("bundle data is " + data.length + " bytes of JSON and does not fit the"
                + " policy memory cap of 4194304 bytes per instance (--max-memory-bytes): "), e.getMessage());
    }

    @Test
    void aMachineThatInterpretsThePolicyIsRefused() {
        OpaWasm interpreted = OpaWasm.builder()
                .withInputStream(new ByteArrayInputStream(contract.policyWasm()))
                .withMemory(new ByteArrayMemory(new MemoryLimits(16, 4096)))
                .withJsonMapper(JSON)
                .withYamlMapper(JSON)
                .disableCompiler()
                .build();

        PolicyLoadException e = assertThrows(PolicyLoadException.class,
                () -> WasmPolicyInstance.requireCompiled(interpreted.instance().getMachine()));

        assertEquals("policy.wasm would run in Chicory's interpreter (com.dylibso.chicory.runtime.InterpreterMachine);"
                + " the PDP evaluates compiled policies only", e.getMessage());
    }

    @Test
    void aCompiledMachineThatInterpretsSomeFunctionsIsRefused() {
        WasmModule module = Parser.parse(contract.policyWasm());
        int firstDefinedFunction = module.importSection().count(ExternalType.FUNCTION);
        Instance partlyInterpreted = Instance.builder(module)
                .withImportValues(hostImportsThatAreNeverCalled(module))
                .withMachineFactory(MachineFactoryCompiler.builder(module)
                        .withInterpretedFunctions(Set.of(firstDefinedFunction))
                        .withInterpreterFallback(InterpreterFallback.FAIL)
                        .compile())
                .build();

        PolicyLoadException e = assertThrows(PolicyLoadException.class,
                () -> WasmPolicyInstance.requireCompiled(partlyInterpreted.getMachine()));

        assertEquals("Chicory could not compile every function of policy.wasm to JVM bytecode and would interpret"
                + " the rest; the PDP evaluates compiled policies only. Split the largest rules of the policy",
                e.getMessage());
    }

    /** OPA's env imports, enough to instantiate the module; the test never evaluates it. */
    private static ImportValues hostImportsThatAreNeverCalled(WasmModule module) {
        ImportValues.Builder imports = ImportValues.builder();
        module.importSection().stream().forEach(imported -> {
            if (imported instanceof FunctionImport function) {
                imports.addFunction(new HostFunction(imported.module(), imported.name(),
                        module.typeSection().getType(function.typeIndex()), (instance, args) -> {
                            throw new IllegalStateException(imported.name() + " was not expected to be called");
                        }));
            } else if (imported.importType() == ExternalType.MEMORY) {
                imports.addMemory(new ImportMemory(imported.module(), imported.name(),
                        new ByteArrayMemory(new MemoryLimits(16, 4096))));
            }
        });
        return imports.build();
    }
}
