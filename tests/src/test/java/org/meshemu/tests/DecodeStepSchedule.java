package org.meshemu.tests;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.meshemu.aicore.CoreSpec;
import org.meshemu.dram.DramSpec;
import org.meshemu.noc.NocSpec;
import org.meshemu.scenario.Scenario;
import org.meshemu.tensor.DType;

/**
 * The lead core's time for the operators of a decode step ({@code generate/Lowering}) from the timing
 * model alone (docs/TIMING.md, "A decode step's operators"). It keeps each core's time
 * (its cursor, in cycles from the start of a chain of operators, when every core is idle) and follows
 * each core's program; an operator's span is the lead's advance. The collectives follow the binomial
 * tree by core index over p cores (level s: core i, i mod 2s = 0, is the parent of i + s, whose subtree
 * is [i + s, min(i + 2s, p))):
 * <pre>
 *   broadcast, root first (levels from the widest down), skipped to a core that already holds the value:
 *     t_parent += o (its send); t_child = max(t_child, t_parent + X(h, bytes)) + o (its recv)
 *   gather of blocks of rows [start_c, start_c+1), leaves first: t_child += o (it sends its subtree's rows);
 *     t_parent = max(t_parent, t_child + X(h, 4 rows)) + o, then it concatenates its rows before them:
 *     t_parent += o + max(ceil(n / lanes), ceil(8 n / sramBytesPerCycle)), n the rows it then holds
 *   reduction of equal values the same way, with the combining instruction in place of the concatenation
 * </pre>
 * Sequence mixing ({@link #mixing}) sends each unit its rows of q, k and v from the lead and its output
 * back. X(h, B) is the NoC's zero-load time over h hops (the cores' Manhattan distance, dimension-order
 * routing) and a bank access the fixed DRAM model's load or store. Exact when no two messages share a
 * link at once, as on a 2 x 2 mesh (every edge of the tree is one hop on a link of its own, and the
 * mixing's messages over a shared link are further apart than their serialisation); otherwise a lower
 * bound.
 */
final class DecodeStepSchedule {
    private final Scenario.Hardware hw;
    private final long o;
    private final long[] t;
    private final Set<String> resident = new HashSet<>(); // "core:value"

    private record Hop(int parent, int child, int end) {}

    /** A chain starting with every core idle. */
    DecodeStepSchedule(Scenario.Hardware hw) {
        this.hw = hw;
        this.o = hw.get(CoreSpec.class).instructionOverheadCycles();
        this.t = new long[hw.get(NocSpec.class).nodes()];
    }

    /** The tree's hops leaves first (the order of a gather); reversed, the order of a broadcast. */
    private static List<Hop> tree(int p) {
        List<Hop> up = new ArrayList<>();
        for (int s = 1; s < p; s <<= 1) {
            for (int i = 0; i + s < p; i += 2 * s) up.add(new Hop(i, i + s, Math.min(i + 2 * s, p)));
        }
        return up;
    }

    /** p + 1 boundaries of n rows over p cores, the first n mod p one row more. */
    private static int[] split(int n, int p) {
        int[] start = new int[p + 1];
        for (int c = 0; c < p; c++) start[c + 1] = start[c] + n / p + (c < n % p ? 1 : 0);
        return start;
    }

    /** The lead's cycles for y = W x, W [rows x cols] of {@code weight} dtype split by rows, x (named, of {@code xType}). */
    long projection(String x, int rows, int cols, DType weight, DType xType) {
        return projection(x, rows, cols, weight, xType, null);
    }

    /**
     * The same for one matrix of a stacked weight (an expert), picked on each core by an indexed load at the 1 x 1 fp32
     * index {@code select} (named), broadcast after x where not yet present; an indexed load costs what a load does.
     */
    long projection(String x, int rows, int cols, DType weight, DType xType, String select) {
        long before = t[0];
        int p = Math.min(t.length, rows);
        int[] start = split(rows, p);
        broadcast(x, xType.bytes(cols), p);
        if (select != null) broadcast(select, 4, p);
        for (int c = 0; c < p; c++) t[c] += blockTimes(start[c + 1] - start[c], cols, weight, xType);
        gather(start, p);
        return t[0] - before;
    }

    /**
     * The lead's cycles for the greedy head: W [vocab x cols] fp32 split by rows as a projection, x broadcast; each core then
     * stores its logits (a reshape, o, and a bank write) and finds its [max, index] pair; the pairs are merged up the tree, and
     * the lead takes the index.
     */
    long greedy(String x, int vocab, int cols) {
        long before = t[0];
        int p = Math.min(t.length, vocab);
        int[] start = split(vocab, p);
        broadcast(x, DType.FP32.bytes(cols), p);
        for (int c = 0; c < p; c++) {
            long r = start[c + 1] - start[c];
            t[c] += blockTimes(r, cols, DType.FP32, DType.FP32) + o + TreeGemvClosedForm.access(hw, 4 * r) + vectorCycles(hw, r, 1, 4 * r, 8);
        }
        for (Hop h : tree(p)) {
            t[h.child()] += o;
            t[h.parent()] = Math.max(t[h.parent()], t[h.child()] + transfer(8, h)) + o + vectorCycles(hw, 4, 1, 16, 8);
        }
        t[0] += vectorCycles(hw, 2, 1, 8, 4);
        return t[0] - before;
    }

    /**
     * The lead's cycles for the embedding row of a decoded token (the index, a 4-byte int32, broadcast): the table's
     * {@code cols} columns in one piece per bank of the first q = min(cores, 4, ceil(cols / banks)) cores, each core
     * loading its pieces' part of the row (an indexed load each) and joining them, then the gather of the parts.
     */
    long embed(String index, int cols) {
        long before = t[0];
        int banks = hw.get(DramSpec.class).banksPerCore();
        int q = Math.min(Math.min(t.length, 4), Math.ceilDiv(cols, banks));
        int pieces = Math.min(q * banks, cols);
        int[] col = split(cols, pieces);
        broadcast(index, 4, q);
        int[] first = new int[q + 1];
        for (int c = 0; c < q; c++) {
            first[c + 1] = col[Math.min((c + 1) * banks, pieces)];
            long joined = 0;
            for (int k = c * banks; k < Math.min((c + 1) * banks, pieces); k++) {
                long n = col[k + 1] - col[k];
                t[c] += TreeGemvClosedForm.access(hw, 4 * n);
                if (joined > 0) t[c] += vectorCycles(hw, joined + n, 1, 4 * (joined + n), 4 * (joined + n));
                joined += n;
            }
        }
        gather(first, q);
        return t[0] - before;
    }

    /**
     * The lead's cycles for sequence mixing ({@code generate/SequenceMixing}) with one unit per team on core {@code core[i]}:
     * for each team in turn the lead slices its rows of q, k and v ({@code slice[x]} cycles each, 0: taken whole) and
     * sends each (of {@code bytes[x]}) unless the team is the lead's own; then each team runs its unit ({@code unit}
     * cycles: its state's loads and stores and its vector operators) and sends its output rows ({@code outBytes}) to the
     * lead, which receives them in team order after its own unit and joins them ({@code join} cycles).
     */
    long mixing(int[] core, long[] slice, long[] bytes, long unit, long outBytes, long join) {
        long before = t[0];
        for (int c : core) {
            for (int x = 0; x < 3; x++) {
                t[0] += slice[x];
                if (c == 0) continue;
                t[0] += o;
                t[c] = Math.max(t[c], t[0] + transfer(bytes[x], 0, c)) + o;
            }
        }
        for (int c : core) {
            t[c] += unit;
            if (c == 0) continue;
            t[c] += o;
            t[0] = Math.max(t[0], t[c] + transfer(outBytes, c, 0)) + o;
        }
        t[0] += join;
        return t[0] - before;
    }

    /** A vector operator on the lead alone (see {@link #vectorCycles}); returns its cycles. */
    long leadVector(long inElements, int passes, long inBytes, long outBytes) {
        return lead(vectorCycles(hw, inElements, passes, inBytes, outBytes));
    }

    /** Anything on the lead alone of {@code cycles}; returns them. */
    long lead(long cycles) {
        t[0] += cycles;
        return cycles;
    }

    /** A vector instruction's cycles (docs/TIMING.md, Core): o + max(ceil(elements passes / lanes), ceil(SRAM bytes / sramBytesPerCycle)). */
    static long vectorCycles(Scenario.Hardware hw, long inElements, int passes, long inBytes, long outBytes) {
        var core = hw.get(CoreSpec.class);
        return core.instructionOverheadCycles()
                + Math.max(Math.ceilDiv(inElements * passes, core.vectorLanes()), Math.ceilDiv(inBytes + outBytes, core.sramBytesPerCycle()));
    }

    /**
     * One core's rows of a projection: the load of its block, then the product: an fp32 gemm
     * o + max(ceil(2 r k / matrixFlopsPerCycle), ceil((4 r k + bytes(x) + 4 r) / sramBytesPerCycle)), or for ternary W the
     * lut-gemm o + max(ceil(G 2^(g-1) / lanes) + ceil(2 r G / lutLookupsPerCycle), ceil((bytes(W) + k + 4 r) / sramBytesPerCycle)),
     * G = ceil(k / g).
     */
    private long blockTimes(long r, int cols, DType weight, DType xType) {
        var core = hw.get(CoreSpec.class);
        long block = weight.bytes(r * cols);
        long sram = Math.ceilDiv(block + xType.bytes(cols) + 4 * r, core.sramBytesPerCycle());
        long unit;
        if (weight == DType.TERNARY) {
            long groups = Math.ceilDiv(cols, core.lutGroupSize());
            unit = Math.ceilDiv(groups << (core.lutGroupSize() - 1), core.vectorLanes()) + Math.ceilDiv(2 * r * groups, core.lutLookupsPerCycle());
        } else {
            unit = Math.ceilDiv(2 * r * cols, core.matrixFlopsPerCycle().get(weight.key()));
        }
        return TreeGemvClosedForm.access(hw, block) + o + Math.max(unit, sram);
    }

    private void broadcast(String value, long bytes, int p) {
        for (Hop h : tree(p).reversed()) {
            if (!resident.add(h.child() + ":" + value)) continue;
            t[h.parent()] += o;
            t[h.child()] = Math.max(t[h.child()], t[h.parent()] + transfer(bytes, h)) + o;
        }
    }

    private void gather(int[] start, int p) {
        for (Hop h : tree(p)) {
            t[h.child()] += o;
            long n = start[h.end()] - start[h.parent()];
            t[h.parent()] = Math.max(t[h.parent()], t[h.child()] + transfer(4L * (start[h.end()] - start[h.child()]), h)) + o
                    + vectorCycles(hw, n, 1, 4 * n, 4 * n);
        }
    }

    private long transfer(long bytes, Hop h) {
        return transfer(bytes, h.parent(), h.child());
    }

    private long transfer(long bytes, int a, int b) {
        int width = hw.get(NocSpec.class).width();
        return TreeGemvClosedForm.transfer(hw, bytes, Math.abs(a % width - b % width) + Math.abs(a / width - b / width));
    }
}
