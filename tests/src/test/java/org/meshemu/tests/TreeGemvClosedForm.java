package org.meshemu.tests;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.meshemu.aicore.CoreSpec;
import org.meshemu.dram.DramSpec;
import org.meshemu.noc.ChipsSpec;
import org.meshemu.noc.NocSpec;
import org.meshemu.scenario.Scenario;

/**
 * The run time of the tree GEMV ({@code workloads/linalg/TreeGemv}) from the timing model alone
 * (docs/TIMING.md, "Closed form: the tree GEMV"). Every mesh row runs the same program shape, so
 * one row's columns tell the time. In cycles, with o the instruction overhead, rb = rows / (height
 * x chips), cb = cols / width:
 * <pre>
 *   load(B)  = o + Lc + tDram + ceil(B / bwDram) + Lc
 *   g        = o + max(ceil(2 rb cb / matrixFlopsPerCycle.fp32), ceil(4 (rb cb + cb + rb) / sramBytesPerCycle))
 *   E        = o + max(ceil(rb / vectorLanes), ceil(12 rb / sramBytesPerCycle))        (the add of a partial)
 *   X(h)     = inj + h (rd + ceil(4 rb / bwLink) + ll) + rd                             (a partial over h hops)
 *   r_j(0)   = load(4 rb cb) + load(4 cb) + g                                           (every column)
 *   level s = 1, 2, 4, ... < width: a column j = 0 mod 2s with j + s < width receives from j + s:
 *   r_j      = max(r_j, r_(j+s) + o + X(s)) + o + E
 *   total    = r_0 + load(4 rb)                                                         (column 0 stores y)
 * </pre>
 * For a width that is a power of two every column of a level is ready at once, so with L = log2 width:
 * total = load(4 rb cb) + load(4 cb) + g + L (2o + inj + rd + E) + (width - 1) (rd + ser + ll) + load(4 rb).
 * Exact when no two partials are on one link at once, which {@link #contentionFree} checks on the
 * schedule the recurrence gives (then that schedule is the run's). A width that is a power of two
 * always is: a level's partials travel disjoint row segments, and every column of a level sends
 * at once, one level after the other. Another width has columns that skip levels (j = 0 mod 2s
 * with j + s >= width) and so send early, and such a partial can meet a later level's on the links
 * they share (5 x 2 in the test): then the recurrence is a lower bound, and {@link #upperBoundCycles}
 * an upper one, adding ser = ceil(4 rb / bwLink) to a transfer for every other partial whose row
 * segment shares a link with its own. All traffic of a row runs leftwards along it, so a partial
 * that is once ahead of another at a link stays ahead until it leaves (FIFO links, equal sizes and
 * speeds): each other partial holds it up at most once, for at most ser.
 */
final class TreeGemvClosedForm {
    private TreeGemvClosedForm() {}

    /** Cycles of a fixed-DRAM bank access of {@code bytes}, from the issue to the reply (load or store). */
    static long access(Scenario.Hardware hw, long bytes) {
        long o = hw.get(CoreSpec.class).instructionOverheadCycles(), lc = hw.get(DramSpec.class).channelLatencyCycles();
        return o + lc + hw.get(DramSpec.class).latencyCycles() + Math.ceilDiv(bytes, hw.get(DramSpec.class).bytesPerCycle()) + lc;
    }

    /** Cycles of a message of {@code bytes} over {@code hops} hops without contention, from the end of its send's issue. */
    static long transfer(Scenario.Hardware hw, long bytes, int hops) {
        var noc = hw.get(NocSpec.class);
        return noc.injectionCycles() + hops * (noc.routerDelayCycles() + Math.ceilDiv(bytes, noc.link().bytesPerCycle()) + noc.link().latencyCycles())
                + noc.routerDelayCycles();
    }

    /** Cycles of a core's partial product: the gemm of its rb x cb block of W by its cb elements of x (g). */
    static long partialCycles(Scenario.Hardware hw, long rb, long cb) {
        var c = hw.get(CoreSpec.class);
        return c.instructionOverheadCycles() + Math.max(Math.ceilDiv(2 * rb * cb, c.matrixFlopsPerCycle().get("fp32")),
                Math.ceilDiv(4 * (rb * cb + cb + rb), c.sramBytesPerCycle()));
    }

    /** Cycles of the add of a received partial of rb elements to the core's own (E). */
    static long addCycles(Scenario.Hardware hw, long rb) {
        var c = hw.get(CoreSpec.class);
        return c.instructionOverheadCycles() + Math.max(Math.ceilDiv(rb, c.vectorLanes()), Math.ceilDiv(12 * rb, c.sramBytesPerCycle()));
    }

    /** The run's cycles by the per-column recurrence (any width), exact when {@link #contentionFree}. */
    static long cycles(Scenario.Hardware hw, int rows, int cols) {
        return schedule(hw, rows, cols, false).cycles;
    }

    /** An upper bound of the run's cycles: the recurrence with every transfer held up once by each partial sharing a link with it. */
    static long upperBoundCycles(Scenario.Hardware hw, int rows, int cols) {
        return schedule(hw, rows, cols, true).cycles;
    }

    /** Whether no two partials of the recurrence's schedule occupy one link at once (then {@link #cycles} is exact). */
    static boolean contentionFree(Scenario.Hardware hw, int rows, int cols) {
        return schedule(hw, rows, cols, false).contentionFree;
    }

    private record Schedule(long cycles, boolean contentionFree) {}

    /** A partial from column {@code from} to column {@code from - hops}, its send issued from {@code issued}. */
    private record Partial(int from, int hops, long issued) {
        boolean sharesALinkWith(Partial p) {
            return from - hops < p.from && p.from - p.hops < from;
        }
    }

    private static Schedule schedule(Scenario.Hardware hw, int rows, int cols, boolean heldUp) {
        var c = hw.get(CoreSpec.class);
        var noc = hw.get(NocSpec.class);
        int width = noc.width(), height = noc.height() * hw.get(ChipsSpec.class).count();
        long rb = rows / height, cb = cols / width, o = c.instructionOverheadCycles();
        long g = partialCycles(hw, rb, cb);
        long add = addCycles(hw, rb);
        long ser = Math.ceilDiv(4 * rb, noc.link().bytesPerCycle());
        List<Partial> partials = new ArrayList<>();
        for (int s = 1; s < width; s *= 2) {
            for (int j = 0; j + s < width; j += 2 * s) partials.add(new Partial(j + s, s, 0));
        }
        long[] ready = new long[width];
        Arrays.fill(ready, access(hw, 4 * rb * cb) + access(hw, 4 * cb) + g);
        List<Partial> sent = new ArrayList<>();
        for (int s = 1; s < width; s *= 2) {
            for (int j = 0; j + s < width; j += 2 * s) {
                Partial p = new Partial(j + s, s, ready[j + s]);
                sent.add(p);
                long others = partials.stream().filter(q -> q.from != p.from && q.sharesALinkWith(p)).count();
                long arrival = p.issued + o + transfer(hw, 4 * rb, s) + (heldUp ? others * ser : 0);
                ready[j] = Math.max(ready[j], arrival) + o + add;
            }
        }
        // link k -> k-1 carries partial p from p.issued + o + inj + rd + (p.from - k) (rd + ser + ll) for ser cycles
        long hop = noc.routerDelayCycles() + ser + noc.link().latencyCycles();
        boolean free = true;
        for (Partial p : sent) {
            for (Partial q : sent) {
                if (p == q || !p.sharesALinkWith(q)) continue;
                for (int k = Math.min(p.from, q.from); k > Math.max(p.from - p.hops, q.from - q.hops); k--) {
                    long a = p.issued + (p.from - k) * hop, b = q.issued + (q.from - k) * hop;
                    if (Math.abs(a - b) < ser) free = false;
                }
            }
        }
        return new Schedule(ready[0] + access(hw, 4 * rb), free);
    }

    /** The same for a width that is a power of two, as one sum. */
    static long powerOfTwoCycles(Scenario.Hardware hw, int rows, int cols) {
        var c = hw.get(CoreSpec.class);
        var noc = hw.get(NocSpec.class);
        int width = noc.width(), height = noc.height() * hw.get(ChipsSpec.class).count();
        if (Integer.bitCount(width) != 1) throw new IllegalArgumentException("width " + width + " is not a power of two");
        long rb = rows / height, cb = cols / width, o = c.instructionOverheadCycles();
        int levels = Integer.numberOfTrailingZeros(width);
        long g = partialCycles(hw, rb, cb);
        long add = addCycles(hw, rb);
        long ser = Math.ceilDiv(4 * rb, noc.link().bytesPerCycle());
        return access(hw, 4 * rb * cb) + access(hw, 4 * cb) + g
                + levels * (2 * o + noc.injectionCycles() + noc.routerDelayCycles() + add)
                + (width - 1L) * (noc.routerDelayCycles() + ser + noc.link().latencyCycles())
                + access(hw, 4 * rb);
    }
}
