package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.report.RunReport;

/**
 * Change detectors, not checks of correctness: the shipped scenarios keep their simulated time and
 * output bits as recorded (snapshots from before the NoC models grew), so any change to a model's
 * timing or numbers shows here and must be explained. The times are checked independently of these
 * snapshots by the closed forms ({@code CannonClosedFormTest} for the two GEMMs,
 * {@code TreeGemvClosedFormTest} for the GEMV, {@code DecodeStepClosedFormTest} for the tiny models'
 * operators) and the outputs by the references. Also: the NoC options change timing only, never numbers.
 */
class ShippedScenariosSnapshotTest {
    @TempDir Path out;

    private RunReport run(String name, String... overrides) {
        return Scenarios.run(Scenarios.shipped(name, overrides), out.resolve(name + overrides.length));
    }

    @Test
    void defaultGemmMatchesItsSnapshot() {
        RunReport r = run("default");
        assertEquals(2_945_000, r.simulatedTimePs(), "snapshot (CannonClosedForm gives the same)");
        assertEquals("8a8ea74ee853a2808c5913e93e773dde9fafb08ff430d8188767bdbcf874e08b", r.outputDigest());
        assertNull(r.noc(), "no traffic generators, no noc section");
    }

    @Test
    void cannon8x8MatchesItsSnapshot() {
        RunReport r = run("gemm-cannon-8x8");
        assertEquals(9_857_000, r.simulatedTimePs(), "snapshot (CannonClosedForm gives the same)");
        assertEquals("f85c0d565a206ff3508f57dcc140b03aa15be1562e2ea2acd30414cd017f8ed2", r.outputDigest());
    }

    @Test
    void gemvTree16x16MatchesItsSnapshot() {
        RunReport r = run("gemv-tree-16x16");
        assertEquals(4_680_000, r.simulatedTimePs(), "snapshot (TreeGemvClosedForm gives the same)");
        assertEquals("59b7e252c91c638e408804f942383c2ad5b4c62866232d21f62214dcd7d0f726", r.outputDigest());
    }

    @Test
    void gnnGcnTinyMatchesItsSnapshot() {
        RunReport r = run("gnn-gcn-tiny");
        assertEquals(0.0, r.reference().maxAbsError(), "the reference's sums in the reference's order");
        assertEquals(8_163_000, r.simulatedTimePs(), "snapshot (the R-MAT graph of the seed since the seeding fix)");
        assertEquals("f2fa652bad2f4fc3fc47a7a43d747cc73f3df6c76a0eddc9a0f59dc5b6d46ca3", r.outputDigest());
    }

    @Test
    void retnetTinyClusterGeneratesTheReferenceTokensOnFourChipsAndMatchesItsSnapshot() {
        RunReport r = run("retnet-tiny-cluster");
        assertEquals(Boolean.TRUE, r.reference().tokensMatch());
        assertEquals(0.0, r.reference().maxAbsError(), "auto maps every projection row-split here: the reference's dot products");
        assertEquals(221_081_080, r.simulatedTimePs(), "snapshot");
        assertEquals("1bc962c528a4b782bcdb84d9372d054ec8dcfd124b8fb2abe6b0824db973b1ec", r.outputDigest(), "retnet-tiny-mesh's bits");
        assertEquals(r.outputDigest(), run("retnet-tiny-mesh").outputDigest());
    }

    @Test
    void packetisationPipelinesTheShiftsButKeepsTheNumbers() {
        RunReport whole = run("default");
        // 32 x 32 fp32 tiles are 4096 bytes; in 512-byte packets the two-hop shifts pipeline.
        RunReport split = run("default", "hardware.noc.maxPacketBytes=512");
        assertEquals(whole.outputDigest(), split.outputDigest());
        assertTrue(split.simulatedTimePs() < whole.simulatedTimePs(), split.simulatedTimePs() + " vs " + whole.simulatedTimePs());
        assertEquals(whole.traffic().nocLinkBytes(), split.traffic().nocLinkBytes(), "packetisation adds no bytes (no headers modelled)");
        // The packet limit at the tile size, and one byte above it, is the unsplit run.
        assertEquals(whole.simulatedTimePs(), run("default", "hardware.noc.maxPacketBytes=4096").simulatedTimePs());
        assertNotEquals(whole.simulatedTimePs(), run("default", "hardware.noc.maxPacketBytes=4095").simulatedTimePs());
    }

    @Test
    void cannonGivesTheSameNumbersOnEveryTopology() {
        RunReport mesh = run("default");
        for (String topology : new String[] {"torus2d", "all-to-all"}) {
            RunReport other = run("default", "hardware.noc.topology=" + topology);
            assertEquals(mesh.outputDigest(), other.outputDigest(), topology);
        }
        assertEquals(mesh.outputDigest(), run("default", "hardware.noc.routing=yx").outputDigest());
    }
}
