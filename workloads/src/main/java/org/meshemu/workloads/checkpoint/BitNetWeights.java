package org.meshemu.workloads.checkpoint;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.tensor.Stored;

/**
 * BitNet b1.58 weights in the HF "bitnet" offline layout: packed ternary projections with scales, fp norms and
 * an fp embedding that doubles as the (unquantised) head when tied.
 *
 * <p>Contract: shapes as docs/MODELS.md section 3; {@code lmHead} is {@code embedTokens} when tied. The embedding,
 * the head and the projections are held as the checkpoint holds them (mapped from a file).
 */
public record BitNetWeights(BitNetConfig config, Stored embedTokens, List<Layer> layers, float[] norm,
                            Stored lmHead) implements ModelWeights {

    @Override
    public boolean hasValues() {
        return embedTokens != null;
    }


    /** A decoder layer: RMSNorm weights (the sub-norms sit before o_proj and down_proj) and seven projections. */
    public record Layer(float[] inputLayernorm, float[] postAttentionLayernorm, float[] attnSubNorm,
                        float[] ffnSubNorm, TernaryLinear qProj, TernaryLinear kProj, TernaryLinear vProj,
                        TernaryLinear oProj, TernaryLinear gateProj, TernaryLinear upProj, TernaryLinear downProj) {
    }

    /** Declares this family's tensors, in the random checkpoint's file order (the order is its format). */
    public static void layout(BitNetConfig c, WeightLayout g) {
        int h = c.hiddenSize();
        int im = c.intermediateSize();
        g.embedding("model.embed_tokens.weight", c.vocabSize(), h);
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String l = "model.layers." + i + ".";
            g.norm(l + "input_layernorm.weight", h);
            g.norm(l + "post_attention_layernorm.weight", h);
            g.norm(l + "self_attn.attn_sub_norm.weight", h);
            g.norm(l + "mlp.ffn_sub_norm.weight", im);
            g.ternary(l + "self_attn.q_proj", c.qDim(), h);
            g.ternary(l + "self_attn.k_proj", c.kvDim(), h);
            g.ternary(l + "self_attn.v_proj", c.kvDim(), h);
            g.ternary(l + "self_attn.o_proj", h, c.qDim());
            g.ternary(l + "mlp.gate_proj", im, h);
            g.ternary(l + "mlp.up_proj", im, h);
            g.ternary(l + "mlp.down_proj", h, im);
        }
        g.norm("model.norm.weight", h);
        if (!c.tieWordEmbeddings()) {
            g.linear("lm_head.weight", c.vocabSize(), h);
        }
    }

    public static BitNetWeights load(TensorSource src, BitNetConfig c, boolean values) {
        WeightReader r = new WeightReader(src, values);
        int h = c.hiddenSize();
        int im = c.intermediateSize();
        int v = c.vocabSize();
        Stored embed = r.matrix("model.embed_tokens.weight", v, h);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String l = "model.layers." + i + ".";
            String a = l + "self_attn.";
            String m = l + "mlp.";
            layers.add(new Layer(r.floats(l + "input_layernorm.weight", h),
                    r.floats(l + "post_attention_layernorm.weight", h), r.floats(a + "attn_sub_norm.weight", h),
                    r.floats(m + "ffn_sub_norm.weight", im), r.ternary(a + "q_proj", c.qDim(), h),
                    r.ternary(a + "k_proj", c.kvDim(), h), r.ternary(a + "v_proj", c.kvDim(), h),
                    r.ternary(a + "o_proj", h, c.qDim()), r.ternary(m + "gate_proj", im, h),
                    r.ternary(m + "up_proj", im, h), r.ternary(m + "down_proj", h, im)));
        }
        float[] norm = r.floats("model.norm.weight", h);
        Stored head = c.tieWordEmbeddings() && !r.has("lm_head.weight") ? embed : r.matrix("lm_head.weight", v, h);
        return new BitNetWeights(c, embed, List.copyOf(layers), norm, head);
    }
}
