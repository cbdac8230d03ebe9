package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshemu.aicore.CoreSpec;
import org.meshemu.noc.NocSpec;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.Scenario;

/** Every hardware preset loads, lays its values under the scenario's, and runs a GEMV. */
class PresetsTest {
    @TempDir Path out;

    @ParameterizedTest
    @ValueSource(strings = {"stacked-3d-32x32", "wse2-like", "wse2-720", "ipu-mk2-like", "multi-3d-cluster", "ipu-pod4-like"})
    void eachPresetRunsAGemvAtReducedSize(String preset) {
        // The shipped GEMV pins a 16 x 16 mesh; a reduced run keeps it and takes everything else from the preset.
        LoadedScenario s = Scenarios.shipped("gemv-tree-16x16", "hardware.preset=" + preset, "workload.rows=256", "workload.cols=256");
        RunReport r = Scenarios.run(s, out);
        assertTrue(r.reference().maxRelError() <= 1e-5, preset + ": " + r.reference());
        assertTrue(r.simulatedTimePs() > 0);
    }

    @Test
    void presetValuesSitBetweenTheDefaultsAndTheScenario() {
        Scenario.Hardware hw = Scenarios.shipped("gemv-tree-16x16", "hardware.preset=wse2-like").scenario().hardware();
        assertEquals(48, hw.get(CoreSpec.class).sramKiB(), "from the preset");
        assertEquals(4, hw.get(NocSpec.class).link().bytesPerCycle(), "from the preset");
        assertEquals(16, hw.get(NocSpec.class).width(), "the scenario file wins over the preset");
        assertEquals(256, hw.get(CoreSpec.class).matrixFlopsPerCycle().get("fp32"), "from the defaults, which the preset leaves alone");
    }

    @Test
    void theStackedPresetRunsAtFullSize() {
        LoadedScenario s = Scenarios.shipped("gemv-tree-16x16", "hardware.preset=stacked-3d-32x32", "hardware.noc.width=32",
                "hardware.noc.height=32", "workload.rows=4096", "workload.cols=4096");
        RunReport r = Scenarios.run(s, out);
        assertEquals(1024, r.components().get("core"));
        assertEquals(4096, r.components().get("bank"));
        assertTrue(r.dram().rowHitRate() > 0.5, "sequential tile reads mostly hit open rows: " + r.dram());
    }

    @Test
    void theIpuPresetRunsAtFullSize() {
        LoadedScenario s = Scenarios.shipped("gemv-tree-16x16", "hardware.preset=ipu-mk2-like", "hardware.noc.width=32",
                "hardware.noc.height=46", "workload.rows=2944", "workload.cols=2048");
        RunReport r = Scenarios.run(s, out);
        assertEquals(1472, r.components().get("core"));
        assertEquals(755, r.windowPs(), "1.325 GHz: one cycle is 755 ps");
        assertTrue(r.reference().maxRelError() <= 1e-5);
    }

    /**
     * ELK's POD at full size: 4 x 1,472 tiles, about 32 s on a 2-core machine (most of it wiring
     * each chip's exchange, 1,472^2 channels), so behind the profile: mvn -B verify -Pfull-size.
     */
    @Tag("full-size")
    @Test
    void thePodPresetRunsAtFullSizeOnFourChips() {
        LoadedScenario s = Scenarios.shipped("gemv-tree-16x16", "hardware.preset=ipu-pod4-like", "hardware.noc.width=32",
                "hardware.noc.height=46", "workload.rows=11776", "workload.cols=2048");
        RunReport r = Scenarios.run(s, out);
        assertEquals(4 * 1472, r.components().get("core"));
        assertEquals(4 * 1472 + 4, r.components().get("router"), "1,472 exchange ports and the gateway port on each chip");
        assertEquals(4 * 2 * 1472 + 4 * 3, r.components().get("link"), "inject and eject links per tile, a link to each other chip");
        assertTrue(r.reference().maxRelError() <= 1e-5);
    }

    @Test
    void theClusterPresetRunsAtFullSizeOnFourChips() {
        LoadedScenario s = Scenarios.shipped("gemv-tree-16x16", "hardware.preset=multi-3d-cluster", "hardware.noc.width=32",
                "hardware.noc.height=32", "workload.rows=4096", "workload.cols=4096");
        RunReport r = Scenarios.run(s, out);
        assertEquals(4 * 1024, r.components().get("core"));
        assertTrue(r.reference().maxRelError() <= 1e-5);
    }

    /**
     * A wafer-scale preset at full size: wse2-720 (518,400 cores, 3.6 M components, ~100 s, a 20 GB
     * heap). Run with mvn -B verify -Pfull-size. The whole fabric (wse2-like, 5.3 M components) needs
     * a 21 GB heap and nothing else on a 24 GiB machine, which a test JVM beside Maven's does not
     * leave: bench/wse2-full.sh runs it.
     */
    @Tag("full-size")
    @ParameterizedTest
    @ValueSource(strings = {"wse2-720"})
    void waferScalePresetsRunAGemvAtFullSize(String preset) {
        int width = preset.equals("wse2-like") ? 757 : 720, height = preset.equals("wse2-like") ? 996 : 720;
        LoadedScenario s = Scenarios.shipped("gemv-tree-16x16", "hardware.preset=" + preset, "hardware.noc.width=" + width,
                "hardware.noc.height=" + height, "run.payload=timing", "workload.rows=" + 4 * height, "workload.cols=" + 4 * width);
        RunReport r = Scenarios.run(s, out);
        assertEquals((long) s.scenario().hardware().get(NocSpec.class).nodes(), r.components().get("core"));
    }
}
