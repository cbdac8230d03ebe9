package org.meshemu.tests;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.meshemu.scenario.Scenario;
import org.meshemu.tensor.DType;

/**
 * The lead core's time for each row-split projection y = W x of a chain of a decode step's
 * operators ({@code generate/RowSplit}), from the timing model alone (docs/TIMING.md, "Closed
 * form: row-split projections"). It keeps each core's time (its cursor, in cycles from the
 * chain's start, when every core is idle) and follows each core's program. On p = min(cores,
 * rows) cores of one chip, core c holds rows [start_c, start_c+1) of W (the first rows % p
 * cores one row more); the collectives follow the binomial tree by core index (level s: core i,
 * i mod 2s = 0, is the parent of i + s, whose subtree is [i + s, min(i + 2s, p))):
 * <pre>
 *   broadcast of x, root first (levels from the widest down), skipped to a core that already holds x:
 *     the parent's send ends at t_parent += o; the child's recv ends at t_child = max(t_child, t_parent + X(h, bytes(x))) + o
 *   compute on each core: t_c += load(bytes of its block) + product
 *     product = gemm: o + max(ceil(2 r k / matrixFlopsPerCycle.fp32), ceil((4 r k + 4 k + 4 r) / sramBytesPerCycle))
 *               lut-gemm (ternary W, int8 x): o + max(ceil(G 2^(g-1) / lanes) + ceil(2 r G / lutLookupsPerCycle),
 *                                                   ceil((bytes(W block) + k + 4 r) / sramBytesPerCycle)),  G = ceil(k / g)
 *   gather, leaves first (levels from s = 1 up): the child sends its subtree's rows (t_child += o), the parent receives
 *     (t_parent = max(t_parent, t_child + X(h, 4 rows)) + o) and concatenates its rows before them:
 *     t_parent += concat(n rows) = o + max(ceil(n / lanes), ceil(8 n / sramBytesPerCycle))
 * </pre>
 * X(h, B) is the NoC's zero-load time over h hops (the cores' Manhattan distance), load the fixed
 * DRAM access; a projection's span is the lead's advance. A projection whose x is already on the
 * cores (k and v after q) has no broadcast, so the other cores start it as soon as they have sent
 * their part of the one before, while the lead still gathers. Exact when no two messages share a
 * link at once: on a 2 x 2 mesh every edge of the tree is one hop on a link of its own.
 */
final class RowSplitSchedule {
    private final Scenario.Hardware hw;
    private final long[] t;
    private final Set<String> resident = new HashSet<>(); // "core:x"

    /** A chain starting with every core idle. */
    RowSplitSchedule(Scenario.Hardware hw) {
        this.hw = hw;
        this.t = new long[hw.noc().nodes()];
    }

    /** The lead's cycles for W [rows x cols] of {@code weight} dtype times x (named, of {@code xType}), broadcast where not yet present. */
    long projection(String x, int rows, int cols, DType weight, DType xType) {
        var core = hw.core();
        long o = core.instructionOverheadCycles(), before = t[0];
        int width = hw.noc().width();
        int p = Math.min(t.length, rows);
        int[] start = new int[p + 1];
        for (int c = 0; c < p; c++) start[c + 1] = start[c] + rows / p + (c < rows % p ? 1 : 0);
        record Hop(int parent, int child, int end) {}
        List<Hop> up = new ArrayList<>();
        for (int s = 1; s < p; s <<= 1) {
            for (int i = 0; i + s < p; i += 2 * s) up.add(new Hop(i, i + s, Math.min(i + 2 * s, p)));
        }
        for (Hop h : up.reversed()) {
            if (!resident.add(h.child() + ":" + x)) continue;
            t[h.parent()] += o;
            t[h.child()] = Math.max(t[h.child()], t[h.parent()] + TreeGemvClosedForm.transfer(hw, xType.bytes(cols), hops(h.parent(), h.child(), width))) + o;
        }
        for (int c = 0; c < p; c++) {
            long r = start[c + 1] - start[c];
            long block = weight.bytes(r * cols);
            long product;
            if (weight == DType.TERNARY) {
                long groups = Math.ceilDiv(cols, core.lutGroupSize());
                long unit = Math.ceilDiv(groups << (core.lutGroupSize() - 1), core.vectorLanes()) + Math.ceilDiv(2 * r * groups, core.lutLookupsPerCycle());
                product = o + Math.max(unit, Math.ceilDiv(block + xType.bytes(cols) + 4 * r, core.sramBytesPerCycle()));
            } else {
                product = o + Math.max(Math.ceilDiv(2 * r * cols, core.matrixFlopsPerCycle().get(weight.key())),
                        Math.ceilDiv(block + xType.bytes(cols) + 4 * r, core.sramBytesPerCycle()));
            }
            t[c] += TreeGemvClosedForm.access(hw, block) + product;
        }
        for (Hop h : up) {
            t[h.child()] += o;
            long n = start[h.end()] - start[h.parent()];
            t[h.parent()] = Math.max(t[h.parent()], t[h.child()] + TreeGemvClosedForm.transfer(hw, 4L * (start[h.end()] - start[h.child()]),
                    hops(h.parent(), h.child(), width))) + o
                    + o + Math.max(Math.ceilDiv(n, core.vectorLanes()), Math.ceilDiv(8 * n, core.sramBytesPerCycle()));
        }
        return t[0] - before;
    }

    /**
     * A vector operator on the lead alone, over {@code inElements} in {@code passes} passes, reading {@code inBytes} and
     * writing {@code outBytes} of SRAM; returns its cycles.
     */
    long leadVector(long inElements, int passes, long inBytes, long outBytes) {
        long cycles = vectorCycles(hw, inElements, passes, inBytes, outBytes);
        t[0] += cycles;
        return cycles;
    }

    /** A vector instruction's cycles (docs/TIMING.md, Core): o + max(ceil(elements passes / lanes), ceil(SRAM bytes / sramBytesPerCycle)). */
    static long vectorCycles(Scenario.Hardware hw, long inElements, int passes, long inBytes, long outBytes) {
        var core = hw.core();
        return core.instructionOverheadCycles()
                + Math.max(Math.ceilDiv(inElements * passes, core.vectorLanes()), Math.ceilDiv(inBytes + outBytes, core.sramBytesPerCycle()));
    }

    private static int hops(int a, int b, int width) {
        return Math.abs(a % width - b % width) + Math.abs(a / width - b / width);
    }
}
