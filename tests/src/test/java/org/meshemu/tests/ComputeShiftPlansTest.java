package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.meshemu.deploy.Runner;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.InputException;
import org.meshemu.workloads.linalg.MeshGemm;

/**
 * Cannon's compute-shift with k cut into Q parts, Q a divisor of the mesh side P ({@code workload.kParts},
 * T10's replicated plans, docs/studies/t10.md): every plan gives the reference's product, shifts exactly
 * (Q - 1) / Q of every core's row and column blocks, and holds more SRAM the fewer the parts.
 * Its determinism over threads and partitions is in {@link DeterminismTest}.
 */
class ComputeShiftPlansTest {
    @TempDir Path out;

    private RunReport run(int p, int size, int kParts, String payload) {
        return Scenarios.run("gemm-cannon-8x8", out.resolve(p + "-" + kParts + payload), "hardware.noc.width=" + p, "hardware.noc.height=" + p,
                "workload.m=" + size, "workload.n=" + size, "workload.k=" + size, "workload.kParts=" + kParts, "run.payload=" + payload);
    }

    private static MeshGemm.GemmReport section(RunReport r) {
        return (MeshGemm.GemmReport) r.workloadSectionsByName().get("gemm");
    }

    @ParameterizedTest(name = "P {0}, Q {1}")
    @CsvSource({"4, 1", "4, 2", "4, 4", "6, 3", "6, 2", "3, 1"})
    void everyPlanGivesTheReferencesProductAndShiftsWhatItDoesNotHold(int p, int kParts) {
        int size = 12 * p;
        RunReport r = run(p, size, kParts, "full");
        assertTrue(r.reference().maxRelError() <= 1e-5, "max rel error " + r.reference().maxRelError());
        int block = size / p, part = size / kParts;
        // each of the P^2 cores sends its A part (block x part) and its B part (part x block) at each of Q - 1 steps
        long expected = 4L * p * p * (kParts - 1) * 2L * block * part;
        assertEquals(expected, section(r).shiftBytes());
        assertEquals(kParts, section(r).kParts());
    }

    @Test
    void fewerPartsHoldMoreSramAndShiftLess() {
        long lastFootprint = 0, lastShift = Long.MAX_VALUE;
        for (int kParts : new int[] {8, 4, 2, 1}) {
            MeshGemm.GemmReport g = section(run(8, 256, kParts, "timing"));
            assertTrue(g.sramFootprintBytes() > lastFootprint, kParts + ": " + g.sramFootprintBytes() + " after " + lastFootprint);
            assertTrue(g.shiftBytes() < lastShift, kParts + ": " + g.shiftBytes() + " after " + lastShift);
            lastFootprint = g.sramFootprintBytes();
            lastShift = g.shiftBytes();
        }
        assertEquals(0, lastShift, "one part: every core holds its whole row and column blocks");
    }

    @Test
    void theMeshSideIsCannonAsItWas() {
        RunReport cannon = Scenarios.run("gemm-cannon-8x8", out.resolve("cannon"));
        RunReport eight = Scenarios.run("gemm-cannon-8x8", out.resolve("eight"), "workload.kParts=8");
        assertEquals(cannon.outputDigest(), eight.outputDigest());
        assertEquals(cannon.simulatedTimePs(), eight.simulatedTimePs());
        assertEquals(8, section(cannon).kParts(), "0 means the mesh side");
    }

    @Test
    void aPartCountThatDoesNotDivideTheMeshSideOrAnotherAlgorithmIsRefused() {
        InputException notDivisor = assertThrows(InputException.class,
                () -> Runner.prepare(Scenarios.shipped("gemm-cannon-8x8", "workload.kParts=3", "workload.k=384")));
        assertEquals("../scenarios/gemm-cannon-8x8.yaml: workload.kParts: must be 0 or a divisor of the mesh side 8, got 3", notDivisor.getMessage());
        InputException summa = assertThrows(InputException.class,
                () -> Runner.prepare(Scenarios.shipped("gemm-cannon-8x8", "workload.kParts=4", "workload.algorithm=summa")));
        assertTrue(summa.getMessage().startsWith("../scenarios/gemm-cannon-8x8.yaml: workload.kParts: must be 0 or the mesh side 8 for algorithm summa"),
                summa.getMessage());
        assertThrows(InputException.class, () -> Runner.prepare(Scenarios.shipped("gemm-cannon-8x8", "workload.kParts=-1")));
    }
}
