package org.meshemu.workloads.reference;

import org.meshemu.workloads.checkpoint.RetNetConfig;
import org.meshemu.workloads.checkpoint.RetNetWeights;

/**
 * RetNet (torchscale / syncdoth) reference forward pass: the prompt in the chosen retention form, then
 * recurrent decoding.
 *
 * <p>Contract: fp32 throughout as {@link Ops}; the three forms agree up to the per-head RMSNorm eps effect
 * (docs/MODELS.md: about 3e-5 relative at eps 1e-6, rounding only at eps 0), and each form is bit-reproducible.
 */
public final class RetNetReference implements ReferenceModel {
    private final RetNetWeights w;
    private final RetentionForm form;
    private final int chunkSize;
    private final int d;
    private final int dv;
    private final int heads;
    private final int dk;
    private final int dvh;
    private final int ffn;
    private final int vocab;
    private final float eps;
    private final float embedScale;
    private final float keyScale;
    private final float[] angle;
    private final float[] logDecay;

    public RetNetReference(RetNetWeights weights, RetentionForm form, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be >= 1, got " + chunkSize);
        }
        RetNetConfig c = weights.config();
        this.w = weights;
        this.form = form;
        this.chunkSize = chunkSize;
        this.d = c.decoderEmbedDim();
        this.dv = c.decoderValueEmbedDim();
        this.heads = c.decoderRetentionHeads();
        this.dk = c.keyHeadDim();
        this.dvh = c.valueHeadDim();
        this.ffn = c.decoderFfnEmbedDim();
        this.vocab = c.vocabSize();
        this.eps = (float) c.layernormEps();
        this.embedScale = c.noScaleEmbedding() ? 1f : (float) Math.sqrt(d); // fairseq's trap: sqrt(D) by default
        this.keyScale = (float) Math.pow(dk, -0.5);
        this.angle = Ops.retNetAngles(dk);
        this.logDecay = Ops.retNetLogDecays(heads, c.useLmDecay());
    }

    @Override
    public Generation generate(int[] prompt, int decodeSteps) {
        Generation.checkPrompt(prompt, decodeSteps, vocab);
        Retention.State[][] state = new Retention.State[w.layers().size()][heads];
        float[] logits;
        if (form == RetentionForm.RECURRENT) {
            for (Retention.State[] layer : state) {
                for (int h = 0; h < heads; h++) {
                    layer[h] = new Retention.State(dk, dvh);
                }
            }
            logits = null;
            for (int t = 0; t < prompt.length; t++) {
                logits = step(prompt[t], t, state);
            }
        } else {
            logits = prefill(prompt, state);
        }
        return Generation.greedy(logits, prompt.length, decodeSteps, (tok, pos) -> step(tok, pos, state));
    }

    /** The whole prompt in the parallel or chunkwise form; leaves {@code state} as after position T-1. */
    private float[] prefill(int[] tokens, Retention.State[][] state) {
        int t = tokens.length;
        float[][] h = new float[t][];
        for (int n = 0; n < t; n++) {
            h[n] = embed(tokens[n]);                                        // [D]
        }
        for (int l = 0; l < w.layers().size(); l++) {
            RetNetWeights.Layer lw = w.layers().get(l);
            Msr[] p = new Msr[t];
            for (int n = 0; n < t; n++) {
                p[n] = project(lw, Ops.rmsNorm(h[n], lw.retentionLayerNorm(), eps), n);
            }
            float[][] o = new float[t][dv];                                 // [T][Dv], heads concatenated
            for (int hd = 0; hd < heads; hd++) {
                float[][] q = new float[t][];                               // [T][dk]
                float[][] k = new float[t][];                               // [T][dk]
                float[][] v = new float[t][];                               // [T][dv/H]
                for (int n = 0; n < t; n++) {
                    q[n] = slice(p[n].q, hd * dk, dk);
                    k[n] = slice(p[n].k, hd * dk, dk);
                    v[n] = slice(p[n].v, hd * dvh, dvh);
                }
                float[][] oh = form == RetentionForm.PARALLEL
                        ? Retention.parallel(q, k, v, logDecay[hd])
                        : Retention.chunkwise(q, k, v, logDecay[hd], chunkSize);
                state[l][hd] = Retention.stateAfter(k, v, logDecay[hd]);
                for (int n = 0; n < t; n++) {
                    System.arraycopy(Ops.rmsNorm(oh[n], null, eps), 0, o[n], hd * dvh, dvh);
                }
            }
            for (int n = 0; n < t; n++) {
                Ops.addInPlace(h[n], gatedOut(lw, p[n].g, o[n]));
                Ops.addInPlace(h[n], ffn(lw, Ops.rmsNorm(h[n], lw.finalLayerNorm(), eps)));
            }
        }
        return head(h[t - 1]);
    }

    /** One token through every layer with recurrent retention, at position {@code pos}. */
    private float[] step(int token, int pos, Retention.State[][] state) {
        float[] h = embed(token);                                           // [D]
        for (int l = 0; l < w.layers().size(); l++) {
            RetNetWeights.Layer lw = w.layers().get(l);
            Msr p = project(lw, Ops.rmsNorm(h, lw.retentionLayerNorm(), eps), pos);
            float[] o = new float[dv];                                      // [Dv]
            for (int hd = 0; hd < heads; hd++) {
                float[] oh = Retention.recurrentStep(state[l][hd], slice(p.q, hd * dk, dk),
                        slice(p.k, hd * dk, dk), slice(p.v, hd * dvh, dvh), logDecay[hd]);
                System.arraycopy(Ops.rmsNorm(oh, null, eps), 0, o, hd * dvh, dvh);
            }
            Ops.addInPlace(h, gatedOut(lw, p.g, o));
            Ops.addInPlace(h, ffn(lw, Ops.rmsNorm(h, lw.finalLayerNorm(), eps)));
        }
        return head(h);
    }

    /** One position's projections: q, k rotated (k also scaled by dk^-0.5), v and the gate g. */
    private record Msr(float[] q, float[] k, float[] v, float[] g) {
    }

    private Msr project(RetNetWeights.Layer lw, float[] x, int pos) {
        float[] q = Ops.matvec(lw.qProj(), x);                              // [D]
        float[] k = Ops.scale(Ops.matvec(lw.kProj(), x), keyScale);         // [D]
        float[] v = Ops.matvec(lw.vProj(), x);                              // [Dv]
        float[] g = Ops.matvec(lw.gProj(), x);                              // [Dv]
        for (int hd = 0; hd < heads; hd++) {
            Ops.rotateInterleavedInPlace(q, hd * dk, dk, pos, angle);
            Ops.rotateInterleavedInPlace(k, hd * dk, dk, pos, angle);
        }
        return new Msr(q, k, v, g);
    }

    /** out_proj(silu(g) * o), o the normalised heads [Dv]. */
    private float[] gatedOut(RetNetWeights.Layer lw, float[] g, float[] o) {
        float[] x = new float[dv];
        for (int i = 0; i < dv; i++) {
            x[i] = Ops.silu(g[i]) * o[i];
        }
        return Ops.matvec(lw.outProj(), x);                                 // [D]
    }

    /** fc2(swish(fc1 x) * (gate x)). */
    private float[] ffn(RetNetWeights.Layer lw, float[] x) {
        float[] a = Ops.matvec(lw.fc1(), x);                                // [F]
        float[] b = Ops.matvec(lw.gate(), x);                               // [F]
        for (int i = 0; i < ffn; i++) {
            a[i] = Ops.silu(a[i]) * b[i];
        }
        return Ops.matvec(lw.fc2(), a);                                     // [D]
    }

    private float[] embed(int token) {
        float[] x = new float[d];
        w.embedTokens().widenRow(token, x, 0);
        for (int i = 0; i < d; i++) {
            x[i] = embedScale * x[i];
        }
        return w.layernormEmbedding() == null ? x : Ops.rmsNorm(x, w.layernormEmbedding(), eps);
    }

    private float[] head(float[] h) {
        return Ops.matvec(w.lmHead(), Ops.rmsNorm(h, w.layerNorm(), eps));  // [V]
    }

    private static float[] slice(float[] x, int off, int len) {
        float[] y = new float[len];
        System.arraycopy(x, off, y, 0, len);
        return y;
    }
}
