package org.meshemu.workloads.reference;

import java.util.List;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.Tile;
import org.meshemu.workloads.checkpoint.PhiMoeConfig;
import org.meshemu.workloads.checkpoint.PhiMoeWeights;
import org.meshemu.workloads.fused.MixExperts;
import org.meshemu.workloads.fused.SoftmaxGate;
import org.meshemu.workloads.fused.Sparsemixer;

/**
 * Phi-3.5-MoE / GRIN-MoE reference forward pass (HF "phimoe"), one token at a time with a KV cache.
 *
 * <p>Contract: LayerNorm (eps = rms_norm_eps), RoPE rotate_half, GQA with causal (+ sliding window) fp32
 * softmax, the gate's routing (sparsemixer top-2 by default; a softmax top-k or threshold gate, docs/MODELS.md
 * section 2) and SwiGLU experts, fp32 as {@link Ops}. The MoE output w_1 E_e1 + ... + w_K E_eK (the gate's filled
 * slots in order, {@link MixExperts#mix}) is formed first and then added to the residual, as HF's index_add into
 * zeros does. The gate is the emulator's operator itself, so both route by the same numerics. Prompt
 * tokens use the RoPE factors of a call of length T (HF prefills in one call); decode tokens those of pos + 1.
 */
public final class PhiMoeReference implements ReferenceModel {
    private final PhiMoeWeights w;
    private final int hidden;
    private final int experts;
    private final int vocab;
    private final int window;
    private final float eps;
    private final VectorOp.Fused gate;

    /** With the family's own gate, GRIN's sparsemixer. */
    public PhiMoeReference(PhiMoeWeights weights) {
        this(weights, new Sparsemixer((float) weights.config().routerJitterNoise()));
    }

    /** {@code gate}: the routing operator, router logits [E] to [e_1, w_1, ..., e_K, w_K]. */
    public PhiMoeReference(PhiMoeWeights weights, VectorOp.Fused gate) {
        this.gate = gate;
        PhiMoeConfig c = weights.config();
        this.w = weights;
        this.hidden = c.hiddenSize();
        this.experts = c.numLocalExperts();
        this.vocab = c.vocabSize();
        this.window = c.slidingWindow();
        this.eps = (float) c.rmsNormEps();
    }

    @Override
    public Generation generate(int[] prompt, int decodeSteps) {
        PhiMoeConfig c = w.config();
        RopeAttention attention = new RopeAttention(c, c.rope(), window, w.layers().size());
        return Generation.tokenByToken(prompt, decodeSteps, vocab, (tok, pos, len) -> step(tok, pos, len, attention));
    }

    private float[] step(int token, int pos, int ropeSeqLen, RopeAttention attention) {
        float[] h = new float[hidden];                                                   // [H]
        w.embedTokens().widenRow(token, h, 0);
        for (int l = 0; l < w.layers().size(); l++) {
            PhiMoeWeights.Layer lw = w.layers().get(l);
            // attention block
            float[] a = Ops.layerNorm(h, lw.inputLayernormWeight(), lw.inputLayernormBias(), eps);
            float[] q = Ops.matvec(lw.qProj(), lw.qBias(), a);                           // [heads * hd]
            float[] k = Ops.matvec(lw.kProj(), lw.kBias(), a);                           // [kv * hd]
            float[] v = Ops.matvec(lw.vProj(), lw.vBias(), a);                           // [kv * hd]
            float[] o = attention.attend(l, q, k, v, pos, ropeSeqLen);                   // [heads * hd]
            Ops.addInPlace(h, Ops.matvec(lw.oProj(), lw.oBias(), o));                    // [H]
            // mixture-of-experts block
            float[] m = Ops.layerNorm(h, lw.postAttentionLayernormWeight(), lw.postAttentionLayernormBias(), eps);
            float[] r = Ops.matvec(lw.router(), m);                                      // [E]
            float[] route = gate.compute(List.of(Tile.fp32(experts, 1, r)), gate.out(List.of(Shape.vector(experts))));      // [e_1 w_1 .. e_K w_K]
            float[][] y = new float[route.length / 2][];
            for (int s = 0; s < y.length; s++) {
                if (route[2 * s] != SoftmaxGate.EMPTY) y[s] = expert(lw.experts().get((int) route[2 * s]), m);   // [H]
            }
            float[] moe = MixExperts.mix(y, route);
            Ops.addInPlace(h, moe);
        }
        float[] f = Ops.layerNorm(h, w.normWeight(), w.normBias(), eps);
        return Ops.matvec(w.lmHead(), w.lmHeadBias(), f);                                // [V]
    }

    /** E(x) = W2 (silu(W1 x) * (W3 x)). */
    private float[] expert(PhiMoeWeights.Expert e, float[] x) {
        return Ops.siluGated(e.w1(), e.w3(), e.w2(), x);
    }
}
