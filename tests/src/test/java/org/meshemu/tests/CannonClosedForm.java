package org.meshemu.tests;

import org.meshemu.aicore.CoreSpec;
import org.meshemu.scenario.Scenario;
import org.meshemu.workloads.mesh.MeshRing;

/**
 * The run time of Cannon's GEMM ({@code workloads/linalg/CannonGemm}) on a P x P mesh with b x b
 * fp32 tiles (m = n = k = P b) and the fixed DRAM model, from the timing model alone (docs/TIMING.md,
 * "Closed form: Cannon's GEMM"). In cycles, with o the instruction overhead and B = 4 b^2 bytes:
 * <pre>
 *   load(B) = o + Lc + tDram + ceil(B / bwDram) + Lc                 (a store costs the same)
 *   g       = o + max(ceil(2 b^3 / flopsPerCycle), ceil(4B / sramBytesPerCycle))   (an accumulating gemm)
 *   g0      = o + max(ceil(2 b^3 / flopsPerCycle), ceil(3B / sramBytesPerCycle))   (the first, C := A B)
 *   X(h)    = inj + h (rd + ceil(B / bwLink) + ll) + rd                (a tile over h hops)
 *   w0, w   = 4o + g0, 4o + g                                          (a step bound by its own work)
 *   a(h)    = 3o + X(h)                                                (a step bound by a shift of h hops)
 * </pre>
 * Step k of core c starts at S_c(k) (its send of A); it sends A (o), B (o), multiplies, and receives
 * A then B (o each once there), so S_c(k+1) = max(S_c(k) + w_k, S_r(k) + a(h_r), S_d(k) + a(h_d)),
 * r and d the cores it receives A and B from and h_r, h_d their shifts' hops ({@link #recurrenceCycles}).
 * Every directed link carries one shift a step, so there is no contention and this max-plus
 * recurrence is the run. Its longest path over the P - 1 shift steps picks, step by step, the core's
 * own work or a shift into it; the shifts' hops along MeshGEMM's interleaved ring are runs of 2-hop
 * edges split by two 1-hop ones (P even: runs of P/2 - 1 and P/2 - 1; P odd: (P - 1)/2 and (P - 3)/2),
 * and a path can follow the A ring's run then the B ring's, so at most n2 of its steps are 2-hop
 * shifts: n2 = P - 2 for even P >= 4, P - 1 for odd P. Hence ({@link #cycles}):
 * <pre>
 *   M = max(n2 a(2) + (P - 1 - n2) max(w, a(1)),  max(w0, a(2)) + (P - 2) w)      (P >= 3)
 *   M = max(w0, a(1))                                                          (P = 2: every shift is 1 hop)
 *   total = 2 load(B) + M + g + load(B)
 * </pre>
 * The second term is the compute-bound case (every core in lock-step); the first the shift-bound one,
 * where for even P one step in P - 1 escapes the 2-hop shifts. (The older formula, (P - 1) a(2) when
 * shift-bound, is exact for odd P only; the default 8 x 8 GEMM takes 2945 cycles, not its 2949.)
 */
final class CannonClosedForm {
    private CannonClosedForm() {}

    /** The per-core rates, in cycles, of a scenario's hardware for b x b tiles. */
    record Costs(long o, long load, long g0, long g, long x1, long x2) {
        static Costs of(Scenario.Hardware hw, int b) {
            long o = hw.get(CoreSpec.class).instructionOverheadCycles();
            long bytes = 4L * b * b;
            long compute = Math.ceilDiv(2L * b * b * b, hw.get(CoreSpec.class).matrixFlopsPerCycle().get("fp32"));
            return new Costs(o, TreeGemvClosedForm.access(hw, bytes),
                    o + Math.max(compute, Math.ceilDiv(3 * bytes, hw.get(CoreSpec.class).sramBytesPerCycle())),
                    o + Math.max(compute, Math.ceilDiv(4 * bytes, hw.get(CoreSpec.class).sramBytesPerCycle())),
                    TreeGemvClosedForm.transfer(hw, bytes, 1), TreeGemvClosedForm.transfer(hw, bytes, 2));
        }

        long shift(int hops) { return 3 * o + (hops == 1 ? x1 : x2); }
    }

    /** The closed form, in cycles. */
    static long cycles(Scenario.Hardware hw, int p, int b) {
        return cycles(Costs.of(hw, b), p);
    }

    static long cycles(Costs c, int p) {
        long w0 = 4 * c.o() + c.g0(), w = 4 * c.o() + c.g();
        long m;
        if (p == 1) return 2 * c.load() + c.g0() + c.load();
        if (p == 2) {
            m = Math.max(w0, c.shift(1));
        } else {
            long n2 = p % 2 == 0 ? p - 2 : p - 1;
            m = Math.max(n2 * c.shift(2) + (p - 1 - n2) * Math.max(w, c.shift(1)), Math.max(w0, c.shift(2)) + (p - 2) * w);
        }
        return 2 * c.load() + m + c.g() + c.load();
    }

    /** The per-core max-plus recurrence over the P x P cores (logical indices), in cycles. */
    static long recurrenceCycles(Costs c, int p) {
        MeshRing ring = new MeshRing(p);
        int[] hops = new int[p]; // hops[r]: the shift from ring position r + 1 into r
        for (int r = 0; r < p; r++) hops[r] = Math.abs(ring.physical(r + 1) - ring.physical(r));
        long[][] start = new long[p][p];
        for (long[] row : start) java.util.Arrays.fill(row, 2 * c.load());
        for (int k = 0; k < p - 1; k++) {
            long self = 4 * c.o() + (k == 0 ? c.g0() : c.g());
            long[][] next = new long[p][p];
            for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) {
                    next[a][b] = Math.max(start[a][b] + self, Math.max(start[a][(b + 1) % p] + c.shift(hops[b]),
                            start[(a + 1) % p][b] + c.shift(hops[a])));
                }
            }
            start = next;
        }
        long last = 0;
        for (long[] row : start) for (long s : row) last = Math.max(last, s);
        return last + (p == 1 ? c.g0() : c.g()) + c.load();
    }
}
