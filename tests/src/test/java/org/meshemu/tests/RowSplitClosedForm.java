package org.meshemu.tests;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.scenario.Scenario;
import org.meshemu.tensor.DType;

/**
 * The lead core's time for one row-split projection y = W x of a decode step ({@code generate/RowSplit}),
 * from the timing model alone (docs/TIMING.md, "Closed form: a row-split projection"), when x is new
 * (broadcast afresh) and every other core is idle as it starts (the lead ran the operators before it
 * alone). On p = min(cores, rows) cores of one chip, core c holding rows [start_c, start_c+1) of W
 * (the first rows % p cores one row more), along the binomial tree by core index (level s: core i,
 * i mod 2s = 0, is the parent of i + s, whose subtree is [i + s, min(i + 2s, p))):
 * <pre>
 *   broadcast, root first (levels from the widest down, a parent's children in that order):
 *     the parent's send ends at t_parent + o; the child's recv ends at t_child = t_parent + o + X(h, bytes(x)) + o
 *   compute on each core: load(bytes of its block) + product
 *     product = gemm: o + max(ceil(2 r k / matrixFlopsPerCycle.fp32), ceil(4 (r k + k + r) / sramBytesPerCycle))
 *               lut-gemm (ternary W, int8 x): o + max(ceil(G 2^(g-1) / lanes) + ceil(2 r G / lutLookupsPerCycle),
 *                                                   ceil((bytes(W block) + k + 4 r) / sramBytesPerCycle)),  G = ceil(k / g)
 *   gather, leaves first (levels from s = 1 up): the child sends its subtree's rows (send ends t_child + o), the parent
 *     receives (max(t_parent, t_child + o + X(h, 4 rows)) + o) and concatenates its rows before them:
 *     concat(n rows) = o + max(ceil(n / lanes), ceil(8 n / sramBytesPerCycle))
 * </pre>
 * with X(h, B) the NoC's zero-load time over h hops (h the Manhattan distance of the two cores) and
 * load the fixed DRAM access; the span is the lead's time at the end. Exact when no two messages
 * share a link at once: on a 2 x 2 mesh every edge of the tree is one hop on a link of its own.
 */
final class RowSplitClosedForm {
    private RowSplitClosedForm() {}

    /** The lead's cycles for W [rows x cols] of {@code weight} dtype times x of {@code x} dtype over the chip's cores. */
    static long cycles(Scenario.Hardware hw, int rows, int cols, DType weight, DType x) {
        var core = hw.core();
        long o = core.instructionOverheadCycles();
        int width = hw.noc().width();
        int p = Math.min(hw.noc().nodes(), rows);
        int[] start = new int[p + 1];
        for (int c = 0; c < p; c++) start[c + 1] = start[c] + rows / p + (c < rows % p ? 1 : 0);
        record Hop(int parent, int child, int end) {}
        List<Hop> up = new ArrayList<>();
        for (int s = 1; s < p; s <<= 1) {
            for (int i = 0; i + s < p; i += 2 * s) up.add(new Hop(i, i + s, Math.min(i + 2 * s, p)));
        }
        long[] t = new long[p];
        for (Hop h : up.reversed()) {
            t[h.parent()] += o;
            t[h.child()] = t[h.parent()] + TreeGemvClosedForm.transfer(hw, x.bytes(cols), hops(h.parent(), h.child(), width)) + o;
        }
        for (int c = 0; c < p; c++) {
            long r = start[c + 1] - start[c];
            long block = weight.bytes(r * cols);
            long product;
            if (weight == DType.TERNARY) {
                long groups = Math.ceilDiv(cols, core.lutGroupSize());
                long unit = Math.ceilDiv(groups << (core.lutGroupSize() - 1), core.vectorLanes()) + Math.ceilDiv(2 * r * groups, core.lutLookupsPerCycle());
                product = o + Math.max(unit, Math.ceilDiv(block + x.bytes(cols) + 4 * r, core.sramBytesPerCycle()));
            } else {
                product = o + Math.max(Math.ceilDiv(2 * r * cols, core.matrixFlopsPerCycle().get(weight.key())),
                        Math.ceilDiv(block + x.bytes(cols) + 4 * r, core.sramBytesPerCycle()));
            }
            t[c] += TreeGemvClosedForm.access(hw, block) + product;
        }
        for (Hop h : up) {
            long sent = t[h.child()] + o;
            t[h.child()] = sent;
            long n = start[h.end()] - start[h.parent()];
            t[h.parent()] = Math.max(t[h.parent()], sent + TreeGemvClosedForm.transfer(hw, 4L * (start[h.end()] - start[h.child()]),
                    hops(h.parent(), h.child(), width))) + o
                    + o + Math.max(Math.ceilDiv(n, core.vectorLanes()), Math.ceilDiv(8 * n, core.sramBytesPerCycle()));
        }
        return t[0];
    }

    private static int hops(int a, int b, int width) {
        return Math.abs(a % width - b % width) + Math.abs(a / width - b / width);
    }

    /** A vector op of {@code passes} over {@code inElements} reading {@code inBytes} and writing {@code outBytes}, on the lead. */
    static long vector(Scenario.Hardware hw, long inElements, int passes, long inBytes, long outBytes) {
        var core = hw.core();
        return core.instructionOverheadCycles()
                + Math.max(Math.ceilDiv(inElements * passes, core.vectorLanes()), Math.ceilDiv(inBytes + outBytes, core.sramBytesPerCycle()));
    }
}
