package org.meshemu.workloads.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.meshemu.workloads.checkpoint.Ternary;
import org.meshemu.workloads.checkpoint.TernaryLinear;

class OpsTest {

    // ---- sparsemixer ---------------------------------------------------------------------------------------

    @Test
    void sparsemixerNearTiesKeepCloseExpertsInTheSoftmax() {
        // eps = 0.01, so expert j is dropped from a softmax when (m - r_j) / max(|r_j|, m) > 0.02.
        float[] r = {0.5f, 1.0f, 0.985f, 0.97f, -0.2f, 1.0f};
        Ops.Routing route = Ops.sparsemixer(r, 0.01f);
        // Round 1: m1 = 1.0; the first maximum is expert 1 (expert 5 ties but comes later).
        //   j=0: 0.5/1 > 0.02 dropped; j=1: 0 kept; j=2: 0.015 kept; j=3: 0.03 dropped; j=4: 1.2 dropped;
        //   j=5: 0 kept.  w1 = 1 / (e^0 + e^-0.015 + e^0) = 1 / (2 + e^-0.015).
        assertEquals(1, route.e1());
        assertEquals(1 / (2 + Math.exp(-0.015)), route.w1(), 1e-6);
        // Round 2 without expert 1: m2 = 1.0 at expert 5; kept: j=2 (0.015) and j=5; w2 = 1 / (1 + e^-0.015).
        assertEquals(5, route.e2());
        assertEquals(1 / (1 + Math.exp(-0.015)), route.w2(), 1e-6);
        // No renormalisation: 0.335 + 0.504 != 1.
        assertNotEquals(1.0, route.w1() + route.w2(), 0.1);
    }

    @Test
    void sparsemixerThresholdIsRelativeToTheLogitMagnitude() {
        float[] r = {-3.0f, -3.05f, -3.1f, -2.9f};
        Ops.Routing route = Ops.sparsemixer(r, 0.01f);
        // Round 1: m1 = -2.9 (expert 3); the factor is |r_j| because m1 < 0:
        //   j=0: 0.1/3 = 0.033, j=1: 0.15/3.05 = 0.049, j=2: 0.2/3.1 = 0.065: all dropped, so w1 = 1.
        assertEquals(3, route.e1());
        assertEquals(1f, route.w1());
        // Round 2: m2 = -3.0 (expert 0): j=1: 0.05/3.05 = 0.0164 <= 0.02 kept; j=2: 0.1/3.1 = 0.032 dropped.
        //   w2 = 1 / (1 + e^-0.05).
        assertEquals(0, route.e2());
        assertEquals(1 / (1 + Math.exp(-0.05)), route.w2(), 1e-6);
    }

    @Test
    void sparsemixerZeroOverZeroIsNaNAndKeepsTheExpert() {
        float[] r = {0f, 0f, 0f, -1f};
        Ops.Routing route = Ops.sparsemixer(r, 0.01f);
        // m1 = 0: for the three zeros (0 - 0) / max(0, 0) = NaN, and NaN > 0.02 is false: kept.
        // Expert 3: (0 + 1) / max(1, 0) = 1 > 0.02: dropped.  w1 = 1 / 3.
        assertEquals(0, route.e1());
        assertEquals(1f / 3f, route.w1());
        // Round 2 over {1, 2, 3}: m2 = 0 at expert 1; experts 1, 2 kept (NaN), 3 dropped: w2 = 1 / 2.
        assertEquals(1, route.e2());
        assertEquals(0.5f, route.w2());
    }

    // ---- BitNet ------------------------------------------------------------------------------------------

    @Test
    void unpackTakesBlocksOfRowsFromHandMadeBytes() {
        // One byte 0b10_01_00_10: bits 0-1 = 2 -> +1 (row 0), bits 2-3 = 0 -> -1 (row 1),
        // bits 4-5 = 1 -> 0 (row 2), bits 6-7 = 2 -> +1 (row 3).
        assertArrayEquals(new byte[] {1, -1, 0, 1}, Ops.unpackTernary(new byte[] {(byte) 0b10_01_00_10}, 4, 1));
        // [out=8, in=2] packed as [2, 2]: row k*2 + r comes from bits 2k of packed row r.
        //   packed[0] = {0x92, 0x55}: rows 0, 2, 4, 6 get col0 = +1, -1, 0, +1 and col1 = 0 (0x55 = all 01).
        //   packed[1] = {0xAA, 0x00}: rows 1, 3, 5, 7 get col0 = +1 (0xAA = all 10) and col1 = -1 (all 00).
        byte[] packed = {(byte) 0x92, 0x55, (byte) 0xAA, 0x00};
        byte[] expected = {1, 0, 1, -1, -1, 0, 1, -1, 0, 0, 1, -1, 1, 0, 1, -1};
        assertArrayEquals(expected, Ops.unpackTernary(packed, 8, 2));
        assertArrayEquals(packed, Ternary.pack(expected, 8, 2));
        assertEquals(-1, Ternary.at(packed, 8, 2, 2, 0));
        assertEquals(-1, Ternary.at(packed, 8, 2, 7, 1));
    }

    @Test
    void activationQuantisationRoundsHalfToEven() {
        // max |x| = 127, so s = 1 and q = rint(x): 2.5 -> 2, 3.5 -> 4, -2.5 -> -2, -0.5 -> 0 (Math.round: 3, 4, -2, 0).
        Ops.QuantisedActivations a = Ops.quantiseActivations(new float[] {127f, 2.5f, 3.5f, -2.5f, -0.5f, 0.49f});
        assertEquals(1f, a.scale());
        assertArrayEquals(new byte[] {127, 2, 4, -2, 0, 0}, a.q());
        // All-zero input: s = 127 / 1e-5, q = 0.
        Ops.QuantisedActivations z = Ops.quantiseActivations(new float[3]);
        assertEquals(127f / 1e-5f, z.scale());
        assertArrayEquals(new byte[3], z.q());
    }

    @Test
    void bitLinearIsBitExactAgainstANaiveLoopOverUnpackedWeights() {
        SplittableRandom rng = new SplittableRandom(11);
        int out = 12;
        int in = 4096;
        byte[] packed = new byte[out / 4 * in];
        for (int i = 0; i < packed.length; i++) {
            int b = 0;
            for (int k = 0; k < 4; k++) {
                b |= rng.nextInt(3) << (2 * k);  // each 2-bit field in {0, 1, 2} = {-1, 0, +1}
            }
            packed[i] = (byte) b;
        }
        float[] x = new float[in];
        for (int j = 0; j < in; j++) {
            x[j] = (float) rng.nextDouble(-3, 3);
        }
        TernaryLinear w = new TernaryLinear(out, in, packed, 0.0371f);
        Ops.QuantisedActivations a = Ops.quantiseActivations(x);
        int[] acc = Ops.ternaryAccumulate(w, a.q());
        float[] y = Ops.bitLinear(w, a, false);
        for (int i = 0; i < out; i++) {
            // independent decoding: byte row i % (out/4), field i / (out/4)
            int field = i / (out / 4);
            int prow = i % (out / 4);
            long sum = 0;
            for (int j = 0; j < in; j++) {
                int wij = ((packed[prow * in + j] & 0xFF) >>> (2 * field) & 3) - 1;
                sum += (long) wij * a.q()[j];
            }
            assertEquals(sum, acc[i], "int32 accumulation of row " + i);
            assertEquals((float) sum * 0.0371f / a.scale(), y[i], 0f, "output of row " + i);
        }
        float[] yDiv = Ops.bitLinear(w, a, true);
        assertEquals(acc[0] / 0.0371f / a.scale(), yDiv[0], 0f);
    }

    @Test
    void weightQuantisationIsAbsmeanTernary() {
        // mean |W| = (0.3 + 0.1 + 0.05 + 0.35) / 4 = 0.2, s = 5: W s = 1.5, -0.5, 0.25, -1.75 -> rint: 2 -> 1, -0 -> 0,
        // 0, -2 -> -1; weight_scale = 1/s = 0.2.
        Ternary.Quantised q = Ternary.quantiseWeights(new float[] {0.3f, -0.1f, 0.05f, -0.35f});
        assertArrayEquals(new byte[] {1, 0, 0, -1}, q.ternary());
        assertEquals(0.2f, q.weightScale(), 1e-7f);
    }

    // ---- norms, positions, attention ----------------------------------------------------------------------

    @Test
    void normsMatchHandValues() {
        // x = (3, 4): mean(x^2) = 12.5, rsqrt = 0.28284271; weight (1, 2).
        float[] y = Ops.rmsNorm(new float[] {3f, 4f}, new float[] {1f, 2f}, 0f);
        assertArrayEquals(new float[] {0.8485281f, 2.2627418f}, y, 1e-6f);
        // LayerNorm of (1, 3): mean 2, biased var 1 -> (-1, 1) * w + b.
        float[] z = Ops.layerNorm(new float[] {1f, 3f}, new float[] {2f, 2f}, new float[] {0.5f, 0f}, 0f);
        assertArrayEquals(new float[] {-1.5f, 2f}, z, 1e-6f);
    }

    @Test
    void rotationsFollowTheirPairings() {
        // rotate_half pairs i with i + hd/2; interleaved pairs 2i with 2i + 1. At angle pi/2: (a, b) -> (-b, a).
        float[] inv = {(float) (Math.PI / 2), 0f};
        float[] x = {1f, 2f, 3f, 4f};
        Ops.rotateHalfInPlace(x, 0, 4, 1, inv, 1f);
        assertArrayEquals(new float[] {-3f, 2f, 1f, 4f}, x, 1e-6f);
        float[] angle = {(float) (Math.PI / 2), (float) (Math.PI / 2), 0f, 0f};
        float[] y = {1f, 2f, 3f, 4f};
        Ops.rotateInterleavedInPlace(y, 0, 4, 1, angle);
        assertArrayEquals(new float[] {-2f, 1f, 3f, 4f}, y, 1e-6f);
        // RetNet angles for dk = 8: 10000^(-i/3), each twice.
        float[] a = Ops.retNetAngles(8);
        double third = Math.pow(10000, -1 / 3.0);
        double twoThirds = Math.pow(10000, -2 / 3.0);
        assertArrayEquals(new float[] {1f, 1f, (float) third, (float) third, (float) twoThirds, (float) twoThirds,
                1e-4f, 1e-4f}, a, 1e-8f);
        // gamma_h = 1 - 2^(-5-h)
        assertEquals(Math.log(1 - 1 / 32.0), Ops.retNetLogDecays(2, false)[0], 1e-7);
        assertEquals(Math.log(1 - 1 / 64.0), Ops.retNetLogDecays(2, false)[1], 1e-7);
    }

    @Test
    void attentionIsCausalGroupedAndWindowed() {
        // 2 query heads share 1 kv head (hd = 1). Keys 0 and ln 3 with q = 1: softmax weights 1/4, 3/4.
        List<float[]> keys = List.of(new float[] {0f}, new float[] {(float) Math.log(3)});
        List<float[]> values = List.of(new float[] {4f}, new float[] {8f});
        float[] o = Ops.attention(new float[] {1f, 1f}, keys, values, 2, 1, 1, 0);
        assertArrayEquals(new float[] {7f, 7f}, o, 1e-5f);
        // window 1: only the newest position is visible.
        assertArrayEquals(new float[] {8f, 8f}, Ops.attention(new float[] {1f, 1f}, keys, values, 2, 1, 1, 1), 0f);
    }
}
