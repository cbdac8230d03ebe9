package org.meshemu.workloads.checkpoint;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.tensor.Stored;

/**
 * Phi-3.5-MoE / GRIN-MoE weights in the HF "phimoe" naming.
 *
 * <p>Contract: shapes as docs/MODELS.md section 2; the matrices held as the checkpoint holds them (fp32 or bf16;
 * mapped from a file), norms and biases fp32; attention biases are null when {@code attention_bias} is false,
 * {@code lmHeadBias} null when {@code lm_head_bias} is false; {@code lmHead} is the embedding when tied.
 */
public record PhiMoeWeights(PhiMoeConfig config, Stored embedTokens, List<Layer> layers, float[] normWeight,
                            float[] normBias, Stored lmHead, float[] lmHeadBias) implements ModelWeights {

    @Override
    public boolean hasValues() {
        return embedTokens != null;
    }


    /** A decoder layer: two affine LayerNorms, GQA projections, the router [E, H] and the experts. */
    public record Layer(float[] inputLayernormWeight, float[] inputLayernormBias, Stored qProj, float[] qBias,
                        Stored kProj, float[] kBias, Stored vProj, float[] vBias, Stored oProj, float[] oBias,
                        float[] postAttentionLayernormWeight, float[] postAttentionLayernormBias, Stored router,
                        List<Expert> experts) {
    }

    /** A SwiGLU expert: w1 (gate) and w3 (up) [I, H], w2 (down) [H, I]. */
    public record Expert(Stored w1, Stored w2, Stored w3) {
    }

    /** Declares this family's tensors, in the random checkpoint's file order (the order is its format). */
    public static void layout(PhiMoeConfig c, WeightLayout g) {
        int h = c.hiddenSize();
        int im = c.intermediateSize();
        g.embedding("model.embed_tokens.weight", c.vocabSize(), h);
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String l = "model.layers." + i + ".";
            g.norm(l + "input_layernorm.weight", h);
            g.bias(l + "input_layernorm.bias", h);
            for (String[] p : new String[][] {{"q", "" + c.qDim()}, {"k", "" + c.kvDim()}, {"v", "" + c.kvDim()}}) {
                g.linear(l + "self_attn." + p[0] + "_proj.weight", Integer.parseInt(p[1]), h);
                if (c.attentionBias()) {
                    g.bias(l + "self_attn." + p[0] + "_proj.bias", Integer.parseInt(p[1]));
                }
            }
            g.linear(l + "self_attn.o_proj.weight", h, c.qDim());
            if (c.attentionBias()) {
                g.bias(l + "self_attn.o_proj.bias", h);
            }
            g.norm(l + "post_attention_layernorm.weight", h);
            g.bias(l + "post_attention_layernorm.bias", h);
            g.linear(l + "block_sparse_moe.gate.weight", c.numLocalExperts(), h);
            for (int e = 0; e < c.numLocalExperts(); e++) {
                String x = l + "block_sparse_moe.experts." + e + ".";
                g.linear(x + "w1.weight", im, h);
                g.linear(x + "w2.weight", h, im);
                g.linear(x + "w3.weight", im, h);
            }
        }
        g.norm("model.norm.weight", h);
        g.bias("model.norm.bias", h);
        if (!c.tieWordEmbeddings()) {
            g.linear("lm_head.weight", c.vocabSize(), h);
        }
        if (c.lmHeadBias()) {
            g.bias("lm_head.bias", c.vocabSize());
        }
    }

    public static PhiMoeWeights load(TensorSource src, PhiMoeConfig c, boolean values) {
        WeightReader r = new WeightReader(src, values);
        int h = c.hiddenSize();
        int im = c.intermediateSize();
        int q = c.qDim();
        int kv = c.kvDim();
        int v = c.vocabSize();
        boolean ab = c.attentionBias();
        Stored embed = r.matrix("model.embed_tokens.weight", v, h);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String l = "model.layers." + i + ".";
            String a = l + "self_attn.";
            String m = l + "block_sparse_moe.";
            List<Expert> experts = new ArrayList<>();
            for (int e = 0; e < c.numLocalExperts(); e++) {
                String x = m + "experts." + e + ".";
                experts.add(new Expert(r.matrix(x + "w1.weight", im, h), r.matrix(x + "w2.weight", h, im),
                        r.matrix(x + "w3.weight", im, h)));
            }
            layers.add(new Layer(r.floats(l + "input_layernorm.weight", h), r.floats(l + "input_layernorm.bias", h),
                    r.matrix(a + "q_proj.weight", q, h), ab ? r.floats(a + "q_proj.bias", q) : null,
                    r.matrix(a + "k_proj.weight", kv, h), ab ? r.floats(a + "k_proj.bias", kv) : null,
                    r.matrix(a + "v_proj.weight", kv, h), ab ? r.floats(a + "v_proj.bias", kv) : null,
                    r.matrix(a + "o_proj.weight", h, q), ab ? r.floats(a + "o_proj.bias", h) : null,
                    r.floats(l + "post_attention_layernorm.weight", h),
                    r.floats(l + "post_attention_layernorm.bias", h),
                    r.matrix(m + "gate.weight", c.numLocalExperts(), h), List.copyOf(experts)));
        }
        float[] normW = r.floats("model.norm.weight", h);
        float[] normB = r.floats("model.norm.bias", h);
        Stored head = c.tieWordEmbeddings() && !r.has("lm_head.weight") ? embed : r.matrix("lm_head.weight", v, h);
        float[] headBias = c.lmHeadBias() ? r.floats("lm_head.bias", v) : null;
        return new PhiMoeWeights(c, embed, List.copyOf(layers), normW, normB, head, headBias);
    }
}
