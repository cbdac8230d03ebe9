package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.InputException;
import org.meshemu.workloads.Workloads;
import org.meshemu.workloads.generate.MoeReport;

/**
 * Mixture of experts at system scale, first part (issue 12): batches of sequences ({@code workload.batch}) equal
 * the reference sequence by sequence under every expert placement and in the other attention families; the
 * {@code expert-parallel} placement on 2 chips of 2 x 2 equals the reference and the sliced placement bit for
 * bit, the same on any threads and partitions, in full payload and under a zipf routing trace; its {@code moe}
 * section counts tokens x k expert tokens per layer (none dropped) and shows the trace's skew.
 */
class MoeBatchTest {
    @TempDir Path out;

    private static final String[] TWO_CHIPS_OF_2X2 = {"hardware.chips.count=2", "hardware.chips.topology=mesh2d",
        "hardware.noc.width=2", "hardware.noc.height=2", "hardware.chips.link.bandwidthGBps=100", "hardware.chips.link.latencyNs=500"};

    private static MoeReport moe(RunReport r) {
        return (MoeReport) r.workloadSectionsByName().get("moe");
    }

    @ParameterizedTest(name = "phimoe batch 3, experts {0}")
    @ValueSource(strings = {"sliced", "grouped", "expert-parallel"})
    void aBatchGivesEachSequenceTheReferencesLogitsAndTokens(String experts) {
        RunReport r = Scenarios.run("phimoe-tiny-mesh", out, "workload.batch=3", "workload.experts=" + experts, "workload.mapping=row-split",
                "workload.decodeSteps=4", "run.threads=2");
        assertEquals(0.0, r.reference().maxAbsError(), "each column computes its sequence's reference dot products");
        assertEquals(Boolean.TRUE, r.reference().tokensMatch());
    }

    @ParameterizedTest(name = "{0} batch 2")
    @ValueSource(strings = {"phi3-tiny-mesh", "bitnet-tiny-mesh"})
    void theOtherAttentionFamiliesBatchToo(String scenario) {
        RunReport r = Scenarios.run(scenario, out, "workload.batch=2", "workload.mapping=row-split", "workload.decodeSteps=3", "run.threads=2");
        assertEquals(0.0, r.reference().maxAbsError());
        assertEquals(Boolean.TRUE, r.reference().tokensMatch());
    }

    @Test
    void aBatchedPromptInBlocksStillEqualsTheReference() {
        RunReport r = Scenarios.run("phimoe-tiny-mesh", out, "workload.batch=2", "workload.prompt=[5, 17, 42, 9, 3]", "workload.prefillBlock=2",
                "workload.mapping=row-split", "workload.decodeSteps=2");
        assertEquals(0.0, r.reference().maxAbsError());
        assertEquals(Boolean.TRUE, r.reference().tokensMatch());
    }

    @Test
    void retnetRefusesABatchNamingTheField() {
        InputException e = assertThrows(InputException.class, () -> Workloads.plan(Scenarios.shipped("retnet-tiny-mesh", "workload.batch=2")));
        assertTrue(e.getMessage().contains("workload.batch"), e.getMessage());
    }

    @Test
    void expertParallelOnTwoChipsEqualsTheReferenceAndSlicedOnAnyPartitioning() {
        String[] base = Scenarios.concat(TWO_CHIPS_OF_2X2, "workload.batch=2", "workload.decodeSteps=4", "workload.mapping=row-split");
        RunReport sliced = Scenarios.run("phimoe-tiny-mesh", out.resolve("sliced"), Scenarios.concat(base, "run.partitions=1", "run.threads=1"));
        RunReport first = null;
        for (String[] tp : new String[][] {{"1", "1"}, {"2", "1"}, {"2", "2"}, {"2", "4"}}) {
            RunReport r = Scenarios.run("phimoe-tiny-mesh", out.resolve("ep" + tp[0] + tp[1]),
                    Scenarios.concat(base, "workload.experts=expert-parallel", "run.threads=" + tp[0], "run.partitions=" + tp[1]));
            assertEquals(0.0, r.reference().maxAbsError(), "threads " + tp[0] + " partitions " + tp[1]);
            assertEquals(Boolean.TRUE, r.reference().tokensMatch());
            assertEquals(sliced.outputDigest(), r.outputDigest(), "the same bits as sliced");
            if (first == null) {
                first = r;
                continue;
            }
            assertEquals(first.simulatedTimePs(), r.simulatedTimePs(), "threads " + tp[0] + " partitions " + tp[1]);
            assertEquals(first.events(), r.events());
            assertEquals(moe(first), moe(r));
        }
        MoeReport m = moe(first);
        assertTrue(m.offChipBytes() > 0 && m.allToAllBytes() > m.offChipBytes(), m.toString());
        assertEquals(2 * 7, m.tokensPerLayer(), "2 sequences x (3 prompt tokens + 4 decoded)");
        for (MoeReport.Layer l : m.layers()) assertEquals(m.tokensPerLayer() * m.topK(), l.tokens(), l.toString());
        assertNull(sliced.workloadSectionsByName().get("moe"), "sliced does not count tokens");
    }

    /** Under uniform (zipf exponent 0) and skewed routing traces, in timing mode: every token reaches k experts. */
    @ParameterizedTest(name = "zipf exponent {0}")
    @ValueSource(strings = {"0", "1.2"})
    void tokensProcessedPerLayerEqualTokensTimesK(String exponent) {
        RunReport r = Scenarios.run("phimoe-tiny-mesh", out, Scenarios.concat(TWO_CHIPS_OF_2X2, "workload.experts=expert-parallel", "workload.batch=4",
                "workload.decodeSteps=12", "run.payload=timing", "workload.routing.kind=zipf", "workload.routing.exponent=" + exponent,
                "workload.routing.driftEvery=8"));
        MoeReport m = moe(r);
        assertEquals(4 * (3 + 12), m.tokensPerLayer());
        assertEquals(2, m.layers().size());
        for (MoeReport.Layer l : m.layers()) {
            assertEquals(m.tokensPerLayer() * m.topK(), l.tokens(), l.toString());
            assertEquals(l.tokens(), l.tokensPerExpert().stream().mapToLong(Long::longValue).sum());
        }
        assertEquals("zipf", m.routing());
    }

    @Test
    void aSkewedTraceLoadsExpertsUnevenlyAndIsTheSameOnAnyPartitioning() {
        String[] timing = Scenarios.concat(TWO_CHIPS_OF_2X2, "workload.experts=expert-parallel", "workload.batch=4", "workload.decodeSteps=16",
                "run.payload=timing", "workload.routing.kind=zipf", "workload.routing.driftEvery=0");
        RunReport uniform = Scenarios.run("phimoe-tiny-mesh", out.resolve("u"), Scenarios.concat(timing, "workload.routing.exponent=0"));
        RunReport skewed = Scenarios.run("phimoe-tiny-mesh", out.resolve("s1"), Scenarios.concat(timing, "workload.routing.exponent=2",
                "run.threads=1", "run.partitions=1"));
        RunReport skewed4 = Scenarios.run("phimoe-tiny-mesh", out.resolve("s4"), Scenarios.concat(timing, "workload.routing.exponent=2",
                "run.threads=2", "run.partitions=4"));
        assertTrue(moe(skewed).imbalanceMax() > moe(uniform).imbalanceMax(), moe(skewed) + " vs " + moe(uniform));
        assertEquals(moe(skewed), moe(skewed4));
        assertEquals(skewed.simulatedTimePs(), skewed4.simulatedTimePs());
        assertEquals(skewed.events(), skewed4.events());
        assertNotEquals(skewed.simulatedTimePs(), uniform.simulatedTimePs(), "the trace decides which groups work");
    }
}
