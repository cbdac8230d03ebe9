package org.meshemu.workloads.gnn;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.kernel.ComponentReport;

/**
 * The report's {@code gnn} section (docs/REPORT.md defines every figure). Times come from the cores'
 * marks, measured in the run; bytes and message counts of a layer are the plan's (its programs are
 * static), and {@code messagesSent} is the cores' own count, measured.
 *
 * @param model                     gcn or ggnn
 * @param placement                 contiguous or hashed
 * @param vertices                  vertices of the graph
 * @param edges                     edges Gather sums over (after merging duplicates; GCN: with one self-loop per vertex)
 * @param chunkVertices             vertices per chunk
 * @param chunks                    vertex chunks
 * @param blocks                    non-empty edge chunks (destination chunk, source chunk)
 * @param activeCores               cores holding at least one chunk
 * @param layers                    per layer figures
 * @param coreUtilisationMean       busy time / simulated time, mean over the cores holding chunks
 * @param coreUtilisationMax        the same, max
 * @param messagesSent              tile messages the cores sent over the run (measured)
 */
public record GnnReport(String model, String placement, String streaming, int vertices, long edges, int chunkVertices, int chunks, long blocks,
                        int activeCores, List<Layer> layers, double coreUtilisationMean, double coreUtilisationMax, long messagesSent) {

    /**
     * @param layer             the layer (propagation step for ggnn)
     * @param endPs             simulated time at which the last core finished the layer
     * @param scatterPs         max over cores of the time from the core's end of the previous layer to the end of its Scatter
     *                          (loads of its chunks, ggnn's ApplyEdge products, the sends)
     * @param gatherPs          max over cores of the time spent in Gather (waiting for and receiving source chunks, loading
     *                          edge chunks, the accumulating products)
     * @param applyVertexPs     max over cores of the time spent in ApplyVertex (the vertex network and the store)
     * @param scatterMessages   tile messages of Scatter: one per edge chunk whose source chunk sits on another core
     *                          (ring streaming: per chip passed, one relay message, plus one per edge chunk not on the relay)
     * @param scatterNocBytes   payload bytes of those messages
     * @param crossChipMessages those of them between cores on different chips (ring streaming: relayed ones included)
     * @param gatherNocBytes    bytes Gather moves over the NoC: 0, edge chunks live with their destination's core
     * @param dramBytes         bytes the layer's loads and stores move to and from the banks (weights included)
     * @param dramBytesPerChunk mean over chunks of the bytes moved for a chunk (its edge chunks, its features as a
     *                          source and as a destination, its result)
     * @param maxChunkDramBytes the largest chunk's bytes
     */
    public record Layer(int layer, long endPs, long scatterPs, long gatherPs, long applyVertexPs, long scatterMessages, long scatterNocBytes,
                        long crossChipMessages, long gatherNocBytes, long dramBytes, double dramBytesPerChunk, long maxChunkDramBytes) {}

    /** The mark labels a core's program sets in layer {@code layer}. */
    static String scatterMark(int layer) { return "L" + layer + " scatter"; }
    static String gatherMark(int layer) { return "L" + layer + " gather"; }
    static String applyMark(int layer) { return "L" + layer + " apply"; }
    static String endMark(int layer) { return "L" + layer + " end"; }

    /** What the plan knows of each layer before the run. */
    record Planned(long scatterMessages, long scatterNocBytes, long crossChipMessages, long dramBytes, long[] chunkDramBytes) {}

    /** The section from the components' reports (cores first, in endpoint order). */
    static GnnReport of(GnnSpec spec, EdgeGraph gathered, int chunkVertices, int chunks, long blocks, boolean[] active, List<Planned> planned,
                        List<ComponentReport> reports, long simulatedPs) {
        List<ComponentReport> cores = reports.stream().filter(r -> r.kind().equals("core")).toList();
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < planned.size(); l++) {
            long end = 0, scatter = 0, gather = 0, apply = 0;
            for (ComponentReport c : cores) {
                end = Math.max(end, c.counter("at:" + endMark(l)));
                scatter = Math.max(scatter, c.counter("span:" + scatterMark(l)));
                gather = Math.max(gather, c.counter("span:" + gatherMark(l)));
                apply = Math.max(apply, c.counter("span:" + applyMark(l)));
            }
            Planned p = planned.get(l);
            long max = 0;
            for (long b : p.chunkDramBytes()) max = Math.max(max, b);
            long sum = java.util.Arrays.stream(p.chunkDramBytes()).sum();
            layers.add(new Layer(l, end, scatter, gather, apply, p.scatterMessages(), p.scatterNocBytes(), p.crossChipMessages(), 0, p.dramBytes(),
                    (double) sum / chunks, max));
        }
        double sum = 0, max = 0;
        int n = 0;
        long messages = 0;
        for (int i = 0; i < cores.size(); i++) {
            messages += cores.get(i).counter("messagesSent");
            if (!active[i]) continue;
            double u = simulatedPs == 0 ? 0 : (double) cores.get(i).busyPs() / simulatedPs;
            sum += u;
            max = Math.max(max, u);
            n++;
        }
        return new GnnReport(spec.model().kind(), spec.placement(), spec.streaming(), gathered.vertices(), gathered.edges(), chunkVertices, chunks, blocks, n,
                List.copyOf(layers), n == 0 ? 0 : sum / n, max, messages);
    }
}
