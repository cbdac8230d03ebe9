package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshemu.report.RunReport;
import org.meshemu.workloads.gnn.GnnReport;

/**
 * The GNN workload (workloads.gnn): its output equals the plain-Java SAGA-NN bit for bit on any threads
 * and partitions, for both models, both placements and any chunk size; self-loops, duplicate edges and
 * vertices without edges are handled as the reference does; and in timing mode the Scatter messages of a
 * ring graph under contiguous placement are the closed form.
 */
class GnnTest {
    @TempDir Path out;

    private static GnnReport gnn(RunReport r) {
        return (GnnReport) r.workloadSectionsByName().get("gnn");
    }

    @ParameterizedTest
    @ValueSource(strings = {"workload.model.kind=ggnn", "workload.placement=hashed", "workload.chunkVertices=16"})
    void equalsTheReferenceOnAnyThreadsAndPartitions(String variant) {
        RunReport base = Scenarios.run("gnn-gcn-tiny", out.resolve("base"), variant, "run.threads=1", "run.partitions=1");
        assertEquals(0.0, base.reference().maxAbsError(), variant + ": the same sums in the same order as the reference");
        String[][] runs = {{"run.threads=2", "run.partitions=1"}, {"run.threads=2", "run.partitions=2"}, {"run.threads=1", "run.partitions=4"}};
        for (String[] v : runs) {
            RunReport r = Scenarios.run("gnn-gcn-tiny", out.resolve(String.join("-", v)), variant, v[0], v[1]);
            String what = variant + " with " + String.join(", ", v);
            assertEquals(base.simulatedTimePs(), r.simulatedTimePs(), what);
            assertEquals(base.events(), r.events(), what);
            assertEquals(base.outputDigest(), r.outputDigest(), what);
            assertEquals(gnn(base), gnn(r), what);
        }
    }

    @Test
    void chunkSizeAndPlacementChangeTrafficButNotTheResult() {
        RunReport base = Scenarios.run("gnn-gcn-tiny", out.resolve("base"));
        RunReport small = Scenarios.run("gnn-gcn-tiny", out.resolve("small"), "workload.chunkVertices=8");
        RunReport hashed = Scenarios.run("gnn-gcn-tiny", out.resolve("hashed"), "workload.placement=hashed");
        assertEquals(base.outputDigest(), small.outputDigest());
        assertEquals(base.outputDigest(), hashed.outputDigest());
        assertTrue(gnn(small).messagesSent() > gnn(base).messagesSent(), "smaller chunks make more edge chunks, so more messages");
        long planned = gnn(base).layers().stream().mapToLong(GnnReport.Layer::scatterMessages).sum();
        assertEquals(planned, gnn(base).messagesSent(), "every message the cores sent is a Scatter message");
        assertTrue(base.reference().maxRelError() <= 1e-5);
    }

    @Test
    void chunksSpreadOverTheCoresOfSeveralChips() {
        RunReport one = Scenarios.run("gnn-gcn-tiny", out.resolve("one"));
        RunReport four = Scenarios.run("gnn-gcn-tiny", out.resolve("four"), "hardware.noc.width=2", "hardware.noc.height=2",
                "hardware.chips.count=4", "hardware.chips.width=2", "hardware.chips.link.bandwidthGBps=100",
                "hardware.chips.link.latencyNs=500", "run.partitions=4");
        assertEquals(one.outputDigest(), four.outputDigest(), "the same sums wherever the chunks sit");
        assertEquals(gnn(one).messagesSent(), gnn(four).messagesSent(), "16 cores either way: the same chunks on the same core indices");
    }

    private static final String[] THREE_CHIPS = {"hardware.noc.width=2", "hardware.noc.height=2", "hardware.chips.count=3",
        "hardware.chips.link.bytesPerCycle=8", "hardware.chips.link.latencyCycles=20", "workload.chunkVertices=16"};

    /**
     * NGra's ring streaming across chips: the same sums as direct sends (the same digest, the reference
     * exactly) on any threads and partitions, while each source chunk crosses each chip boundary at most once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"gcn", "ggnn"})
    void ringStreamingAcrossChipsKeepsTheResultAndCrossesEachChipOnce(String model) {
        String kind = "workload.model.kind=" + model;
        RunReport direct = Scenarios.run("gnn-gcn-tiny", out.resolve("direct"), Scenarios.concat(THREE_CHIPS, kind, "workload.streaming=direct"));
        RunReport ring = Scenarios.run("gnn-gcn-tiny", out.resolve("ring"), Scenarios.concat(THREE_CHIPS, kind, "workload.streaming=ring",
                "run.threads=1", "run.partitions=1"));
        assertEquals(direct.outputDigest(), ring.outputDigest(), "the same sums in the same order");
        assertEquals(0.0, ring.reference().maxAbsError());
        GnnReport g = gnn(ring);
        assertEquals("ring", g.streaming());
        for (GnnReport.Layer l : g.layers()) {
            assertTrue(l.crossChipMessages() <= 2L * g.chunks(), "at most one message per chip boundary per source chunk: " + l);
            GnnReport.Layer d = gnn(direct).layers().get(l.layer());
            assertTrue(l.crossChipMessages() < d.crossChipMessages(), "fewer messages over chip links than direct sends: " + l + " vs " + d);
        }
        assertEquals(g.layers().stream().mapToLong(GnnReport.Layer::scatterMessages).sum(), g.messagesSent(), "the plan's count is what the cores sent");
        for (String[] v : new String[][] {{"run.threads=2", "run.partitions=2"}, {"run.threads=2", "run.partitions=4"}}) {
            RunReport r = Scenarios.run("gnn-gcn-tiny", out.resolve("ring-" + v[1]), Scenarios.concat(THREE_CHIPS, kind, "workload.streaming=ring", v[0], v[1]));
            assertEquals(ring.simulatedTimePs(), r.simulatedTimePs(), String.join(", ", v));
            assertEquals(ring.outputDigest(), r.outputDigest(), String.join(", ", v));
            assertEquals(g, gnn(r), String.join(", ", v));
        }
    }

    /** A graph with a self-loop (2 -> 2), a duplicate edge (0 -> 1 twice) and vertices without edges (4 and 6). */
    @ParameterizedTest
    @ValueSource(strings = {"gcn", "ggnn"})
    void selfLoopsDuplicatesAndLoneVerticesAsTheReference(String model) throws IOException {
        Path edges = Files.writeString(out.resolve("odd.edges"), """
                # src dst
                0 1
                0 1   # again
                1 2
                2 2
                3 0
                5 3
                7 5
                """);
        RunReport r = Scenarios.run(Scenarios.inline(tiny(edges, 4), "workload.model.kind=" + model), out.resolve("run"));
        assertNotNull(r.outputDigest());
        assertEquals(0.0, r.reference().maxAbsError(), model);
        assertEquals(8, gnn(r).vertices());
        assertEquals(model.equals("gcn") ? 6 + 7 : 6, gnn(r).edges(), "duplicates merged; gcn: one self-loop per vertex, 2 -> 2 kept once");
    }

    /**
     * Ring v -> v + 1 mod N, N = K C, on K = P cores in a row: chunk k holds [kC, (k+1)C) on core k. Each
     * destination chunk has its own edges plus one edge from the previous chunk's last vertex, so each layer
     * sends exactly K messages (one per chunk boundary) of C x width fp32; with K = 2P (two chunks a core) only
     * the P core boundaries need one.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void ringMessagesAreTheClosedFormInTimingMode(int chunksPerCore) throws IOException {
        int cores = 8, chunk = 4, k = cores * chunksPerCore, n = k * chunk, layers = 3, features = 8, hidden = 16;
        StringBuilder ring = new StringBuilder();
        for (int v = 0; v < n; v++) ring.append(v).append(' ').append((v + 1) % n).append('\n');
        Path edges = Files.writeString(out.resolve("ring.edges"), ring);
        RunReport r = Scenarios.run(Scenarios.inline(tiny(edges, chunk), "run.payload=timing", "workload.model.layers=" + layers,
                "workload.model.features=" + features), out.resolve("run"));
        assertNull(r.outputDigest(), "timing mode");
        GnnReport g = gnn(r);
        assertEquals(k, g.chunks());
        assertEquals((long) layers * cores, g.messagesSent(), "measured: one message per core boundary per layer");
        for (GnnReport.Layer l : g.layers()) {
            int width = l.layer() == 0 ? features : hidden;
            assertEquals(cores, l.scatterMessages());
            assertEquals((long) cores * chunk * width * 4, l.scatterNocBytes());
        }
    }

    @Test
    void npyInputsReplaceTheSeededValues() throws IOException {
        Path dir = Files.createDirectories(out.resolve("inputs"));
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (var t : java.util.Map.of("features", new int[] {256, 16}, "w0", new int[] {16, 16}, "w1", new int[] {16, 16}).entrySet()) {
            float[] v = new float[t.getValue()[0] * t.getValue()[1]];
            for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian() * 0.25f;
            try (var o = Files.newOutputStream(dir.resolve(t.getKey() + ".npy"))) {
                org.meshemu.tensor.Tensor.ofFloats(t.getKey(), t.getValue(), v).writeNpy(o);
            }
        }
        RunReport seeded = Scenarios.run("gnn-gcn-tiny", out.resolve("seeded"));
        RunReport given = Scenarios.run("gnn-gcn-tiny", out.resolve("given"), "workload.inputs=" + dir.toAbsolutePath());
        assertEquals(0.0, given.reference().maxAbsError(), "the reference reads the same files");
        assertTrue(!seeded.outputDigest().equals(given.outputDigest()), "the files' values, not the seeded ones");
        Files.delete(dir.resolve("w1.npy"));
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.meshemu.scenario.InputException.class,
                () -> Scenarios.run("gnn-gcn-tiny", out.resolve("missing"), "workload.inputs=" + dir.toAbsolutePath()));
        assertTrue(e.getMessage().contains("workload.inputs: " + dir.toAbsolutePath().resolve("w1.npy") + ": missing"), e.getMessage());
    }

    private static String tiny(Path edges, int chunk) {
        return """
                name: gnn-test
                seed: 3
                hardware:
                  noc: {width: 8, height: 1}
                workload:
                  kind: gnn
                  model: {kind: gcn, layers: 2, hidden: 16, features: 16}
                  graph: {file: '%s'}
                  chunkVertices: %d
                run:
                  payload: full
                """.formatted(edges.toAbsolutePath(), chunk);
    }
}
