package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshemu.aicore.CoreSpec;
import org.meshemu.deploy.Runner;
import org.meshemu.noc.NocSpec;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.Scenario;

/**
 * The GEMV reductions and GEMM algorithms WaferLLM's study compares against (workloads/linalg
 * {@code GemvReductions}, {@code GemmAlgorithms}): each gives the reference's numbers, and the
 * central reduction takes the time its closed form says, growing linearly with the mesh width.
 * Their determinism over threads and partitions is in {@link DeterminismTest}.
 */
class LinalgBaselinesTest {
    @TempDir Path out;

    @ParameterizedTest(name = "{0} on {1} x {2}")
    @CsvSource({
        "ring,    4, 4, 64, 64",
        "ring,    3, 2, 36, 48",   // an odd ring: neighbours 0 2 1
        "ring,    1, 2, 8, 8",     // one column: no ring steps
        "central, 4, 4, 64, 64",
        "central, 5, 2, 20, 40",
        "tree,    5, 2, 20, 40",
    })
    void everyReductionGivesTheReferencesVector(String reduction, int width, int height, int rows, int cols) {
        RunReport r = Scenarios.run("gemv-tree-16x16", out, "workload.reduction=" + reduction, "hardware.noc.width=" + width,
                "hardware.noc.height=" + height, "workload.rows=" + rows, "workload.cols=" + cols);
        assertTrue(r.reference().maxRelError() <= 1e-5, reduction + ": max rel error " + r.reference().maxRelError());
    }

    @ParameterizedTest(name = "{0} on {1} x {1}")
    @CsvSource({
        "summa,  4, 64",
        "summa,  3, 48",
        "summa,  1, 16",
        "gather, 4, 64",
        "gather, 3, 48",
        "cannon, 3, 48",
    })
    void everyAlgorithmGivesTheReferencesProduct(String algorithm, int p, int size) {
        RunReport r = Scenarios.run("gemm-cannon-8x8", out, "workload.algorithm=" + algorithm, "hardware.noc.width=" + p, "hardware.noc.height=" + p,
                "workload.m=" + size, "workload.n=" + size, "workload.k=" + size);
        assertTrue(r.reference().maxRelError() <= 1e-5, algorithm + ": max rel error " + r.reference().maxRelError());
    }

    @Test
    void theRingNeedsAChunkPerColumn() {
        InputException e = assertThrows(InputException.class, () -> Runner.prepare(Scenarios.shipped("gemv-tree-16x16", "workload.reduction=ring",
                "hardware.noc.width=4", "hardware.noc.height=4", "workload.rows=24", "workload.cols=64")));
        assertEquals("../scenarios/gemv-tree-16x16.yaml: workload.rows: must be a multiple of the mesh height x chips x width 16 (the ring cuts"
                + " each core's partial into one chunk per column), got 24", e.getMessage());
    }

    /**
     * The central reduction in cycles, P = width >= 2, rb x cb blocks: every column is ready at
     * r0 = load(4 rb cb) + load(4 cb) + g and sends at once; partial k crosses k hops leftwards
     * (X(k) = inj + k hop + rd, hop = rd + ser + ll) and trails partial k - 1 by one hop at every link, and
     * a hop is longer than a partial's ser cycles on a link, so no two partials meet on a link:
     * partial k is at column 0 at r0 + o + X(k). Column 0 receives them in column order, each
     * receive done at max(its previous add done, the arrival) + o and its add E later:
     * <pre>
     *   R_k   = max(R_(k-1), r0 + o + X(k)) + o + E,  R_0 = r0
     *   total = R_(P-1) + load(4 rb)
     *         = r0 + o + inj + rd + max(hop + (P - 1)(o + E), (P - 1) hop + o + E) + load(4 rb)
     * </pre>
     * (the max of a sum linear in k is at an end): linear in P, against the tree's log2 P levels.
     * The first term is column 0's serial receive-and-add; the second the farthest partial's trip.
     */
    static long centralCycles(Scenario.Hardware hw, int rows, int cols) {
        var noc = hw.get(NocSpec.class);
        int p = noc.width();
        long rb = rows / noc.height(), cb = cols / p, o = hw.get(CoreSpec.class).instructionOverheadCycles();
        long e = TreeGemvClosedForm.addCycles(hw, rb);
        long hop = noc.routerDelayCycles() + Math.ceilDiv(4 * rb, noc.link().bytesPerCycle()) + noc.link().latencyCycles();
        long r0 = TreeGemvClosedForm.access(hw, 4 * rb * cb) + TreeGemvClosedForm.access(hw, 4 * cb) + TreeGemvClosedForm.partialCycles(hw, rb, cb);
        return r0 + o + noc.injectionCycles() + noc.routerDelayCycles() + Math.max(hop + (p - 1) * (o + e), (p - 1) * hop + o + e)
                + TreeGemvClosedForm.access(hw, 4 * rb);
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {2, 3, 4, 8, 16, 24})
    void theCentralReductionTakesItsClosedFormLinearInTheWidth(int width) {
        // fixed 32 x 32 blocks, so only the reduction changes with the width
        for (String[] rates : new String[][] {{}, {"hardware.core.instructionOverheadCycles=9"}}) {   // trip-bound, then receive-bound
            LoadedScenario s = Scenarios.shipped("gemv-tree-16x16", Scenarios.concat(rates, "workload.reduction=central", "hardware.noc.width=" + width,
                    "hardware.noc.height=2", "workload.rows=64", "workload.cols=" + 32 * width, "run.payload=timing"));
            Scenario.Hardware hw = s.scenario().hardware();
            long expected = centralCycles(hw, 64, 32 * width) * hw.get(CoreSpec.class).cyclePs();
            assertEquals(expected, Scenarios.run(s, out.resolve(width + "-" + rates.length)).simulatedTimePs(), String.join(",", rates));
        }
    }

    /** Gather-to-one: core 0 does all P^3 block products, so it takes at least their time, whatever P; Cannon spreads them. */
    @ParameterizedTest(name = "P = {0}")
    @ValueSource(ints = {2, 4, 8})
    void gatherToOneIsBoundByOneCoresMultiplies(int p) {
        String[] shape = {"hardware.noc.width=" + p, "hardware.noc.height=" + p, "workload.m=128", "workload.n=128", "workload.k=128", "run.payload=timing"};
        LoadedScenario gather = Scenarios.shipped("gemm-cannon-8x8", Scenarios.concat(shape, "workload.algorithm=gather"));
        Scenario.Hardware hw = gather.scenario().hardware();
        long b = 128 / p, o = hw.get(CoreSpec.class).instructionOverheadCycles();
        long multiplies = (long) p * p * p * (o + Math.ceilDiv(2 * b * b * b, hw.get(CoreSpec.class).matrixFlopsPerCycle().get("fp32")));
        long gathered = Scenarios.run(gather, out.resolve("g")).simulatedTimePs();
        long cannon = Scenarios.run("gemm-cannon-8x8", out.resolve("c"), shape).simulatedTimePs();
        assertTrue(gathered >= multiplies * hw.get(CoreSpec.class).cyclePs(), gathered + " ps < " + multiplies + " cycles");
        assertTrue(cannon < gathered, "cannon " + cannon + " ps, gather " + gathered + " ps");
    }
}
