package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.Scenario;

/**
 * Cannon's GEMM on a P x P mesh without contention takes exactly the closed form of the timing
 * model (docs/TIMING.md), to the picosecond. Per core, in cycles, with o the instruction overhead:
 * <pre>
 *   load(B)  = o + Lc + tDram + ceil(B / bwDram) + Lc           (issue, channel, bank, channel back)
 *   X(h)     = inj + h (rd + ceil(B / bwLink) + ll) + rd         (a tile over h hops, after its send issued)
 *   g        = o + max(ceil(2 b^3 / flopsPerCycle), ceil(4B / sramBytesPerCycle))   (one accumulating gemm)
 *   g0       = o + max(ceil(2 b^3 / flopsPerCycle), ceil(3B / sramBytesPerCycle))   (the first, C := A B)
 *   step(g)  = max(max(2o + g, o + X) + o, 2o + X) + o            (send A, send B, gemm, recv A, recv B)
 *   total    = load(A) + load(B) + step(g0) + (P - 2) step(g) + g + store(C)
 * </pre>
 * X is the longest shift: 1 hop for P = 2, 2 hops on MeshGEMM's interleaved rings for P >= 4. For
 * P >= 4 the formula is exact when compute covers the shift (every core then steps in lock-step);
 * for P = 2 every core is symmetric, so it is exact in both regimes.
 */
class CannonClosedFormTest {
    static final int TILE = 16; // b: each core's tiles are 16 x 16 fp32 = 1024 bytes
    @TempDir Path out;

    static long expectedCycles(Scenario.Hardware hw, int p) {
        long o = hw.core().instructionOverheadCycles();
        long bytes = 4L * TILE * TILE;
        long lc = hw.dram().channelLatencyCycles();
        long load = o + lc + hw.dram().latencyCycles() + Math.ceilDiv(bytes, hw.dram().bytesPerCycle()) + lc;
        int hops = p == 2 ? 1 : 2;
        var noc = hw.noc();
        long x = noc.injectionCycles() + hops * (noc.routerDelayCycles() + Math.ceilDiv(bytes, noc.link().bytesPerCycle()) + noc.link().latencyCycles())
                + noc.routerDelayCycles();
        // a gemm reads A, B (and C from the second step on, when it accumulates) and writes C in SRAM
        long compute = Math.ceilDiv(2L * TILE * TILE * TILE, hw.core().matrixFlopsPerCycle().get("fp32"));
        long first = o + Math.max(compute, Math.ceilDiv(3 * bytes, hw.core().sramBytesPerCycle()));
        long g = o + Math.max(compute, Math.ceilDiv(4 * bytes, hw.core().sramBytesPerCycle()));
        return load + load + step(o, first, x) + (p - 2) * step(o, g, x) + g + load; // a store costs what a load of the same tile costs
    }

    /** One compute-shift step: send A, send B, gemm (g cycles), recv A, recv B; x is the longest shift. */
    private static long step(long o, long g, long x) {
        return Math.max(Math.max(2 * o + g, o + x) + o, 2 * o + x) + o;
    }

    private void check(int p, String... hardware) {
        int n = TILE * p;
        String[] overrides = Scenarios.concat(hardware, "hardware.noc.width=" + p, "hardware.noc.height=" + p,
                "workload.m=" + n, "workload.n=" + n, "workload.k=" + n, "run.threads=2");
        LoadedScenario s = Scenarios.shipped("default", overrides);
        long expected = expectedCycles(s.scenario().hardware(), p) * s.scenario().hardware().cyclePs();
        assertEquals(expected, Scenarios.run(s, out).simulatedTimePs(), "P = " + p);
    }

    @ParameterizedTest(name = "P = {0}, compute-bound")
    @ValueSource(ints = {2, 4, 8})
    void computeBoundCannonMatchesTheClosedForm(int p) {
        // 2 x 16^3 / 64 = 128 compute cycles per step; a 2-hop shift of 1 KiB at 32 B/cycle takes 72.
        check(p, "hardware.core.matrixFlopsPerCycle.fp32=64", "hardware.core.instructionOverheadCycles=2");
    }

    @Test
    void shiftBoundCannonOnTwoByTwoMatchesTheClosedForm() {
        // 1 KiB at 4 B/cycle: 256 cycles a hop against 2 cycles of compute.
        check(2, "hardware.core.matrixFlopsPerCycle.fp32=8192", "hardware.noc.link.bytesPerCycle=4",
                "hardware.noc.link.latencyCycles=3", "hardware.noc.routerDelayCycles=2");
    }

    @Test
    void sramBoundCannonMatchesTheClosedForm() {
        // 4 KiB moved per accumulating gemm at 16 B/cycle: 256 SRAM cycles against 128 of compute.
        check(4, "hardware.core.matrixFlopsPerCycle.fp32=64", "hardware.core.sramBytesPerCycle=16");
    }

    @Test
    void aSlowerClockScalesTheSameCycleCount() {
        check(4, "hardware.core.matrixFlopsPerCycle.fp32=64", "hardware.core.clockGHz=0.8");
    }
}
