package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.meshemu.aicore.CoreSpec;
import org.meshemu.noc.NocSpec;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.Scenario;
import org.meshemu.workloads.linalg.MeshGemv;

/** The tree GEMV takes exactly {@link TreeGemvClosedForm}'s time, to the picosecond, over sizes, shapes and rates. */
class TreeGemvClosedFormTest {
    @TempDir Path out;

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("8 x 4, defaults", new String[] {"hardware.noc.width=8", "hardware.noc.height=4", "workload.rows=256", "workload.cols=512"}),
                Arguments.of("6 x 3, width not a power of two", new String[] {"hardware.noc.width=6", "hardware.noc.height=3", "workload.rows=96",
                        "workload.cols=384"}),
                Arguments.of("5 x 2, slow links, deep routers", new String[] {"hardware.noc.width=5", "hardware.noc.height=2", "workload.rows=64",
                        "workload.cols=320", "hardware.noc.link.bytesPerCycle=8", "hardware.noc.routerDelayCycles=3", "hardware.noc.link.latencyCycles=2",
                        "hardware.noc.injectionCycles=2"}),
                Arguments.of("7 x 1, slow core and bank, three banks, 0.8 GHz", new String[] {"hardware.noc.width=7", "hardware.noc.height=1",
                        "workload.rows=512", "workload.cols=448", "hardware.core.instructionOverheadCycles=3", "hardware.core.matrixFlopsPerCycle.fp32=64",
                        "hardware.core.vectorLanes=4", "hardware.core.sramBytesPerCycle=64", "hardware.dram.latencyCycles=35",
                        "hardware.dram.bytesPerCycle=8", "hardware.dram.channelLatencyCycles=2", "hardware.dram.banksPerCore=3", "hardware.core.clockGHz=0.8"}),
                Arguments.of("12 x 2, network-bound (1 B/cycle links)", new String[] {"hardware.noc.width=12", "hardware.noc.height=2",
                        "workload.rows=64", "workload.cols=96", "hardware.noc.link.bytesPerCycle=1", "hardware.core.matrixFlopsPerCycle.fp32=4096"}),
                Arguments.of("8 x 8 over 4 partitions on 2 threads", new String[] {"hardware.noc.width=8", "hardware.noc.height=8",
                        "workload.rows=512", "workload.cols=512", "run.partitions=4", "run.threads=2"}),
                Arguments.of("1 x 4, no tree", new String[] {"hardware.noc.width=1", "hardware.noc.height=4", "workload.rows=64", "workload.cols=64"}),
                Arguments.of("16 x 1 on two chips (rows split by chip, no chip traffic)", new String[] {"hardware.noc.width=16", "hardware.noc.height=1",
                        "hardware.chips.count=2", "hardware.chips.link.bytesPerCycle=8", "hardware.chips.link.latencyCycles=20",
                        "workload.rows=128", "workload.cols=512"}));
    }

    private static int[] shape(LoadedScenario s) {
        MeshGemv.Spec spec = s.bindWorkload(MeshGemv.Spec.class);
        return new int[] {spec.rows(), spec.cols()};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void treeGemvTakesTheClosedForm(String name, String[] overrides) {
        LoadedScenario s = Scenarios.shipped("gemv-tree-16x16", Scenarios.concat(overrides, "run.payload=timing"));
        Scenario.Hardware hw = s.scenario().hardware();
        int[] shape = shape(s);
        long expected = TreeGemvClosedForm.cycles(hw, shape[0], shape[1]) * hw.get(CoreSpec.class).cyclePs();
        long actual = Scenarios.run(s, out).simulatedTimePs();
        if (TreeGemvClosedForm.contentionFree(hw, shape[0], shape[1])) {
            assertEquals(expected, actual, name);
        } else {
            long upper = TreeGemvClosedForm.upperBoundCycles(hw, shape[0], shape[1]) * hw.get(CoreSpec.class).cyclePs();
            assertTrue(expected < actual && actual <= upper, name + ": " + expected + " < " + actual + " <= " + upper);
        }
        if (Integer.bitCount(hw.get(NocSpec.class).width()) == 1) {
            assertEquals(expected, TreeGemvClosedForm.powerOfTwoCycles(hw, shape[0], shape[1]) * hw.get(CoreSpec.class).cyclePs(), "the sum form, " + name);
        }
    }

    @Test
    void onlyAWidthWithEarlySendersHasContention() {
        for (String[] o : new String[][] {{"hardware.noc.width=8"}, {"hardware.noc.width=16"}, {"hardware.noc.width=2"}}) {
            Scenario.Hardware hw = Scenarios.shipped("gemv-tree-16x16", Scenarios.concat(o, "hardware.noc.link.bytesPerCycle=1")).scenario().hardware();
            assertTrue(TreeGemvClosedForm.contentionFree(hw, 2048, 2048), o[0]);
        }
        // column 4 of 5 skips two levels and sends at once; its partial catches up with 2 -> 0's on link 2 -> 1
        Scenario.Hardware five = Scenarios.shipped("gemv-tree-16x16", (String[]) scenarios().filter(a -> a.get()[0].toString().startsWith("5 x 2"))
                .findFirst().orElseThrow().get()[1]).scenario().hardware();
        assertFalse(TreeGemvClosedForm.contentionFree(five, 64, 320));
    }

    @Test
    void theShippedScenarioTakesTheClosedForm() {
        LoadedScenario s = Scenarios.shipped("gemv-tree-16x16");
        RunReport r = Scenarios.run(s, out);
        // 4119 + 55 (loads) + 129 (gemm) + 4 levels x (2 + 2 + 9) + 15 x 18 (hops) + 55 (store) = 4680 cycles
        assertEquals(4_680_000, TreeGemvClosedForm.powerOfTwoCycles(s.scenario().hardware(), 2048, 2048) * s.scenario().hardware().get(CoreSpec.class).cyclePs());
        assertEquals(4_680_000, r.simulatedTimePs());
    }
}
