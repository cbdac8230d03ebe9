package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.tensor.Tile;
import org.meshemu.workloads.Plan;
import org.meshemu.workloads.Workloads;
import org.meshemu.workloads.checkpoint.Checkpoint;
import org.meshemu.workloads.checkpoint.ModelWeights;
import org.meshemu.workloads.checkpoint.PhiMoeWeights;
import org.meshemu.workloads.checkpoint.RandomCheckpoint;
import org.meshemu.workloads.generate.ModelSpec;

/**
 * Full-size models in timing mode: shape-only weights (no value is drawn or held), so a full-size
 * config plans without its tens of GB of numbers; the shipped full-size scenarios run behind
 * {@code -Pfull-size}.
 */
class FullSizeTest {
    /** A stacked-3d-bank channel: 16384 rows x 8 banks x 2 KiB. */
    private static final long BANK_CAPACITY = 256L << 20;

    @TempDir Path out;

    @ParameterizedTest
    @ValueSource(strings = {"retnet-7b-stacked-32x32", "phimoe-16x3.8b-stacked-32x32", "bitnet-2b-stacked-32x32"})
    void fullSizeConfigsGiveShapeOnlyWeights(String name) {
        ModelWeights w = ModelSpec.of(Scenarios.shipped(name)).shapes();
        assertFalse(w.hasValues());
        if (w instanceof PhiMoeWeights p) {
            assertEquals(32, p.layers().size());
            assertNull(p.layers().get(31).experts().get(15).w2(), "no expert values");
        }
    }

    @Test
    void shapeOnlyWeightsAreCheckedLikeRealOnes() {
        // the same loader as for values: a config's tensors are all there, with the config's shapes
        var config = Checkpoint.parseConfig("retnet", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("decoder_embed_dim", 32).put("decoder_value_embed_dim", 64).put("decoder_retention_heads", 2)
                .put("decoder_ffn_embed_dim", 64).put("decoder_layers", 2).put("vocab_size", 64).put("activation_fn", "swish"), "test");
        ModelWeights shapes = RandomCheckpoint.shapes(config), values = RandomCheckpoint.build(config, 3);
        assertFalse(shapes.hasValues());
        assertTrue(values.hasValues());
        assertEquals(shapes.config(), values.config());
    }

    /**
     * The largest model, all 32 layers at full width, one token: planning holds no weight value, every
     * bank's tiles fit its 256 MiB, and the fp32 weights add up to the model's 41.9 B parameters.
     */
    @Test
    void phiMoeAtFullSizePlansWithoutWeightValuesAndFitsTheBanks() {
        LoadedScenario s = Scenarios.shipped("phimoe-16x3.8b-stacked-32x32", "workload.prompt=[1]", "workload.decodeSteps=0");
        Plan plan = Workloads.plan(s);
        assertEquals(1024, plan.programs().size());
        assertEquals(4096, plan.banks().size());
        long total = 0, maxExtent = 0;
        for (Map<Long, Tile> bank : plan.banks()) {
            for (var e : bank.entrySet()) {
                assertFalse(e.getValue().hasData(), "timing mode places shape-only tiles");
                total += e.getValue().bytes();
                maxExtent = Math.max(maxExtent, e.getKey() + e.getValue().bytes());
            }
        }
        assertTrue(maxExtent <= BANK_CAPACITY, "largest bank extent " + maxExtent);
        long h = 4096, im = 6400, q = 4096, kv = 1024, v = 32064, experts = 16;
        long params = 32 * (h * q + 2 * h * kv + q * h + experts * h + experts * 3 * h * im) + 2 * v * h;
        assertTrue(total >= 4 * params && total < 4 * params + (64L << 20), total + " bytes for " + params + " parameters");
    }

    /** Tiles placed past a bank's capacity would alias: the run is refused, naming the bank. */
    @Test
    void weightsBeyondABanksCapacityAreRefused() {
        org.meshemu.scenario.InputException e = org.junit.jupiter.api.Assertions.assertThrows(org.meshemu.scenario.InputException.class,
                () -> Scenarios.run("retnet-tiny-mesh", out, "hardware.noc.width=2", "hardware.noc.height=2",
                        "hardware.dram.preset=stacked-3d-bank", "hardware.dram.overrides.rows=1"));
        assertTrue(e.getMessage().contains("hardware.dram") && e.getMessage().contains("bank"), e.getMessage());
    }

    /** The shipped full-size scenarios on the 32 x 32 stacked chip: minutes each; mvn -B verify -Pfull-size. */
    @Tag("full-size")
    @ParameterizedTest
    @ValueSource(strings = {"retnet-7b-stacked-32x32", "phimoe-16x3.8b-stacked-32x32", "bitnet-2b-stacked-32x32"})
    void fullSizeScenariosRunInTimingMode(String name) {
        RunReport r = Scenarios.run(name, out);
        assertEquals(1024, r.components().get("core"));
        assertNull(r.outputDigest(), "timing mode has no numbers");
        RunReport.Generation g = r.generation();
        assertTrue(g.timeToFirstTokenPs() > 0 && g.timePerOutputTokenPs() > 0, g.toString());
        assertTrue(g.maxWeightBytesPerBank() <= BANK_CAPACITY, g.toString());
    }

    /** Expert choices are drawn once, on core 0, and broadcast: the same trace on any partitioning. */
    @Tag("full-size")
    @Test
    void fullWidthMoeRoutingIsTheSameOnAnyPartitioning() {
        String[] twoLayers = {"model.config.num_hidden_layers=2", "workload.decodeSteps=1"};
        RunReport a = Scenarios.run("phimoe-16x3.8b-stacked-32x32", out.resolve("a"), Scenarios.concat(twoLayers, "run.partitions=1", "run.threads=1"));
        RunReport b = Scenarios.run("phimoe-16x3.8b-stacked-32x32", out.resolve("b"), Scenarios.concat(twoLayers, "run.partitions=4", "run.threads=2"));
        assertEquals(a.simulatedTimePs(), b.simulatedTimePs());
        assertEquals(a.events(), b.events());
    }
}
