package org.meshemu.workloads.reference;

import org.meshemu.aicore.VectorMath;

/**
 * The three forms of RetNet retention for one head, exactly as MODELS.md section 1 (torchscale's maths).
 *
 * <p>Contract: inputs are one head's rotated queries q [T][dk], rotated and dk^-0.5-scaled keys k [T][dk] and
 * values v [T][dv]; outputs are the head's retention output before the per-head RMSNorm, [T][dv] (or [dv] per
 * recurrent step). The forms differ by a positive scalar per position, which that RMSNorm removes (exactly at
 * eps = 0). Decays are exp(k lg) via {@link Ops#decayPow}; the normaliser of position n is the row sum
 * Z_n = sum_{m=0..n} gamma^(n-m), accumulated in m order, shared by the parallel form and the prefill state.
 */
public final class Retention {
    private Retention() {
    }

    /** Recurrent state of one head: S [dv][dk] (row-major) holds the decayed sum of v k^T, c its scale. */
    public static final class State {
        private final int dk;
        private final int dv;
        private final float[] s;
        private float c;

        public State(int dk, int dv) {
            this.dk = dk;
            this.dv = dv;
            this.s = new float[dv * dk];
        }

        /** S as [dv][dk] row-major (a live view; do not modify). */
        public float[] s() {
            return s;
        }

        /** The scale c; 0 before the first token. */
        public float c() {
            return c;
        }
    }

    /**
     * The scalars of one recurrent step from scale c (0 before the first token): the new scale c, keep and
     * sqNew as {@link VectorMath#retentionUpdateInPlace} takes them. They depend on the position only, so a
     * mapping can compute them when it is made.
     */
    public record Step(boolean first, float c, float keep, float sqNew) {
    }

    /** The step after scale {@code c}: first token c' = 1; later c' = c gamma + 1, keep = sqrt(c) gamma / sqrt(c'). */
    public static Step step(float c, float lg) {
        if (c == 0f) {
            return new Step(true, 1f, 0f, 1f);
        }
        float gamma = Ops.decayPow(lg, 1);
        float cNew = c * gamma + 1f;
        float sqNew = (float) Math.sqrt(cNew);
        float keep = (float) Math.sqrt(c) * gamma / sqNew;
        return new Step(false, cNew, keep, sqNew);
    }

    /** D[n, m] = gamma^(n-m) / sqrt(Z_n); A = (q k^T) .* D; rows / clamp(sum |A|, 1, 5e4); o = A v. */
    public static float[][] parallel(float[][] q, float[][] k, float[][] v, float lg) {
        int t = q.length;
        int dk = q[0].length;
        int dv = v[0].length;
        float[] decay = decayTable(lg, t);
        float[][] o = new float[t][dv];
        float[] a = new float[t];
        for (int n = 0; n < t; n++) {
            float sq = (float) Math.sqrt(rowSum(decay, n));
            float abs = 0f;
            for (int m = 0; m <= n; m++) {
                a[m] = Ops.dot(q[n], 0, k[m], 0, dk) * (decay[n - m] / sq);
                abs += Math.abs(a[m]);
            }
            float den = Math.min(Math.max(abs, 1f), 5e4f);
            for (int m = 0; m <= n; m++) {
                float p = a[m] / den;
                for (int x = 0; x < dv; x++) {
                    o[n][x] += p * v[m][x];
                }
            }
        }
        return o;
    }

    /**
     * One recurrent step. First token: c = 1, S = v k^T. Later: c' = c gamma + 1,
     * S = S (sqrt(c) gamma / sqrt(c')) + v k^T / sqrt(c'). Returns o = S q.
     */
    public static float[] recurrentStep(State st, float[] q, float[] k, float[] v, float lg) {
        int dk = st.dk;
        float[] s = st.s;
        Step step = step(st.c, lg);
        VectorMath.retentionUpdateInPlace(s, 0, v, 0, k, 0, st.dv, dk, step.first(), step.keep(), step.sqNew());
        st.c = step.c();
        float[] o = new float[st.dv];
        for (int i = 0; i < st.dv; i++) {
            o[i] = Ops.dot(s, i * dk, q, 0, dk);
        }
        return o;
    }

    /**
     * The recurrent state after a whole-prompt prefill of T tokens: c = Z_{T-1} and
     * S = sum_t (gamma^(T-1-t) / sqrt(c)) v_t k_t^T, summed in t order; decoding continues at position T.
     */
    public static State stateAfter(float[][] k, float[][] v, float lg) {
        int t = k.length;
        State st = new State(k[0].length, v[0].length);
        float[] decay = decayTable(lg, t);
        float c = rowSum(decay, t - 1);
        float sq = (float) Math.sqrt(c);
        for (int n = 0; n < t; n++) {
            float d = decay[t - 1 - n] / sq;
            for (int i = 0; i < st.dv; i++) {
                for (int j = 0; j < st.dk; j++) {
                    st.s[i * st.dk + j] += k[n][j] * v[n][i] * d;
                }
            }
        }
        st.c = c;
        return st;
    }

    /**
     * Chunkwise form with chunk size B (the sequence zero-padded to a multiple of B): within a chunk the
     * parallel form with the chunk-local normaliser, across chunks a state R [dk][dv] carried with its own
     * scale, the two parts aligned to a common scale per row (MODELS.md section 1, "Chunkwise").
     */
    public static float[][] chunkwise(float[][] q, float[][] k, float[][] v, float lg, int chunk) {
        int t = q.length;
        int dk = q[0].length;
        int dv = v[0].length;
        float[] decay = decayTable(lg, chunk + 1);
        float[] z = new float[chunk];
        for (int i = 0; i < chunk; i++) {
            z[i] = rowSum(decay, i);
        }
        float zLast = z[chunk - 1];
        float[] vdec = new float[chunk];
        float[] qdec = new float[chunk];
        for (int i = 0; i < chunk; i++) {
            vdec[i] = decay[chunk - 1 - i] / zLast;
            qdec[i] = Ops.decayPow(lg, i + 1) * zLast / (float) Math.sqrt(z[i]);
        }
        float xdec = decay[chunk];
        float[] zeroK = new float[dk];
        float[] zeroV = new float[dv];

        float[][] o = new float[t][dv];
        float[] r = new float[dk * dv];
        float rs = 1f;
        float[] a = new float[chunk];
        for (int base = 0; base < t; base += chunk) {
            float cs = rs;
            float[] rRead = new float[r.length];
            for (int x = 0; x < rRead.length; x++) {
                rRead[x] = r[x] / rs;
            }
            for (int i = 0; i < chunk && base + i < t; i++) {
                float[] qi = q[base + i];
                float sq = (float) Math.sqrt(z[i]);
                float is = 0f;
                for (int j = 0; j <= i; j++) {
                    a[j] = Ops.dot(qi, 0, k[base + j], 0, dk) * (decay[i - j] / sq);
                    is += Math.abs(a[j]);
                }
                is = Math.max(is, 1f);
                float all = Math.max(is, cs);
                for (int x = 0; x < dv; x++) {
                    float inn = 0f;
                    for (int j = 0; j <= i; j++) {
                        inn += a[j] / is * v[base + j][x];
                    }
                    float cross = 0f;
                    for (int kk = 0; kk < dk; kk++) {
                        cross += qi[kk] * qdec[i] * rRead[kk * dv + x];
                    }
                    o[base + i][x] = inn * is / all + cross * cs / all;
                }
            }
            float[] kv = new float[dk * dv];
            for (int j = 0; j < chunk; j++) {
                float[] kj = base + j < t ? k[base + j] : zeroK;
                float[] vj = base + j < t ? v[base + j] : zeroV;
                for (int kk = 0; kk < dk; kk++) {
                    for (int x = 0; x < dv; x++) {
                        kv[kk * dv + x] += kj[kk] * (vj[x] * vdec[j]);
                    }
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

    /** decay[i] = gamma^i = exp(i lg) for i < n. */
    private static float[] decayTable(float lg, int n) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = Ops.decayPow(lg, i);
        }
        return d;
    }

    /** Z_n = sum_{m=0..n} decay[n - m], accumulated in m order (as the parallel mask's row sum). */
    private static float rowSum(float[] decay, int n) {
        float z = 0f;
        for (int m = 0; m <= n; m++) {
            z += decay[n - m];
        }
        return z;
    }
}
