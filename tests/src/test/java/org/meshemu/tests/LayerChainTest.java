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
import org.meshemu.workloads.linalg.LayerChain;

/**
 * The layer chain with weights streamed from DRAM ({@code kind: layers}, docs/studies/elk.md): both
 * schedules give the reference's numbers and the same bits, prefetching the next layer's weights is
 * never slower and hides the loads behind the products, and the roofline figures are as defined.
 * Determinism over threads and partitions is in {@link DeterminismTest}.
 */
class LayerChainTest {
    @TempDir Path out;

    private static final String CHIP = """
            name: layer-chain
            seed: 7
            hardware:
              core: {clockGHz: 1.0, sramKiB: 512}
              noc: {topology: mesh2d, width: 2, height: 2}
              dram: {banksPerCore: 1, latencyCycles: 20, bytesPerCycle: 16}
            workload: {kind: layers}
            """;

    private RunReport run(String... overrides) {
        return Scenarios.run(Scenarios.inline(CHIP, overrides), out.resolve(String.join("_", overrides).replace('/', '-')));
    }

    private static LayerChain.LayersReport section(RunReport r) {
        return (LayerChain.LayersReport) r.workloadSectionsByName().get("layers");
    }

    @ParameterizedTest(name = "{0} layers of {2} x {2} on {1} tokens, {3}")
    @CsvSource({"1, 4, 16, fixed", "3, 8, 32, fixed", "4, 2, 16, hbm3-channel"})
    void bothSchedulesGiveTheReferencesNumbersAndTheSameBits(int layers, int tokens, int width, String dram) {
        String[] shape = {"workload.layers=" + layers, "workload.tokens=" + tokens, "workload.width=" + width, "hardware.dram.preset=" + dram,
                "run.payload=full"};
        RunReport none = run(Scenarios.concat(shape, "workload.prefetch=none"));
        RunReport overlap = run(Scenarios.concat(shape, "workload.prefetch=overlap"));
        assertTrue(none.reference().maxRelError() <= 1e-5, "none: max rel error " + none.reference().maxRelError());
        assertEquals(none.outputDigest(), overlap.outputDigest());
        assertEquals(none.traffic(), overlap.traffic(), "the same bytes to and from the banks");
    }

    @Test
    void prefetchingIsNeverSlowerAndHidesTheLoadsWhenTheProductsTakeLonger() {
        for (String dram : new String[] {"fixed", "hbm3-channel"}) {
            for (int tokens : new int[] {1, 4, 16, 64, 256}) {
                String[] shape = {"workload.tokens=" + tokens, "hardware.dram.preset=" + dram};
                RunReport none = run(Scenarios.concat(shape, "workload.prefetch=none"));
                RunReport overlap = run(Scenarios.concat(shape, "workload.prefetch=overlap"));
                String what = dram + ", " + tokens + " tokens: " + overlap.simulatedTimePs() + " vs " + none.simulatedTimePs();
                assertTrue(overlap.simulatedTimePs() < none.simulatedTimePs(), what);
                assertTrue(section(overlap).ofRoofline() <= 1.0, what);
            }
        }
        // 256 tokens: a layer's products (2 x 256 x 128^2 / 256 = 32,768 cycles) outlast its load (65,536 B / 16 = 4,096
        // cycles), so with prefetching only the first layer's load shows: the run is the products plus one load's worth
        RunReport overlap = run("workload.tokens=256", "workload.prefetch=overlap");
        RunReport none = run("workload.tokens=256", "workload.prefetch=none");
        long perLoadPs = (none.simulatedTimePs() - overlap.simulatedTimePs()) / 7;
        assertTrue(perLoadPs >= 4_096_000, "each of the 7 later loads hidden in full: " + perLoadPs + " ps a layer");
    }

    @Test
    void theRooflineIsTheProductsAtPeakOrTheBytesAtTheBanksPeak() {
        RunReport r = run("workload.tokens=16", "workload.prefetch=overlap");
        LayerChain.LayersReport g = section(r);
        // 8 layers of 2 x 16 x 128 x 128 flops at 256 a cycle, 1 ns cycles
        assertEquals(8L * (2 * 16 * 128 * 128 / 256) * 1000, g.computePs());
        // 4 cores: input and output of 16 x 128 fp32, 8 layers of 128 x 128, at 4 banks x 16 B a ns
        long bytes = 4L * (2 * 16 * 128 * 4 + 8 * 128 * 128 * 4);
        assertEquals(bytes, g.hbmBytes());
        assertEquals(bytes * 1000 / (4 * 16), g.hbmPs());
        assertEquals(Math.max(g.computePs(), g.hbmPs()), g.rooflinePs());
        assertEquals((double) g.rooflinePs() / r.simulatedTimePs(), g.ofRoofline(), 1e-12);
    }

    @Test
    void anUnknownScheduleIsRefusedNamingTheField() {
        InputException e = assertThrows(InputException.class, () -> Runner.prepare(Scenarios.inline(CHIP, "workload.prefetch=sometimes")));
        assertTrue(e.getMessage().contains("workload.prefetch"), e.getMessage());
    }
}
