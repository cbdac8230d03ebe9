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
        assertEquals("5e3e92c2c04cd7496c6b85f01a3ae17e1065c99101fda6365d6e5342bb1ce7fc", r.outputDigest());
        assertNull(r.noc(), "no traffic generators, no noc section");
    }

    @Test
    void cannon8x8MatchesItsSnapshot() {
        RunReport r = run("gemm-cannon-8x8");
        assertEquals(9_857_000, r.simulatedTimePs(), "snapshot (CannonClosedForm gives the same)");
        assertEquals("b542b95c7e4a2555915ac299603b96778d7972a25f24b33e8774917ebd0914ee", r.outputDigest());
    }

    @Test
    void gemvTree16x16MatchesItsSnapshot() {
        RunReport r = run("gemv-tree-16x16");
        assertEquals(4_680_000, r.simulatedTimePs(), "snapshot (TreeGemvClosedForm gives the same)");
        assertEquals("bbd12471882d3f6343b1ff38b5553818eb1df661f8c6f507800ffeedc87131bd", r.outputDigest());
    }

    @Test
    void gnnGcnTinyMatchesItsSnapshot() {
        RunReport r = run("gnn-gcn-tiny");
        assertEquals(0.0, r.reference().maxAbsError(), "the reference's sums in the reference's order");
        assertEquals(8_203_000, r.simulatedTimePs());
        assertEquals("936566308974a690ab81ea874cbb2f462d1154d543d7044a5f25948639e256e1", r.outputDigest());
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
