package org.meshemu.workloads.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.Kernels;
import org.meshemu.aicore.Program;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;
import org.meshemu.workloads.checkpoint.Ternary;
import org.meshemu.workloads.checkpoint.TernaryLinear;
import org.meshemu.workloads.fused.RetentionRead;
import org.meshemu.workloads.fused.RetentionUpdate;
import org.meshemu.workloads.generate.lower.CollectiveTree;
import org.meshemu.workloads.generate.lower.Lowering;
import org.meshemu.workloads.generate.lower.SlotAllocator;
import org.meshemu.workloads.reference.Ops;
import org.meshemu.workloads.reference.Retention;

/** The core's vector unit and LUT-GEMM give the reference's bits, operator by operator. */
class VectorUnitMatchesReferenceTest {
    private final SplittableRandom rnd = new SplittableRandom(5);

    private float[] randoms(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble() * 4 - 2);
        return x;
    }

    private static Tile col(float[] x) {
        return Tile.fp32(x.length, 1, x);
    }

    @Test
    void lutGemmIsBitExactAgainstTheIntegerReferenceAndBitLinearMatches() {
        int out = 16, in = 200;
        byte[] packed = new byte[out / 4 * in];
        for (int i = 0; i < packed.length; i++) { // four 2-bit codes 0, 1, 2 (w = code - 1); 3 is not ternary
            for (int f = 0; f < 4; f++) packed[i] |= (byte) (rnd.nextInt(3) << (2 * f));
        }
        TernaryLinear w = new TernaryLinear(out, in, packed, 0.37f);
        float[] x = randoms(in);
        Ops.QuantisedActivations a = Ops.quantiseActivations(x);
        byte[] tern = Ternary.unpack(packed, out, in);
        float[] wv = new float[tern.length];
        for (int i = 0; i < wv.length; i++) wv[i] = tern[i];
        Tile s = Kernels.vector(new VectorOp.AbsMaxScale(), List.of(col(x)));
        Tile q = Kernels.vector(new VectorOp.Quantise(), List.of(col(x), s));
        for (int j = 0; j < in; j++) assertEquals(a.q()[j], (byte) q.data()[j]);
        int[] expected = Ops.ternaryAccumulate(w, a.q());
        Tile wt = new Tile(out, in, DType.TERNARY, wv);
        Tile acc = null;
        for (int g = 1; g <= 8; g++) { // every LUT group size, including ones that leave a padded last group
            acc = Kernels.lutGemm(wt, q, g);
            for (int i = 0; i < out; i++) assertEquals(expected[i], (int) acc.data()[i], "g " + g + ", row " + i);
        }
        // the dequantise-then-GEMM path: the same integers from the int8 matrix unit
        Tile wide = Kernels.vector(new VectorOp.Widen(DType.INT8), List.of(wt));
        Tile dense = Kernels.gemm(wide, q, null, false);
        assertEquals(DType.INT32, dense.dtype());
        assertArrayEquals(acc.data(), dense.data());
        Tile y = Kernels.vector(new VectorOp.Dequantise(0.37f, false), List.of(acc, s));
        assertArrayEquals(Ops.bitLinear(w, a, false), y.data());
    }

    @Test
    void recurrentRetentionStepsMatchTheReferenceBitForBit() {
        int heads = 2, dk = 4, dv = 6;
        float[] lg = Ops.retNetLogDecays(heads, false);
        Retention.State[] ref = {new Retention.State(dk, dv), new Retention.State(dk, dv)};
        float[] c = new float[heads];
        Tile state = null;
        for (int t = 0; t < 4; t++) {
            float[] q = randoms(heads * dk), k = randoms(heads * dk), v = randoms(heads * dv);
            float[] keep = new float[heads], sq = new float[heads];
            boolean first = false;
            for (int h = 0; h < heads; h++) {
                Retention.Step st = Retention.step(c[h], lg[h]);
                first = st.first();
                keep[h] = st.keep();
                sq[h] = st.sqNew();
                c[h] = st.c();
            }
            RetentionUpdate op = new RetentionUpdate(heads, dk, dv, first, keep, sq);
            state = Kernels.vector(op, first ? List.of(col(k), col(v)) : List.of(state, col(k), col(v)));
            Tile o = Kernels.vector(new RetentionRead(heads), List.of(state, col(q)));
            for (int h = 0; h < heads; h++) {
                float[] expected = Retention.recurrentStep(ref[h], java.util.Arrays.copyOfRange(q, h * dk, h * dk + dk),
                        java.util.Arrays.copyOfRange(k, h * dk, h * dk + dk), java.util.Arrays.copyOfRange(v, h * dv, h * dv + dv), lg[h]);
                assertArrayEquals(expected, java.util.Arrays.copyOfRange(o.data(), h * dv, h * dv + dv), "step " + t + " head " + h);
            }
        }
    }

    @Test
    void attentionNormsAndRotationsMatchTheReference() {
        int heads = 4, kv = 2, hd = 8, len = 5;
        float[] q = randoms(heads * hd);
        List<float[]> keys = new ArrayList<>(), values = new ArrayList<>();
        List<Tile> in = new ArrayList<>(List.of(col(q)));
        for (int t = 0; t < len; t++) keys.add(randoms(kv * hd));
        for (int t = 0; t < len; t++) values.add(randoms(kv * hd));
        keys.forEach(k -> in.add(col(k)));
        values.forEach(v -> in.add(col(v)));
        assertArrayEquals(Ops.attention(q, keys, values, heads, kv, hd, 3),
                Kernels.vector(new VectorOp.Attention(heads, kv, hd, 3), in).data());
        float[] x = randoms(32), w = randoms(32), b = randoms(32);
        assertArrayEquals(Ops.rmsNorm(x, w, 1e-6f), Kernels.vector(new VectorOp.RmsNorm(1e-6f, 1, true), List.of(col(x), col(w))).data());
        assertArrayEquals(Ops.layerNorm(x, w, b, 1e-5f), Kernels.vector(new VectorOp.LayerNorm(1e-5f), List.of(col(x), col(w), col(b))).data());
        float[] angle = Ops.retNetAngles(8), rotated = x.clone();
        for (int h = 0; h < 4; h++) Ops.rotateInterleavedInPlace(rotated, h * 8, 8, 7, angle);
        assertArrayEquals(rotated, Kernels.vector(new VectorOp.RotateInterleaved(7, angle, 8), List.of(col(x))).data());
    }

    /**
     * The greedy token from logits spread over p cores: each block's [max, index] pair, merged up the collective
     * tree (lower block first), is the reference's first maximum, ties across blocks included.
     */
    @Test
    void argmaxPartsMergedInIndexOrderAreTheFirstMaximum() {
        float[] tie = randoms(40);
        tie[7] = tie[23] = tie[31] = 9f;                       // a tie across blocks: the first must win
        float[] nanFirst = tie.clone();
        nanFirst[0] = Float.NaN;                               // argmax's scan leaves a NaN start behind
        float[] nanBlock = tie.clone();
        for (int i = 0; i < 12; i++) nanBlock[i] = Float.NaN;  // a block of NaNs, and the maximum after it
        float[] allNan = new float[9];
        java.util.Arrays.fill(allNan, Float.NaN);
        for (float[] x : List.of(tie, nanFirst, nanBlock, allNan)) {
            for (int p = 1; p <= 8 && p <= x.length; p++) {
                int[] start = Lowering.split(x.length, p);
                Tile[] pair = new Tile[p];
                for (int c = 0; c < p; c++) {
                    pair[c] = Kernels.vector(new VectorOp.ArgmaxPart(start[c]), List.of(col(java.util.Arrays.copyOfRange(x, start[c], start[c + 1]))));
                }
                for (CollectiveTree.Hop h : CollectiveTree.over(0, p, 4).hops()) {
                    pair[h.parent()] = Kernels.vector(new VectorOp.ArgmaxMerge(), List.of(pair[h.parent()], pair[h.child()]));
                }
                Tile token = Kernels.vector(new VectorOp.ArgmaxIndex(x.length), List.of(pair[0]));
                assertEquals(Ops.argmax(x), (int) token.data()[0], "over " + p + " cores: " + java.util.Arrays.toString(x));
            }
        }
        assertEquals(7, Ops.argmax(tie));
    }

    @Test
    void slotsAreReusedOnceTheirValueIsDead() {
        List<Instruction> code = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int a = 100 + 3 * i, b = a + 1, c = a + 2;
            code.add(new Instruction.Load(a, 0, 0, 64, 1, DType.FP32));
            code.add(new Instruction.Vector(new VectorOp.Scale(2f), b, a));
            code.add(new Instruction.Store(b, 0, 0));
            code.add(new Instruction.Vector(new VectorOp.Scale(3f), c, b));
            code.add(new Instruction.Store(c, 0, 0));
        }
        Program p = Program.of(SlotAllocator.allocate(code));
        assertEquals(2 * 64 * 4, p.footprintBytes(), "two values are live at once, whatever the program's length");
        assertArrayEquals(new int[] {0, 3, 6, 8, 10}, Lowering.split(10, 4));
    }
}
