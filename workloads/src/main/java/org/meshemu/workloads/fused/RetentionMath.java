package org.meshemu.workloads.fused;

import org.meshemu.aicore.VectorMath;
import org.meshemu.tensor.Tile;

/**
 * RetNet retention over a whole prompt, one head at a time, in the parallel and chunkwise forms and the
 * recurrent state they leave, and the recurrent update (docs/MODELS.md section 1, torchscale's maths): the
 * fused operators {@link RetentionPrompt}, {@link RetentionState} and {@link RetentionUpdate} and the
 * plain-Java reference compute these same functions, so a form gives the same bits on the emulator as in
 * the reference.
 *
 * <p>Contract: q [T][dk] rotated queries, k [T][dk] rotated and dk^-0.5-scaled keys, v [T][dv] values; outputs
 * are the head's retention output before the per-head RMSNorm. Decays are exp(k lg); the normaliser of position
 * n is Z_n = sum_{m=0..n} gamma^(n-m), accumulated in m order, shared by the parallel form and the state.
 */
public final class RetentionMath {
    private RetentionMath() {}

    /** gamma^k = exp(k lg), lg the head's log decay. */
    public static float decayPow(float logDecay, int k) {
        return (float) Math.exp((float) k * logDecay);
    }

    /** D[n, m] = gamma^(n-m) / sqrt(Z_n); A = (q k^T) .* D; rows / clamp(sum |A|, 1, 5e4); o = A v. */
    public static float[][] parallel(float[][] q, float[][] k, float[][] v, float lg) {
        int t = q.length, dk = q[0].length, dv = v[0].length;
        float[] decay = decayTable(lg, t);
        float[][] o = new float[t][dv];
        float[] a = new float[t];
        for (int n = 0; n < t; n++) {
            float sq = (float) Math.sqrt(rowSum(decay, n));
            float abs = 0f;
            for (int m = 0; m <= n; m++) {
                a[m] = VectorMath.dot(q[n], 0, k[m], 0, dk) * (decay[n - m] / sq);
                abs += Math.abs(a[m]);
            }
            float den = Math.min(Math.max(abs, 1f), 5e4f);
            for (int m = 0; m <= n; m++) {
                float p = a[m] / den;
                for (int x = 0; x < dv; x++) o[n][x] += p * v[m][x];
            }
        }
        return o;
    }

    /**
     * Chunkwise form with chunk size B (the sequence zero-padded to a multiple of B): within a chunk the
     * parallel form with the chunk-local normaliser, across chunks a state R [dk][dv] carried with its own
     * scale, the two parts aligned to a common scale per row (docs/MODELS.md section 1, "Chunkwise").
     */
    public static float[][] chunkwise(float[][] q, float[][] k, float[][] v, float lg, int chunk) {
        int t = q.length, dk = q[0].length, dv = v[0].length;
        float[] decay = decayTable(lg, chunk + 1);
        float[] z = new float[chunk];
        for (int i = 0; i < chunk; i++) z[i] = rowSum(decay, i);
        float zLast = z[chunk - 1];
        float[] vdec = new float[chunk], qdec = new float[chunk];
        for (int i = 0; i < chunk; i++) {
            vdec[i] = decay[chunk - 1 - i] / zLast;
            qdec[i] = decayPow(lg, i + 1) * zLast / (float) Math.sqrt(z[i]);
        }
        float xdec = decay[chunk];
        float[] zeroK = new float[dk], zeroV = new float[dv];

        float[][] o = new float[t][dv];
        float[] r = new float[dk * dv];
        float rs = 1f;
        float[] a = new float[chunk];
        for (int base = 0; base < t; base += chunk) {
            float cs = rs;
            float[] rRead = new float[r.length];
            for (int x = 0; x < rRead.length; x++) rRead[x] = r[x] / rs;
            for (int i = 0; i < chunk && base + i < t; i++) {
                float[] qi = q[base + i];
                float sq = (float) Math.sqrt(z[i]);
                float is = 0f;
                for (int j = 0; j <= i; j++) {
                    a[j] = VectorMath.dot(qi, 0, k[base + j], 0, dk) * (decay[i - j] / sq);
                    is += Math.abs(a[j]);
                }
                is = Math.max(is, 1f);
                float all = Math.max(is, cs);
                for (int x = 0; x < dv; x++) {
                    float inn = 0f;
                    for (int j = 0; j <= i; j++) inn += a[j] / is * v[base + j][x];
                    float cross = 0f;
                    for (int kk = 0; kk < dk; kk++) cross += qi[kk] * qdec[i] * rRead[kk * dv + x];
                    o[base + i][x] = inn * is / all + cross * cs / all;
                }
            }
            float[] kv = new float[dk * dv];
            for (int j = 0; j < chunk; j++) {
                float[] kj = base + j < t ? k[base + j] : zeroK;
                float[] vj = base + j < t ? v[base + j] : zeroV;
                for (int kk = 0; kk < dk; kk++) {
                    for (int x = 0; x < dv; x++) kv[kk * dv + x] += kj[kk] * (vj[x] * vdec[j]);
                }
            }
            rs = 1f;
            for (int x = 0; x < dv; x++) {
                float col = 0f;
                for (int kk = 0; kk < dk; kk++) {
                    r[kk * dv + x] = r[kk * dv + x] * xdec + kv[kk * dv + x];
                    col += Math.abs(r[kk * dv + x]);
                }
                rs = Math.max(rs, col);
            }
        }
        return o;
    }

    /** The recurrent scale after a T-token prefill: c = Z_{T-1}. */
    public static float scaleAfter(float lg, int t) {
        return rowSum(decayTable(lg, t), t - 1);
    }

    /**
     * The recurrent state S [dv][dk] (row-major) after a T-token prefill: S = sum_t (gamma^(T-1-t) / sqrt(c)) v_t k_t^T
     * with c = {@link #scaleAfter}, summed in t order; decoding continues at position T.
     */
    public static float[] stateAfter(float[][] k, float[][] v, float lg) {
        int t = k.length, dk = k[0].length, dv = v[0].length;
        float[] decay = decayTable(lg, t);
        float sq = (float) Math.sqrt(rowSum(decay, t - 1));
        float[] s = new float[dv * dk];
        for (int n = 0; n < t; n++) {
            float d = decay[t - 1 - n] / sq;
            for (int i = 0; i < dv; i++) {
                for (int j = 0; j < dk; j++) s[i * dk + j] += k[n][j] * v[n][i] * d;
            }
        }
        return s;
    }

    /** decay[i] = gamma^i = exp(i lg) for i < n. */
    private static float[] decayTable(float lg, int n) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = decayPow(lg, i);
        return d;
    }

    /** Z_n = sum_{m=0..n} decay[n - m], accumulated in m order (as the parallel mask's row sum). */
    private static float rowSum(float[] decay, int n) {
        float z = 0f;
        for (int m = 0; m <= n; m++) z += decay[n - m];
        return z;
    }

    /**
     * One recurrent retention update of a head's state S [dv][dk] (row-major, from offset off): the first
     * token sets S = v k^T; later tokens S = S keep + v k^T / sqNew (keep = sqrt(c) gamma / sqrt(c'),
     * sqNew = sqrt(c')), element by element in that operation order.
     */
    public static void updateInPlace(float[] s, int off, float[] v, int vOff, float[] k, int kOff, int dv, int dk,
                                     boolean first, float keep, float sqNew) {
        for (int i = 0; i < dv; i++) {
            for (int j = 0; j < dk; j++) {
                int at = off + i * dk + j;
                s[at] = first ? v[vOff + i] * k[kOff + j] : s[at] * keep + v[vOff + i] * k[kOff + j] / sqNew;
            }
        }
    }

    /** Head h's rows [h d, (h + 1) d) of a block [heads * d, T], as [T][d] (one row per token). */
    static float[][] head(Tile block, int h, int d) {
        int cols = block.cols();
        float[][] r = new float[cols][d];
        for (int t = 0; t < cols; t++) {
            for (int i = 0; i < d; i++) r[t][i] = block.data()[(h * d + i) * cols + t];
        }
        return r;
    }
}
