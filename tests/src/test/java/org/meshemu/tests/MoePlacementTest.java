package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.InputException;
import org.meshemu.workloads.Workloads;
import org.meshemu.workloads.generate.MoeReport;

/**
 * Expert placement policies of {@code expert-parallel} (issue 12): static {@code linear} and {@code round-robin},
 * dynamic {@code flexmoe}, on 2 chips of 2 x 2 cores. No policy drops a token; flexmoe's replicas compute the same
 * bits as static placement; its weight copies are traffic that costs time; under a skewed trace it evens the
 * groups' load; the same on any threads and partitions; bad policy settings name their field.
 */
class MoePlacementTest {
    @TempDir Path out;

    private static final String[] TWO_CHIPS_OF_2X2 = {"hardware.chips.count=2", "hardware.chips.topology=mesh2d",
        "hardware.noc.width=2", "hardware.noc.height=2", "hardware.chips.link.bandwidthGBps=100", "hardware.chips.link.latencyNs=500", "hardware.core.sramKiB=1024",
        "workload.experts=expert-parallel", "workload.mapping=row-split"};

    /** flexmoe on 4 groups of 2 cores, one spare slot each, rebalancing every 2 decode steps. */
    private static final String[] FLEXMOE = {"workload.placementPolicy.kind=flexmoe", "workload.placementPolicy.slots=2", "workload.placementPolicy.every=2"};

    private static String[] timing(String exponent, String... more) {
        return Scenarios.concat(Scenarios.concat(TWO_CHIPS_OF_2X2, "run.payload=timing", "workload.batch=8", "workload.decodeSteps=12",
                "workload.routing.kind=zipf", "workload.routing.driftEvery=0", "workload.routing.exponent=" + exponent), more);
    }

    private static String[] policy(String kind) {
        return switch (kind) {
            case "flexmoe" -> FLEXMOE;
            case "linear", "round-robin" -> new String[] {"workload.placementPolicy.kind=" + kind, "workload.placementPolicy.groups=2"};
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static MoeReport moe(RunReport r) {
        return (MoeReport) r.workloadSectionsByName().get("moe");
    }

    @ParameterizedTest(name = "{0}, zipf exponent {1}")
    @CsvSource({"linear, 0", "linear, 1.2", "round-robin, 0", "round-robin, 1.2", "flexmoe, 0", "flexmoe, 1.2"})
    void tokensProcessedPerLayerEqualTokensTimesK(String kind, String exponent) {
        MoeReport m = moe(Scenarios.run("phimoe-tiny-mesh", out, timing(exponent, policy(kind))));
        assertEquals(8 * (3 + 12), m.tokensPerLayer());
        for (MoeReport.Layer l : m.layers()) assertEquals(m.tokensPerLayer() * m.topK(), l.tokens(), l.toString());
        for (MoeReport.Step s : m.placementPolicy().steps()) assertEquals(8 * 2 * m.layers().size(), s.tokens(), s.toString());
        assertEquals(kind, m.placementPolicy().kind());
    }

    /** Expert weight bytes of phimoe-tiny-mesh: three fp32 matrices of intermediate 96 x hidden 64. */
    private static final long EXPERT_BYTES = 3L * 96 * 64 * 4;

    @Test
    void flexmoeReplicasComputeTheSameBitsAsStaticPlacement() {
        String[] full = Scenarios.concat(TWO_CHIPS_OF_2X2, "workload.batch=4", "workload.decodeSteps=6", "workload.routing.kind=zipf",
                "workload.routing.exponent=1.6", "workload.routing.driftEvery=0");
        RunReport linear = Scenarios.run("phimoe-tiny-mesh", out.resolve("linear"), full);
        RunReport flexmoe = Scenarios.run("phimoe-tiny-mesh", out.resolve("flexmoe"), Scenarios.concat(full, FLEXMOE));
        assertTrue(moe(flexmoe).placementPolicy().copies() > 0, "the forecast made replicas: " + moe(flexmoe).placementPolicy());
        assertEquals("gate", moe(flexmoe).routing(), "full payload routes by the gate");
        assertEquals(0.0, flexmoe.reference().maxAbsError());
        assertEquals(Boolean.TRUE, flexmoe.reference().tokensMatch());
        assertEquals(linear.outputDigest(), flexmoe.outputDigest(), "a replica computes the home's bits");
        assertNotEquals(linear.simulatedTimePs(), flexmoe.simulatedTimePs(), "the replicas ran");
    }

    @Test
    void flexmoeCopiesWeightsOverTheLinksAndTheCopiesCostTime() {
        RunReport linear = Scenarios.run("phimoe-tiny-mesh", out.resolve("linear"), timing("1.6"));
        RunReport flexmoe = Scenarios.run("phimoe-tiny-mesh", out.resolve("flexmoe"), timing("1.6", FLEXMOE));
        MoeReport.Policy p = moe(flexmoe).placementPolicy(), s = moe(linear).placementPolicy();
        assertTrue(p.copies() > 0, p.toString());
        assertEquals(p.copies() * EXPERT_BYTES, p.bytesMoved());
        assertEquals(0, s.copies());
        assertEquals(0, s.bytesMoved());
        assertEquals(p.bytesMoved(), flexmoe.traffic().dramBytesWritten() - linear.traffic().dramBytesWritten(), "every copied byte is stored in a bank");
        assertTrue(p.copyPs() > 0, p.toString());
        for (int d = 0; d < 2; d++) assertEquals(s.steps().get(d), p.steps().get(d), "before the first rebalance flexmoe is linear");
        assertTrue(p.steps().get(2).ps() > s.steps().get(2).ps(), "the first rebalance's copies delay its step: " + p.steps().get(2) + " vs " + s.steps().get(2));
    }

    @Test
    void underHighSkewFlexmoeEvensTheGroupsAndShortensTheStepsBetweenRebalances() {
        MoeReport.Policy s = moe(Scenarios.run("phimoe-tiny-mesh", out.resolve("linear"), timing("1.6"))).placementPolicy();
        MoeReport.Policy p = moe(Scenarios.run("phimoe-tiny-mesh", out.resolve("flexmoe"), timing("1.6", FLEXMOE))).placementPolicy();
        assertTrue(p.groupImbalanceMean() < s.groupImbalanceMean(), p.groupImbalanceMean() + " vs " + s.groupImbalanceMean());
        long flex = 0, linear = 0;
        for (int d = 3; d < s.steps().size(); d += 2) {                       // the steps after a rebalance, which copy nothing
            flex += p.steps().get(d).ps();
            linear += s.steps().get(d).ps();
        }
        assertTrue(flex < linear, flex + " vs " + linear);
    }

    @Test
    void flexmoeIsTheSameOnAnyThreadsAndPartitions() {
        RunReport first = null;
        for (String[] tp : new String[][] {{"1", "1"}, {"2", "1"}, {"2", "2"}, {"2", "4"}}) {
            RunReport r = Scenarios.run("phimoe-tiny-mesh", out.resolve("t" + tp[0] + "p" + tp[1]),
                    timing("1.2", Scenarios.concat(FLEXMOE, "run.threads=" + tp[0], "run.partitions=" + tp[1])));
            if (first == null) {
                first = r;
                assertTrue(moe(r).placementPolicy().copies() > 0);
                continue;
            }
            String what = "threads " + tp[0] + " partitions " + tp[1];
            assertEquals(first.simulatedTimePs(), r.simulatedTimePs(), what);
            assertEquals(first.events(), r.events(), what);
            assertEquals(first.outputDigest(), r.outputDigest(), what);
            assertEquals(moe(first), moe(r), what);
        }
    }

    @Test
    void roundRobinAndLinearPlaceDifferently() {
        MoeReport linear = moe(Scenarios.run("phimoe-tiny-mesh", out.resolve("l"), timing("1.2", policy("linear"))));
        MoeReport roundRobin = moe(Scenarios.run("phimoe-tiny-mesh", out.resolve("r"), timing("1.2", policy("round-robin"))));
        assertEquals(linear.layers(), roundRobin.layers(), "the same tokens per expert");
        assertNotEquals(linear.placementPolicy().steps(), roundRobin.placementPolicy().steps(), "on other groups");
        assertEquals(2, linear.placementPolicy().groups());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "workload.placementPolicy.kind=greedy|workload.placementPolicy.kind",
        "workload.placementPolicy.every=0|workload.placementPolicy.every",
        "workload.placementPolicy.groups=3|workload.placementPolicy.groups",
        "workload.placementPolicy.kind=flexmoe|workload.placementPolicy.slots",
        "hardware.dram.preset=stacked-3d-bank, workload.placementPolicy.kind=flexmoe, workload.placementPolicy.slots=99999|workload.placementPolicy.slots"})
    void aBadPolicySettingNamesItsField(String setting, String field) {
        InputException e = assertThrows(InputException.class,
                () -> Workloads.plan(Scenarios.shipped("phimoe-tiny-mesh", Scenarios.concat(TWO_CHIPS_OF_2X2, setting.split(", ")))));
        assertTrue(e.getMessage().contains(field), e.getMessage());
        assertTrue(e.getMessage().contains("phimoe-tiny-mesh.yaml"), e.getMessage());
    }

    @Test
    void aPolicyNeedsAPlacementThatFollowsOne() {
        InputException e = assertThrows(InputException.class, () -> Workloads.plan(Scenarios.shipped("phimoe-tiny-mesh",
                "workload.experts=grouped", "workload.placementPolicy.kind=round-robin")));
        assertTrue(e.getMessage().contains("workload.placementPolicy"), e.getMessage());
    }
}
