package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.tensor.Tile;
import org.meshemu.workloads.Plan;
import org.meshemu.workloads.Workloads;
import org.meshemu.workloads.checkpoint.PhiMoeWeights;
import org.meshemu.workloads.generate.ModelSpec;

/**
 * Phi-MoE with its experts on core groups ({@code workload.experts: grouped}) on the tiny model (4
 * experts): logits identical to the reference and to the sliced placement, tokens identical for 8
 * decode steps, the same output on any partitioning, timing mode, each expert's weights in its own
 * group's banks only, and a core count that does not divide into one group per expert refused naming
 * the field.
 */
class GroupedExpertsTest {
    @TempDir Path out;

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"2x2", "4x2", "4x4"})
    void groupedExpertsGiveTheReferencesLogitsAndTokens(String mesh) {
        String[] wh = mesh.split("x");
        RunReport r = Scenarios.run("phimoe-tiny-mesh", out, "hardware.noc.width=" + wh[0], "hardware.noc.height=" + wh[1],
                "workload.mapping=row-split", "workload.experts=grouped", "workload.decodeSteps=8", "run.threads=2");
        assertEquals(0.0, r.reference().maxAbsError(), "each group computes the reference's dot products, mixed in its order");
        assertEquals(Boolean.TRUE, r.reference().tokensMatch());
        assertTrue(r.generation().timeToFirstTokenPs() > 0 && r.generation().timePerOutputTokenPs() > 0, r.generation().toString());
        assertEquals("grouped", r.generation().experts());
        assertTrue(r.generation().perOperatorPs().containsKey("experts"), r.generation().perOperatorPs().toString());
    }

    /** On 4 x 2 cores, 4 experts: group e is cores 2e and 2e + 1, holding rows [0, 48) and [48, 96) of expert e's W1. */
    @Test
    void eachExpertsWeightsLiveOnlyInItsGroupsBanks() {
        LoadedScenario s = Scenarios.shipped("phimoe-tiny-mesh", "hardware.noc.width=4", "hardware.noc.height=2", "workload.experts=grouped",
                "workload.decodeSteps=0");
        Plan plan = Workloads.plan(s);
        PhiMoeWeights w = (PhiMoeWeights) ModelSpec.of(s).weights();
        int banksPerCore = 2, group = 2, block = 48 * 64;
        for (int core = 0; core < 8; core++) {
            List<float[]> held = plan.banks().subList(core * banksPerCore, (core + 1) * banksPerCore).stream()
                    .flatMap(b -> b.values().stream()).filter(Tile::hasData).map(Tile::floats).toList();
            int part = core % group;
            for (int e = 0; e < 4; e++) {
                float[] rows = Arrays.copyOfRange(w.layers().get(0).experts().get(e).w1().widen(), part * block, (part + 1) * block);
                assertEquals(e == core / group, held.stream().anyMatch(t -> Arrays.equals(t, rows)), "expert " + e + " W1 part " + part + " on core " + core);
            }
        }
    }

    @Test
    void groupedAndSlicedGiveTheSameOutputsOnAnyPartitioning() {
        RunReport sliced = Scenarios.run("phimoe-tiny-mesh", out.resolve("sliced"), "run.partitions=1", "run.threads=1");
        for (int p : new int[] {1, 2, 4}) {
            RunReport grouped = Scenarios.run("phimoe-tiny-mesh", out.resolve("grouped" + p), "workload.experts=grouped",
                    "run.partitions=" + p, "run.threads=2");
            assertEquals(sliced.outputDigest(), grouped.outputDigest(), "partitions " + p);
        }
    }

    @Test
    void groupedTimingModeRunsTheDrawnRoutingTheSameOnAnyPartitioning() {
        RunReport a = Scenarios.run("phimoe-tiny-mesh", out.resolve("a"), "workload.experts=grouped", "run.payload=timing",
                "run.partitions=1", "run.threads=1");
        RunReport b = Scenarios.run("phimoe-tiny-mesh", out.resolve("b"), "workload.experts=grouped", "run.payload=timing",
                "run.partitions=4", "run.threads=2");
        assertEquals(a.simulatedTimePs(), b.simulatedTimePs());
        assertEquals(a.events(), b.events());
        assertTrue(a.generation().timePerOutputTokenPs() > 0);
    }

    @Test
    void aCoreCountNotDividingIntoOneGroupPerExpertExitsTwoNamingTheField() {
        BadInputTest.Result r = BadInputTest.cli("run", Scenarios.file("phimoe-tiny-mesh").toString(), "--out", out.resolve("x").toString(),
                "--set", "workload.experts=grouped", "--set", "hardware.noc.width=3", "--set", "hardware.noc.height=2");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("workload.experts") && r.err().contains("grouped") && r.err().contains("num_local_experts (4)"), r.err());
    }
}
