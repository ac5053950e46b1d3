package dev.redline.pdp.server.engine;

import static dev.redline.pdp.server.engine.WasmBytes.BLOCK;
import static dev.redline.pdp.server.engine.WasmBytes.BR;
import static dev.redline.pdp.server.engine.WasmBytes.BR_IF;
import static dev.redline.pdp.server.engine.WasmBytes.CALL;
import static dev.redline.pdp.server.engine.WasmBytes.END;
import static dev.redline.pdp.server.engine.WasmBytes.GLOBAL_GET;
import static dev.redline.pdp.server.engine.WasmBytes.GLOBAL_SET;
import static dev.redline.pdp.server.engine.WasmBytes.I32_ADD;
import static dev.redline.pdp.server.engine.WasmBytes.I32_CONST;
import static dev.redline.pdp.server.engine.WasmBytes.I32_EQZ;
import static dev.redline.pdp.server.engine.WasmBytes.I32_GE_S;
import static dev.redline.pdp.server.engine.WasmBytes.I32_GE_U;
import static dev.redline.pdp.server.engine.WasmBytes.I32_GT_U;
import static dev.redline.pdp.server.engine.WasmBytes.I32_LE_U;
import static dev.redline.pdp.server.engine.WasmBytes.I32_LT_U;
import static dev.redline.pdp.server.engine.WasmBytes.I32_OR;
import static dev.redline.pdp.server.engine.WasmBytes.I32_SHL;
import static dev.redline.pdp.server.engine.WasmBytes.IF;
import static dev.redline.pdp.server.engine.WasmBytes.LOCAL_GET;
import static dev.redline.pdp.server.engine.WasmBytes.LOCAL_SET;
import static dev.redline.pdp.server.engine.WasmBytes.LOOP;
import static dev.redline.pdp.server.engine.WasmBytes.RETURN;
import static dev.redline.pdp.server.engine.WasmBytes.UNREACHABLE;
import static dev.redline.pdp.server.engine.WasmBytes.VOID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import dev.redline.pdp.server.engine.WasmBytes.Code;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * JDK-8376400: C2 folds two unsigned comparisons of the {@code Integer.compareUnsigned} kind into
 * one and, when the uncommon trap of the folded branch fires, resumes with the wrong state, so a
 * branch is silently not taken, or one that must not be is. See docs/jdk.md.
 *
 * <p>The tests run Chicory-compiled modules long enough for C2 to compile the generated methods,
 * and check every answer; and they run the bug's trigger in plain Java under C2 alone, which fails
 * on an exposed JDK (it does on JDK 17.0.15). The small Chicory-compiled modules here do not show
 * the bug on JDK 17.0.15: Endive saw it only in a large module after about 45 million calls.
 */
class Jdk8376400UnsignedCompareTest {
    /** Past C2's invocation threshold (10,000 without tiers, about 15,000 with) many times over. */
    private static final int TRAINING_CALLS = 200_000;
    private static final int RANDOM_PAIRS = 2_000_000;
    private static final int[] EDGES = {0, 1, 2, 7, 8, 15, 16, 17, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001,
        0xfffffffe, 0xffffffff};

    /** compare(a, b) = lt_u | ge_u << 1 | gt_u << 2 | le_u << 3. */
    private static Instance comparisons() {
        var module = new WasmBytes();
        var body = new Code().op(LOCAL_GET, 0).op(LOCAL_GET, 1).op(I32_LT_U);
        int shift = 1;
        for (int opcode : new int[] {I32_GE_U, I32_GT_U, I32_LE_U}) {
            body.op(LOCAL_GET, 0).op(LOCAL_GET, 1).op(opcode).op(I32_CONST, shift++).op(I32_SHL).op(I32_OR);
        }
        module.function("compare", 2, 1, 0, body);
        return compiled(module.build());
    }

    /**
     * The shape of the JDK's own regression test for the bug, in Wasm: {@code helper} answers
     * {@code i <u j ? 1 : 0} (with a loop on one side, so C2's loop optimizations, split-if among
     * them, run); {@code test(i)} traps when {@code helper(i, 16)} is 0, a path never taken, then
     * counts {@code i <u 8} in the global {@code taken}, a branch never taken until the very end.
     */
    static Instance foldedComparisons() {
        var module = new WasmBytes();
        int taken = module.global("taken");
        int helper = module.function("helper", 2, 1, 1, new Code()
                .op(LOCAL_GET, 0).op(LOCAL_GET, 1).op(I32_LT_U)
                .op(IF, VOID).op(I32_CONST, 1).op(RETURN).op(END)
                .raw(countTo(2, 100))
                .op(I32_CONST, 0));
        module.function("test", 1, 0, 2, new Code()
                .op(LOCAL_GET, 0).op(I32_CONST, 16).op(CALL, helper).op(I32_EQZ)
                .op(IF, VOID).op(UNREACHABLE).op(END)
                .op(LOCAL_GET, 0).op(I32_CONST, 8).op(I32_LT_U)
                .op(IF, VOID).op(GLOBAL_GET, taken).op(I32_CONST, 1).op(I32_ADD).op(GLOBAL_SET, taken).op(END)
                .raw(countTo(1, 10)).raw(countTo(2, 10)));
        return compiled(module.build());
    }

    /** for (local = 0; local < limit; local++) {} as a Wasm block and loop. */
    private static byte[] countTo(int local, int limit) {
        return new Code()
                .op(I32_CONST, 0).op(LOCAL_SET, local)
                .op(BLOCK, VOID).op(LOOP, VOID)
                .op(LOCAL_GET, local).op(I32_CONST, limit).op(I32_GE_S).op(BR_IF, 1)
                .op(LOCAL_GET, local).op(I32_CONST, 1).op(I32_ADD).op(LOCAL_SET, local).op(BR, 0)
                .op(END).op(END)
                .bytes();
    }

    private static Instance compiled(byte[] wasm) {
        var module = Parser.parse(wasm);
        return Instance.builder(module).withMachineFactory(MachineFactoryCompiler.compile(module)).build();
    }

    @Test
    void everyUnsignedComparisonAgreesWithIntegerCompareUnsignedAfterC2Compiles() {
        ExportFunction compare = comparisons().export("compare");
        var random = new SplittableRandom(8376400);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < RANDOM_PAIRS && wrong.size() < 10; i++) {
            int a = i % 4 == 0 ? EDGES[random.nextInt(EDGES.length)] : random.nextInt();
            int b = i % 3 == 0 ? EDGES[random.nextInt(EDGES.length)] : random.nextInt();
            int got = (int) compare.apply(a, b)[0];
            int expected = expected(a, b);
            if (got != expected) {
                wrong.add(String.format("call %d: compare(0x%08x, 0x%08x) = %s, expected %s", i, a, b,
                        Integer.toBinaryString(got), Integer.toBinaryString(expected)));
            }
        }
        assertEquals(List.of(), wrong, "unsigned comparisons compiled by Chicory answered wrongly on JDK "
                + Runtime.version());
    }

    private static int expected(int a, int b) {
        int c = Integer.compareUnsigned(a, b);
        return (c < 0 ? 1 : 0) | (c >= 0 ? 2 : 0) | (c > 0 ? 4 : 0) | (c <= 0 ? 8 : 0);
    }

    @Test
    void theFoldedComparisonsBranchIsTakenWhenItsTrapFiresAtLast() {
        assertEquals("taken once", FoldedComparisons.run(TRAINING_CALLS));
    }

    /**
     * The same run with C2 alone, compiling in the foreground and without on-stack replacement:
     * the flags the JDK's regression test runs under, which make C2 compile exactly this code.
     */
    @Test
    void theFoldedComparisonsBranchIsTakenUnderC2Alone() throws Exception {
        assertEquals("taken once", underC2Alone(FoldedComparisons.class, Integer.toString(TRAINING_CALLS)));
    }

    /**
     * The bug's trigger in plain Java, {@code Integer.compareUnsigned} written straight into the two
     * ifs: this is what tells whether the JDK the tests run on has the bug at all (JDK 17.0.15
     * does; it throws from the path that must not be taken). Chicory's generated code reaches the
     * same pattern once C2 has inlined its {@code OpcodeImpl} calls, in modules large enough.
     */
    @Test
    void integerCompareUnsignedFoldedAfterATrapKeepsItsAnswerUnderC2Alone() throws Exception {
        assertEquals("taken once", underC2Alone(CompareUnsignedFolding.class, Integer.toString(TRAINING_CALLS)));
    }

    private static String underC2Alone(Class<?> main, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-XX:-TieredCompilation", "-XX:-UseOnStackReplacement",
                "-XX:-BackgroundCompilation", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            fail(main.getSimpleName() + " under C2 alone did not finish in 120 s");
        }
        return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    /** {@code below(x, 16)} is 1 in training, so the throw is never reached; neither is the count. */
    static final class CompareUnsignedFolding {
        private static int taken;

        private static int below(int x, int limit) {
            if (Integer.compareUnsigned(x, limit) >= 0) {
                for (int spin = 0; spin < 100; spin++) {
                    // a loop, so that C2's loop optimizations (split-if) run on this method
                }
                return 0;
            }
            return 1;
        }

        private static void test(int x) {
            if (below(x, 16) == 0) {
                throw new IllegalStateException("below(" + x + ", 16) answered 0");
            }
            if (Integer.compareUnsigned(x, 8) < 0) {
                taken++;
            }
            for (int i = 0; i < 10; i++) {
                for (int j = 0; j < 10; j++) {
                    // as above
                }
            }
        }

        public static void main(String[] args) {
            int trainingCalls = Integer.parseInt(args[0]);
            for (int i = 0; i < trainingCalls; i++) {
                test(12);
                below(16, 0);
            }
            try {
                test(0);
            } catch (IllegalStateException e) {
                System.out.println("wrong: " + e.getMessage() + " after the trap fired");
                return;
            }
            System.out.println(taken == 1 ? "taken once" : "taken " + taken + " times (expected once)");
        }
    }

    /** Trains {@code test} and {@code helper} on the never-taken paths, then takes the branch once. */
    static final class FoldedComparisons {
        static String run(int trainingCalls) {
            Instance instance = foldedComparisons();
            ExportFunction test = instance.export("test");
            ExportFunction helper = instance.export("helper");
            for (int i = 0; i < trainingCalls; i++) {
                test.apply(12);
                if (instance.global(0).getValue() != 0) {
                    return "taken during training, at call " + i;
                }
                helper.apply(16, 0);
            }
            test.apply(0);
            long taken = instance.global(0).getValue();
            return taken == 1 ? "taken once" : "taken " + taken + " times after the trap fired (expected once)";
        }

        public static void main(String[] args) {
            System.out.println(run(Integer.parseInt(args[0])));
        }
    }
}
