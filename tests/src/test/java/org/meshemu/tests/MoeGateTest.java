package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshemu.aicore.Shape;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.tensor.Tile;
import org.meshemu.workloads.Workloads;
import org.meshemu.workloads.checkpoint.PhiMoeWeights;
import org.meshemu.workloads.fused.SoftmaxGate;
import org.meshemu.workloads.generate.GenerateSpec;
import org.meshemu.workloads.generate.ModelSpec;
import org.meshemu.workloads.generate.MoeReport;
import org.meshemu.workloads.reference.PhiMoeReference;

/**
 * Gates with other than two experts per token (issue 12): softmax top-k (k = 1, 3) and the threshold gate (a variable
 * number per token) equal the reference bit for bit in full payload under every placement that runs them; the
 * {@code moe} section counts exactly the experts the reference's gate activated, layer by layer; in timing mode the
 * drawn decisions vary k too, identically on any threads and partitions; bad gate settings fail at load naming the field.
 */
class MoeGateTest {
    @TempDir Path out;

    private static final String[] TWO_CHIPS_OF_2X2 = {"hardware.chips.count=2", "hardware.chips.topology=mesh2d",
        "hardware.noc.width=2", "hardware.noc.height=2", "hardware.chips.link.bandwidthGBps=100", "hardware.chips.link.latencyNs=500"};
    private static final String[] THRESHOLD = {"workload.gate.kind=threshold", "workload.gate.threshold=0.2", "workload.gate.maxK=4"};

    private static MoeReport moe(RunReport r) {
        return (MoeReport) r.workloadSectionsByName().get("moe");
    }

    @ParameterizedTest(name = "threshold gate, experts {0}")
    @ValueSource(strings = {"grouped", "expert-parallel"})
    void theThresholdGateEqualsTheReference(String experts) {
        RunReport r = Scenarios.run("phimoe-tiny-mesh", out, Scenarios.concat(THRESHOLD, "workload.experts=" + experts, "workload.batch=2",
                "workload.mapping=row-split", "workload.decodeSteps=4"));
        assertEquals(0.0, r.reference().maxAbsError(), "the same gate, the same experts, the same mix order");
        assertEquals(Boolean.TRUE, r.reference().tokensMatch());
    }

    @ParameterizedTest(name = "softmax top-{0}, experts {1}")
    @CsvSource({"1, sliced", "1, grouped", "1, expert-parallel", "3, sliced", "3, grouped", "3, expert-parallel"})
    void aSoftmaxTopKEqualsTheReferenceAndRoutesKExpertsPerToken(int k, String experts) {
        RunReport r = Scenarios.run("phimoe-tiny-mesh", out, "workload.gate.kind=top-k", "model.config.num_experts_per_tok=" + k,
                "workload.experts=" + experts, "workload.batch=2", "workload.mapping=row-split", "workload.decodeSteps=3");
        assertEquals(0.0, r.reference().maxAbsError());
        assertEquals(Boolean.TRUE, r.reference().tokensMatch());
        if (!experts.equals("expert-parallel")) return;
        MoeReport m = moe(r);
        assertEquals(k, m.topK());
        for (MoeReport.Layer l : m.layers()) assertEquals(m.tokensPerLayer() * k, l.tokens(), l.toString());
    }

    /**
     * The experts the threshold gate activates, counted independently: the reference run again with a gate that
     * records how many experts it filled, call by call (the reference runs a token's layers in order, so call c is
     * layer c mod L). Each layer's tokens in the report equal that sum: tokens x (activated k), none dropped.
     */
    @Test
    void tokensProcessedPerLayerAreTheTokensTimesTheirActivatedExperts() {
        String[] set = Scenarios.concat(Scenarios.concat(TWO_CHIPS_OF_2X2, THRESHOLD), "workload.experts=expert-parallel", "workload.batch=3",
                "workload.mapping=row-split", "workload.decodeSteps=5");
        LoadedScenario s = Scenarios.shipped("phimoe-tiny-mesh", set);
        RunReport r = Scenarios.run(s, out);
        assertEquals(0.0, r.reference().maxAbsError());

        PhiMoeWeights w = (PhiMoeWeights) ModelSpec.of(s).weights();
        GenerateSpec spec = s.bindWorkload(GenerateSpec.class);
        int layers = w.config().numHiddenLayers(), experts = w.config().numLocalExperts();
        long[] activated = new long[layers];
        SoftmaxGate gate = new SoftmaxGate(4, 0.2f);
        long[] calls = {0};
        org.meshemu.aicore.VectorOp.Fused counting = new org.meshemu.aicore.VectorOp.Fused() {
            public Shape out(List<Shape> in) { return gate.out(in); }
            public int passes() { return gate.passes(); }
            public int arity() { return 1; }
            public float[] compute(List<Tile> in, Shape out) {
                float[] route = gate.compute(in, out);
                int layer = (int) (calls[0]++ % layers);
                for (int k = 0; k < gate.slots(); k++) if (route[2 * k] != SoftmaxGate.EMPTY) activated[layer]++;
                return route;
            }
        };
        PhiMoeReference reference = new PhiMoeReference(w, counting);
        for (int b = 0; b < spec.batch(); b++) reference.generate(spec.promptIds(b, w.config().vocabSize()), spec.decodeSteps());

        MoeReport m = moe(r);
        long tokens = 3L * (3 + 5);
        assertEquals(tokens, m.tokensPerLayer());
        assertEquals(tokens * layers, calls[0], "one gate call per token and layer");
        long all = 0;
        for (int l = 0; l < layers; l++) {
            MoeReport.Layer layer = m.layers().get(l);
            assertEquals(activated[l], layer.tokens(), layer.toString());
            assertEquals(layer.tokens(), layer.tokensPerExpert().stream().mapToLong(Long::longValue).sum());
            all += activated[l];
        }
        assertTrue(all > tokens * layers && all < tokens * layers * experts, "a variable k: " + all + " over " + tokens * layers + " token-layers");
        assertEquals((double) all / layers / tokens, m.topK(), 1e-12, "topK is the mean activated");
        assertTrue(m.sMbu() > 0 && m.sMbu() <= 1 && m.sMfu() > 0 && m.sMfu() <= 1, m.toString());
    }

    /** Timing mode draws a variable k from the seed, by the core's stream and by the zipf trace, the same on any partitioning. */
    @ParameterizedTest(name = "routing {0}")
    @ValueSource(strings = {"gate", "zipf"})
    void timingModeDrawsAVariableKTheSameOnAnyThreadsAndPartitions(String routing) {
        String[] base = Scenarios.concat(Scenarios.concat(TWO_CHIPS_OF_2X2, THRESHOLD), "workload.experts=expert-parallel", "workload.batch=4",
                "workload.decodeSteps=8", "run.payload=timing", "workload.routing.kind=" + routing, "workload.routing.exponent=1.2");
        RunReport first = null;
        for (String[] tp : new String[][] {{"1", "1"}, {"2", "1"}, {"1", "2"}, {"2", "4"}}) {
            RunReport r = Scenarios.run("phimoe-tiny-mesh", out.resolve(routing + tp[0] + tp[1]),
                    Scenarios.concat(base, "run.threads=" + tp[0], "run.partitions=" + tp[1]));
            MoeReport m = moe(r);
            for (MoeReport.Layer l : m.layers()) assertEquals(l.tokens(), l.tokensPerExpert().stream().mapToLong(Long::longValue).sum());
            assertTrue(m.topK() > 1 && m.topK() < 4 && m.topK() != 2, "a variable k: mean " + m.topK());
            if (first == null) {
                first = r;
                continue;
            }
            assertEquals(first.simulatedTimePs(), r.simulatedTimePs(), "threads " + tp[0] + " partitions " + tp[1]);
            assertEquals(first.events(), r.events());
            assertEquals(moe(first), m);
        }
        RunReport top2 = Scenarios.run("phimoe-tiny-mesh", out.resolve(routing + "top2"), Scenarios.concat(base, "workload.gate.kind=sparsemixer"));
        assertEquals(2.0, moe(top2).topK());
        assertNotEquals(top2.simulatedTimePs(), first.simulatedTimePs(), "the number of experts is work");
    }

    @Test
    void badGateSettingsFailAtLoadNamingTheField() {
        assertMessage("workload.gate.kind", "num_experts_per_tok 3", "model.config.num_experts_per_tok=3");
        assertMessage("workload.gate.threshold", "got 0.0", "workload.gate.kind=threshold", "workload.gate.threshold=0");
        assertMessage("workload.gate.maxK", "got 5", "workload.gate.kind=threshold", "workload.gate.maxK=5");
        assertMessage("workload.gate.kind", "got 'dense'", "workload.gate.kind=dense");
        assertMessage("workload.gate.kind", "threshold", "workload.gate.kind=threshold", "workload.experts=sliced");
        assertMessage("num_experts_per_tok", "must be in [1, num_local_experts]", "workload.gate.kind=top-k", "model.config.num_experts_per_tok=5");
    }

    private static void assertMessage(String field, String detail, String... set) {
        InputException e = assertThrows(InputException.class, () -> Workloads.plan(Scenarios.shipped("phimoe-tiny-mesh", set)));
        assertTrue(e.getMessage().contains(field) && e.getMessage().contains(detail), e.getMessage());
        assertTrue(e.getMessage().contains("phimoe-tiny-mesh.yaml"), "names the file: " + e.getMessage());
    }
}
