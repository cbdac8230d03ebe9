package org.meshemu.workloads.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.VectorOp;
import org.meshemu.workloads.generate.lower.Lowering;

/**
 * Compute-shift (WaferLLM's MeshGEMM, in one dimension, weights stationary): the p = min(cores, m, k)
 * cores form a logical ring laid over the mesh by {@link Lowering#ring} (ring neighbours at most two hops
 * apart). Core c holds row block c of W (so the gather by core index joins the rows in order), cut by
 * columns into p blocks, resident in the core's bank stacked by width into at most two tiles (one bank
 * access each; a bank access per block would add p - 1 DRAM latencies per projection). x is cut into p row blocks x_j
 * [k_j, T], core j gets x_j down the collective tree ({@link Lowering#scatter}). Then p steps: at step s,
 * ring position r holds x_j, j = ring[(r + s) mod p], sends it to its ring predecessor first (the transfer
 * overlaps the compute), adds W_(c, j) x_j to its y_c (a slice of its loaded row block), and receives its
 * successor's x block. The y_c are gathered to the lead like row-split's slices.
 *
 * <p>Each output's sum runs over the column blocks in an order fixed by ring position (not the
 * reference's single dot product), so floating-point results equal the reference within rounding, as
 * tree-reduce's do; BitNet's int32 sums are exact.
 *
 * <p>When it pays. Moving x, k x T elements, to p cores: row-split's binomial broadcast takes
 * ceil(log2 p) rounds, each sending all of x, and the lead alone sends ceil(log2 p) k T elements;
 * compute-shift's tree scatter sends (p - 1) k T / p elements from the lead in log2 p messages, then p - 1 ring
 * steps each move k T / p elements per core over at most two hops, overlapped with the compute of a
 * block: bandwidth-optimal, every core's link busy with 1/p of x per step. The price is p - 1 message
 * latencies (send, routers, receive) instead of log2 p, p weight loads and gemms per core instead of
 * one (p instruction overheads and slices), for ternary weights p - 1 extra adds, and a second
 * projection of the same x (q, k, v) reuses the scattered blocks but shifts them round the ring again,
 * where row-split's broadcast x stays resident and costs nothing more. So it can win for large k T (a
 * long prompt block on a wide model over many cores), where row-split's rounds are bandwidth-bound; a
 * decode step (T = 1, and every Phi-MoE expert projection, which runs token by token) is latency-bound
 * and row-split's log2 p rounds win. Measured on the tiny scenarios (docs/ARCHITECTURE.md), row-split
 * wins every one, 16-token prompts included; so {@code auto} does not choose it.
 */
public final class ComputeShift implements MatVecMapping {
    @Override public String name() { return "compute-shift"; }

    @Override
    public void lower(Lowering l, Graph.MatVec node) {
        Graph.Weight w = node.w();
        Graph.Val x = node.x();
        int p = Math.min(l.cores(), Math.min(w.rows(), w.cols()));
        int[] rowStart = Lowering.split(w.rows(), p);
        int[] colStart = Lowering.split(w.cols(), p);
        int[] ring = l.collectives().ring(p);
        if (node.select() != null) l.collectives().broadcast(node.select(), p);

        // every core but the lead loads its weight blocks while the lead scatters x; the lead loads after
        RowBlock[] rowBlocks = new RowBlock[p];   // by core
        for (int c = 1; c < p; c++) rowBlocks[c] = RowBlock.load(l, node, name(), c, rowStart, colStart);
        // core c starts with x's row block c (the tree scatter); ring position r then holds block ring[(r + s) mod p] at step s
        int[] mine = l.collectives().scatter(x, colStart, p);
        int[] held = new int[p];             // by ring position: the register of the x block it holds now
        for (int r = 0; r < p; r++) held[r] = mine[ring[r]];
        rowBlocks[Lowering.LEAD] = RowBlock.load(l, node, name(), Lowering.LEAD, rowStart, colStart);
        int[] y = new int[p];                // by core: the accumulator of its row block
        for (int c = 0; c < p; c++) y[c] = c == Lowering.LEAD ? node.out().id() : l.code().temp();

        for (int s = 0; s < p; s++) {
            boolean last = s == p - 1;
            int[] tag = new int[p];
            for (int r = 0; r < p && !last; r++) {
                tag[r] = l.code().tag();
                l.code().emit(ring[r], new Instruction.Send(held[r], ring[Math.floorMod(r - 1, p)], tag[r]));
            }
            for (int r = 0; r < p; r++) {
                int core = ring[r], wj = rowBlocks[core].block(l, ring[(r + s) % p]);
                if (s == 0) l.products().product(core, w, wj, held[r], y[core]);
                else l.products().accumulateProduct(core, w, wj, held[r], y[core]);
            }
            for (int r = 0; r < p && !last; r++) {
                int next = ring[(r + s + 1) % p], from = (r + 1) % p;
                held[r] = l.code().temp();
                l.code().emit(ring[r], new Instruction.Recv(held[r], ring[from], tag[from], colStart[next + 1] - colStart[next], x.shape().cols(),
                        x.shape().dtype()));
            }
        }
        l.collectives().gather(y, rowStart, p, node.out(), node.out().shape().dtype());
    }

    /**
     * A core's row block of W as loaded: its column blocks grouped by width (an even split has at most two widths),
     * each group one stacked tile, so the core makes at most two bank accesses per projection instead of p.
     *
     * @param tile  by column block: the register of its group's tile
     * @param index by column block: its place in that tile
     */
    private record RowBlock(int core, int rows, int[] tile, int[] index, int[] groupSize) {
        static RowBlock load(Lowering l, Graph.MatVec node, String how, int core, int[] rowStart, int[] colStart) {
            int p = colStart.length - 1, rows = rowStart[core + 1] - rowStart[core];
            Map<Integer, List<Integer>> byWidth = new TreeMap<>();
            for (int j = 0; j < p; j++) byWidth.computeIfAbsent(colStart[j + 1] - colStart[j], k -> new ArrayList<>()).add(j);
            int[] tile = new int[p], index = new int[p], groupSize = new int[p];
            byWidth.forEach((width, blocks) -> {
                int reg = l.products().loadWeightBlocks(core, node, how, rowStart[core], rows, blocks.stream().mapToInt(j -> colStart[j]).toArray(), width);
                for (int i = 0; i < blocks.size(); i++) {
                    tile[blocks.get(i)] = reg;
                    index[blocks.get(i)] = i;
                    groupSize[blocks.get(i)] = blocks.size();
                }
            });
            return new RowBlock(core, rows, tile, index, groupSize);
        }

        /** The register of column block j, sliced out of its group's tile on the core. */
        int block(Lowering l, int j) {
            if (groupSize[j] == 1) return tile[j];
            int reg = l.code().temp();
            l.code().emit(core, new Instruction.Vector(new VectorOp.Slice(index[j] * rows, rows), reg, tile[j]));
            return reg;
        }
    }
}
