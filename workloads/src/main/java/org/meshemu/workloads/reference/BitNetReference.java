package org.meshemu.workloads.reference;

import org.meshemu.workloads.checkpoint.BitNetConfig;
import org.meshemu.workloads.checkpoint.BitNetWeights;
import org.meshemu.workloads.checkpoint.TernaryLinear;

/**
 * BitNet b1.58 reference forward pass (HF "bitnet", offline ternary weights), one token at a time.
 *
 * <p>Contract: every projection is the exact integer BitLinear of {@link Ops#bitLinear} (int8 activations per
 * token, ternary weights, int32 sums, then * weight_scale / s); norms, RoPE, attention and the head are fp32;
 * the tied head is not quantised. Activations feeding several projections (q/k/v, gate/up) are quantised once,
 * which is identical to quantising them per projection.
 */
public final class BitNetReference implements ReferenceModel {
    private final BitNetWeights w;
    private final int hidden;
    private final int inter;
    private final int vocab;
    private final float eps;
    private final boolean scaleDivides;

    public BitNetReference(BitNetWeights weights) {
        BitNetConfig c = weights.config();
        this.w = weights;
        this.hidden = c.hiddenSize();
        this.inter = c.intermediateSize();
        this.vocab = c.vocabSize();
        this.eps = (float) c.rmsNormEps();
        this.scaleDivides = c.scaleDivides();
    }

    @Override
    public Generation generate(int[] prompt, int decodeSteps) {
        BitNetConfig c = w.config();
        RopeAttention attention = new RopeAttention(c, c.rope(), 0, w.layers().size());
        return Generation.tokenByToken(prompt, decodeSteps, vocab, (tok, pos, len) -> step(tok, pos, len, attention));
    }

    private float[] step(int token, int pos, int ropeSeqLen, RopeAttention attention) {
        float[] h = new float[hidden];                                                   // [H]
        w.embedTokens().widenRow(token, h, 0);
        for (int l = 0; l < w.layers().size(); l++) {
            BitNetWeights.Layer lw = w.layers().get(l);
            // attention block
            Ops.QuantisedActivations a = Ops.quantiseActivations(Ops.rmsNorm(h, lw.inputLayernorm(), eps));
            float[] q = linear(lw.qProj(), a);                                           // [heads * hd]
            float[] k = linear(lw.kProj(), a);                                           // [kv * hd]
            float[] v = linear(lw.vProj(), a);                                           // [kv * hd]
            float[] o = attention.attend(l, q, k, v, pos, ropeSeqLen);                   // [heads * hd]
            o = Ops.rmsNorm(o, lw.attnSubNorm(), eps);                                   // attn_sub_norm
            Ops.addInPlace(h, linear(lw.oProj(), Ops.quantiseActivations(o)));           // [H]
            // relu2 GLU block
            Ops.QuantisedActivations m = Ops.quantiseActivations(Ops.rmsNorm(h, lw.postAttentionLayernorm(), eps));
            float[] g = linear(lw.gateProj(), m);                                        // [I]
            float[] u = linear(lw.upProj(), m);                                          // [I]
            float[] z = new float[inter];
            for (int i = 0; i < inter; i++) {
                z[i] = Ops.relu2(g[i]) * u[i];
            }
            z = Ops.rmsNorm(z, lw.ffnSubNorm(), eps);                                    // ffn_sub_norm
            Ops.addInPlace(h, linear(lw.downProj(), Ops.quantiseActivations(z)));        // [H]
        }
        return Ops.matvec(w.lmHead(), Ops.rmsNorm(h, w.norm(), eps));                    // [V], not quantised
    }

    private float[] linear(TernaryLinear p, Ops.QuantisedActivations x) {
        return Ops.bitLinear(p, x, scaleDivides);
    }
}
