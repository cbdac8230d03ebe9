package org.meshemu.workloads.reference;

import java.util.List;
import org.meshemu.aicore.VectorMath;
import org.meshemu.tensor.Stored;
import org.meshemu.workloads.checkpoint.TernaryLinear;
import org.meshemu.workloads.checkpoint.Ternary;

/**
 * The numerical kernels of the reference forward passes, one implementation each, so that an emulator mapping
 * can be checked against them op by op. The per-element vector kernels live in core-actor's
 * {@link VectorMath} (the core's vector unit executes the same code) and are delegated to here.
 *
 * <p>Contract: all arithmetic is fp32 ({@code float}) unless a method says otherwise. Every reduction
 * accumulates in a float starting at 0 and adds terms in ascending index order (dot products: {@code j = 0, 1,
 * ...}; attention: positions oldest first), so results are bit-reproducible; transcendental functions are
 * evaluated in double and rounded once to float (what a correctly rounded fp32 libm would return). Inputs are
 * never modified except by methods whose name says {@code InPlace} or that document it.
 */
public final class Ops {
    private Ops() {
    }

    // ---- linear algebra --------------------------------------------------------------------------------

    /** Dot product of a[aOff .. aOff+n) and b[bOff .. bOff+n), accumulated in float in index order. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return VectorMath.dot(a, aOff, b, bOff, n);
    }

    /** y = W x for row-major W [rows, cols]. */
    public static float[] matvec(float[] w, int rows, int cols, float[] x) {
        return matvec(w, null, rows, cols, x);
    }

    /** y = W x + b for row-major W [rows, cols]; the bias (nullable) is added after the full dot product. */
    public static float[] matvec(float[] w, float[] bias, int rows, int cols, float[] x) {
        if (x.length != cols || w.length != rows * cols) {
            throw new IllegalArgumentException("matvec [" + rows + ", " + cols + "] x " + x.length);
        }
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            float s = dot(w, i * cols, x, 0, cols);
            y[i] = bias == null ? s : s + bias[i];
        }
        return y;
    }

    /**
     * y = W x for a matrix held as stored (bf16, fp32, mapped or compact): each row widened, exactly, then
     * the same dot product in index order, so y equals {@link #matvec(float[], int, int, float[])} of the fp32 values.
     */
    public static float[] matvec(Stored w, float[] x) {
        return matvec(w, null, x);
    }

    /** y = W x + b for a matrix held as stored; the bias (nullable) is added after the full dot product. */
    public static float[] matvec(Stored w, float[] bias, float[] x) {
        if (x.length != w.cols()) throw new IllegalArgumentException("matvec [" + w.rows() + ", " + w.cols() + "] x " + x.length);
        float[] row = new float[w.cols()];
        float[] y = new float[w.rows()];
        for (int i = 0; i < y.length; i++) {
            w.widenRow(i, row, 0);
            float s = dot(row, 0, x, 0, row.length);
            y[i] = bias == null ? s : s + bias[i];
        }
        return y;
    }

    /** acc[i] += d[i]. */
    public static void addInPlace(float[] acc, float[] d) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += d[i];
        }
    }

    /** x[i] * s. */
    public static float[] scale(float[] x, float s) {
        float[] y = new float[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = x[i] * s;
        }
        return y;
    }

    // ---- normalisation ---------------------------------------------------------------------------------

    /** RMSNorm: (x * rsqrt(mean(x^2) + eps)) * weight; weight null = no affine. */
    public static float[] rmsNorm(float[] x, float[] weight, float eps) {
        return rmsNorm(x, 0, x.length, weight, eps);
    }

    /** RMSNorm of the slice x[off .. off+len), e.g. one retention head. */
    public static float[] rmsNorm(float[] x, int off, int len, float[] weight, float eps) {
        return VectorMath.rmsNorm(x, off, len, weight, eps);
    }

    /** LayerNorm with biased variance: (x - mean) * rsqrt(var + eps) * w + b. */
    public static float[] layerNorm(float[] x, float[] w, float[] b, float eps) {
        return VectorMath.layerNorm(x, w, b, eps);
    }

    // ---- activations -----------------------------------------------------------------------------------

    /** silu(x) = x * sigmoid(x) (torchscale's "swish"). */
    public static float silu(float x) {
        return VectorMath.silu(x);
    }

    /**
     * The SiLU-gated MLP E(x) = W_down (silu(W_gate x) * (W_up x)) with W_gate, W_up [inter, hidden] and W_down
     * [hidden, inter] (a Phi-MoE expert, Phi-3's MLP): the products elementwise in float, silu first.
     */
    public static float[] siluGated(float[] gate, float[] up, float[] down, int inter, int hidden, float[] x) {
        float[] g = matvec(gate, inter, hidden, x);                                        // [I]
        float[] u = matvec(up, inter, hidden, x);                                          // [I]
        for (int i = 0; i < inter; i++) {
            g[i] = silu(g[i]) * u[i];
        }
        return matvec(down, hidden, inter, g);                                             // [H]
    }

    /** {@link #siluGated(float[], float[], float[], int, int, float[])} of matrices held as stored. */
    public static float[] siluGated(Stored gate, Stored up, Stored down, float[] x) {
        float[] g = matvec(gate, x);                                                       // [I]
        float[] u = matvec(up, x);                                                         // [I]
        for (int i = 0; i < g.length; i++) {
            g[i] = silu(g[i]) * u[i];
        }
        return matvec(down, g);                                                            // [H]
    }

    /** relu(x)^2. */
    public static float relu2(float x) {
        return VectorMath.relu2(x);
    }

    /** Softmax of x[0 .. n) in place: exp(x - max) / sum, the sum accumulated in index order. */
    public static void softmaxInPlace(float[] x, int n) {
        VectorMath.softmaxInPlace(x, n);
    }

    /** Index of the first maximum (greedy decoding); NaN entries never win. */
    public static int argmax(float[] x) {
        return VectorMath.argmax(x);
    }

    // ---- positions: RetNet xPos-style rotation and decays ----------------------------------------------

    /** angle[2i] = angle[2i+1] = 10000^(-i / (dk/2 - 1)) for i < dk/2 (torchscale's linspace(0, 1, dk/2)). */
    public static float[] retNetAngles(int keyHeadDim) {
        int half = keyHeadDim / 2;
        float[] a = new float[keyHeadDim];
        for (int i = 0; i < half; i++) {
            float t = (float) i / (half - 1);
            a[2 * i] = a[2 * i + 1] = (float) (1.0 / (float) Math.pow(10000.0, t));
        }
        return a;
    }

    /**
     * Per-head log decay lg_h: log(1 - 2^(-5-h)), or with use_lm_decay log(1 - exp(linspace(log(1/32),
     * log(1/512), H))) as torchscale/syncdoth.
     */
    public static float[] retNetLogDecays(int heads, boolean lmDecay) {
        float[] lg = new float[heads];
        float s = (float) Math.log(1.0 / 32);
        float e = (float) Math.log(1.0 / 512);
        for (int h = 0; h < heads; h++) {
            float x = lmDecay ? (heads == 1 ? s : s + (e - s) * h / (heads - 1)) : 0f;
            float gammaComplement = lmDecay ? (float) Math.exp(x) : (float) Math.pow(2, -5 - h);
            lg[h] = (float) Math.log(1f - gammaComplement);
        }
        return lg;
    }

    /** exp(k * lg) with k * lg rounded to float first: decays are built this way, never by repeated products. */
    public static float decayPow(float logDecay, int k) {
        return org.meshemu.workloads.fused.RetentionMath.decayPow(logDecay, k);
    }

    /**
     * Interleaved-pair rotation of x[off .. off+len) at position pos (RetNet):
     * out[2i] = x[2i] cos - x[2i+1] sin, out[2i+1] = x[2i+1] cos + x[2i] sin, angle pos * angle[2i] in float.
     */
    public static void rotateInterleavedInPlace(float[] x, int off, int len, int pos, float[] angle) {
        VectorMath.rotateInterleavedInPlace(x, off, len, pos, angle);
    }

    /** inv[i] = 1 / (factor_i * theta^(2i/hd)) for i < hd/2; factors null means all 1 (default RoPE). */
    public static float[] ropeInvFreq(int headDim, double theta, float[] factors) {
        float[] inv = new float[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            float p = (float) Math.pow(theta, (float) (2 * i) / headDim);
            inv[i] = 1f / (factors == null ? p : factors[i] * p);
        }
        return inv;
    }

    /**
     * rotate_half RoPE of one head x[off .. off+hd) at position pos: with c = cos(pos inv_i) mscale and
     * s = sin(pos inv_i) mscale, out[i] = x[i] c - x[i+hd/2] s and out[i+hd/2] = x[i+hd/2] c + x[i] s.
     */
    public static void rotateHalfInPlace(float[] x, int off, int headDim, int pos, float[] invFreq, float mscale) {
        VectorMath.rotateHalfInPlace(x, off, headDim, pos, invFreq, mscale);
    }

    // ---- attention --------------------------------------------------------------------------------------

    /**
     * Causal grouped-query attention of the newest position (len - 1) over cached keys/values
     * ([len][kvHeads * hd] each): query head j reads kv head j / (heads / kvHeads); scores (q.k) * hd^-0.5,
     * positions older than {@code window} (when > 0) excluded, fp32 softmax, output [heads * hd].
     */
    public static float[] attention(float[] q, List<float[]> keys, List<float[]> values, int heads, int kvHeads,
                                    int headDim, int window) {
        return VectorMath.attention(q, keys, values, heads, kvHeads, headDim, window);
    }

    // ---- MoE routing -------------------------------------------------------------------------------------

    /** Top-2 routing decision: experts e1 != e2 and their (unnormalised) weights. */
    public record Routing(int e1, float w1, int e2, float w2) {
    }

    /**
     * GRIN/Phi-MoE sparsemixer at inference. e1 = first argmax of r, m1 = r[e1]; expert j stays in the first
     * softmax unless (m1 - r_j) / max(|r_j|, m1) > 2 eps; w1 = 1 / sum_kept exp(r_j - m1). Then e1 is removed,
     * e2/m2 likewise over the rest, w2 = 1 / sum_kept' exp(r_j - m2). No renormalisation. IEEE semantics are
     * part of the definition: 0/0 = NaN and NaN > t is false, so such an expert is kept.
     */
    public static Routing sparsemixer(float[] r, float jitterEps) {
        float[] route = org.meshemu.workloads.fused.Sparsemixer.route(r, jitterEps);
        return new Routing((int) route[0], route[1], (int) route[2], route[3]);
    }

    // ---- BitNet b1.58 --------------------------------------------------------------------------------------

    /** One token's int8 activations q and the scale s they were quantised with (x ~ q / s). */
    public record QuantisedActivations(byte[] q, float scale) {
    }

    /** Per-token absmax quantisation: s = 127 / max(max|x|, 1e-5), q_j = clamp(rint(x_j s), -128, 127). */
    public static QuantisedActivations quantiseActivations(float[] x) {
        float s = VectorMath.absMaxScale(x);
        byte[] q = new byte[x.length];
        for (int j = 0; j < x.length; j++) {
            q[j] = VectorMath.quantise(x[j], s);
        }
        return new QuantisedActivations(q, s);
    }

    /** Unpacks [out/4, in] packed bytes into [out, in] ternary values (blocks of rows). */
    public static byte[] unpackTernary(byte[] packed, int out, int in) {
        return Ternary.unpack(packed, out, in);
    }

    /** acc_i = sum_j q_j W_ij exactly in int32, reading the ternary weights straight from the packed bytes. */
    public static int[] ternaryAccumulate(TernaryLinear w, byte[] q) {
        int out = w.outFeatures();
        int in = w.inFeatures();
        byte[] codes = new byte[in];
        int[] acc = new int[out];
        for (int i = 0; i < out; i++) {
            w.packed().codesRow(i, codes);                                                // value + 1
            int s = 0;
            for (int j = 0; j < in; j++) {
                s += (codes[j] - 1) * q[j];
            }
            acc[i] = s;
        }
        return acc;
    }

    /**
     * BitLinear on already-quantised activations: out_i = acc_i * weight_scale / s (autobitlinear) or
     * acc_i / weight_scale / s (bitlinear, {@code scaleDivides}), evaluated left to right in float.
     */
    public static float[] bitLinear(TernaryLinear w, QuantisedActivations a, boolean scaleDivides) {
        int[] acc = ternaryAccumulate(w, a.q());
        float[] y = new float[acc.length];
        for (int i = 0; i < acc.length; i++) {
            y[i] = VectorMath.dequantise(acc[i], w.weightScale(), a.scale(), scaleDivides);
        }
        return y;
    }
}
