package org.meshemu.aicore;

import java.util.List;

/**
 * The fp32 vector kernels shared by the core's vector unit and the plain-Java reference
 * ({@code org.meshemu.workloads.reference.Ops} delegates here), so an emulated operator and its
 * reference are the same code and agree bit for bit.
 *
 * <p>Contract: all arithmetic is fp32; every reduction accumulates in a float starting at 0 and adds
 * terms in ascending index order; transcendental functions are evaluated in double and rounded once
 * to float. Inputs are never modified except by methods named {@code ...InPlace}.
 */
public final class VectorMath {
    private VectorMath() {}

    /** Dot product of a[aOff .. aOff+n) and b[bOff .. bOff+n), accumulated in float in index order. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0f;
        for (int j = 0; j < n; j++) s += a[aOff + j] * b[bOff + j];
        return s;
    }

    /** RMSNorm of x[off .. off+len): (x * rsqrt(mean(x^2) + eps)) * weight; weight null = no affine. */
    public static float[] rmsNorm(float[] x, int off, int len, float[] weight, float eps) {
        float ss = 0f;
        for (int i = 0; i < len; i++) ss += x[off + i] * x[off + i];
        float r = (float) (1.0 / Math.sqrt(ss / len + eps));
        float[] y = new float[len];
        for (int i = 0; i < len; i++) {
            float v = x[off + i] * r;
            y[i] = weight == null ? v : v * weight[i];
        }
        return y;
    }

    /** LayerNorm with biased variance: (x - mean) * rsqrt(var + eps) * w + b. */
    public static float[] layerNorm(float[] x, float[] w, float[] b, float eps) {
        int n = x.length;
        float sum = 0f;
        for (float v : x) sum += v;
        float mean = sum / n;
        float var = 0f;
        for (float v : x) var += (v - mean) * (v - mean);
        var /= n;
        float r = (float) (1.0 / Math.sqrt(var + eps));
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = (x[i] - mean) * r * w[i] + b[i];
        return y;
    }

    /** silu(x) = x * sigmoid(x) (torchscale's "swish"). */
    public static float silu(float x) {
        return x * (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /** Element activations: relu (+0 for x <= 0), sigmoid 1 / (1 + e^-x) and tanh, each rounded once to fp32. */
    public enum Activation {
        RELU, SIGMOID, TANH;

        public float apply(float x) {
            return switch (this) {
                case RELU -> x > 0f ? x : 0f;
                case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
                case TANH -> (float) Math.tanh(x);
            };
        }
    }

    /** relu(x)^2. */
    public static float relu2(float x) {
        float r = Math.max(x, 0f);
        return r * r;
    }

    /** Softmax of x[0 .. n) in place: exp(x - max) / sum, the sum accumulated in index order. */
    public static void softmaxInPlace(float[] x, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[i]);
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.exp(x[i] - max);
            sum += x[i];
        }
        for (int i = 0; i < n; i++) x[i] /= sum;
    }

    /** Index of the first maximum (greedy decoding); NaN entries never win. */
    public static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best] || Float.isNaN(x[best])) best = i;
        }
        return best;
    }

    /** Interleaved-pair rotation of x[off .. off+len) at position pos (RetNet), angle pos * angle[2i] in float. */
    public static void rotateInterleavedInPlace(float[] x, int off, int len, int pos, float[] angle) {
        for (int i = 0; i < len; i += 2) {
            float th = pos * angle[i];
            float c = (float) Math.cos(th);
            float s = (float) Math.sin(th);
            float a = x[off + i];
            float b = x[off + i + 1];
            x[off + i] = a * c - b * s;
            x[off + i + 1] = b * c + a * s;
        }
    }

    /** rotate_half RoPE of one head x[off .. off+hd) at position pos, cos and sin scaled by mscale. */
    public static void rotateHalfInPlace(float[] x, int off, int headDim, int pos, float[] invFreq, float mscale) {
        int half = headDim / 2;
        for (int i = 0; i < half; i++) {
            float th = pos * invFreq[i];
            float c = (float) Math.cos(th) * mscale;
            float s = (float) Math.sin(th) * mscale;
            float a = x[off + i];
            float b = x[off + i + half];
            x[off + i] = a * c - b * s;
            x[off + i + half] = b * c + a * s;
        }
    }

    /**
     * Causal grouped-query attention of the newest position over cached keys/values ([len][kvHeads * hd]):
     * query head j reads kv head j / (heads / kvHeads); scores (q.k) * hd^-0.5, positions older than
     * {@code window} (when > 0) excluded, fp32 softmax, output [heads * hd].
     */
    public static float[] attention(float[] q, List<float[]> keys, List<float[]> values, int heads, int kvHeads,
                                    int headDim, int window) {
        int len = keys.size();
        int first = window > 0 ? Math.max(0, len - window) : 0;
        int group = heads / kvHeads;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        float[] out = new float[heads * headDim];
        float[] p = new float[len - first];
        for (int h = 0; h < heads; h++) {
            int kvOff = (h / group) * headDim;
            for (int t = first; t < len; t++) p[t - first] = dot(q, h * headDim, keys.get(t), kvOff, headDim) * scale;
            softmaxInPlace(p, p.length);
            for (int t = first; t < len; t++) {
                float[] v = values.get(t);
                for (int i = 0; i < headDim; i++) out[h * headDim + i] += p[t - first] * v[kvOff + i];
            }
        }
        return out;
    }

    /** rint(v) clamped to [lo, hi]; NaN maps to 0. The project's single rounding rule (never Math.round). */
    public static int rintClamp(float v, int lo, int hi) {
        double r = Math.rint(v);
        if (Double.isNaN(r)) return 0;
        return (int) Math.max(lo, Math.min(hi, r));
    }

    /** BitNet per-token activation scale: s = 127 / max(max_j |x_j|, 1e-5). */
    public static float absMaxScale(float[] x) {
        float maxAbs = 0f;
        for (float v : x) maxAbs = Math.max(maxAbs, Math.abs(v));
        return 127f / Math.max(maxAbs, 1e-5f);
    }

    /** q_j = clamp(rint(x_j s), -128, 127). */
    public static byte quantise(float x, float s) {
        return (byte) rintClamp(x * s, -128, 127);
    }

    /** BitLinear output: acc * weightScale / s (autobitlinear) or acc / weightScale / s (bitlinear), left to right. */
    public static float dequantise(int acc, float weightScale, float s, boolean scaleDivides) {
        return scaleDivides ? acc / weightScale / s : acc * weightScale / s;
    }
}
