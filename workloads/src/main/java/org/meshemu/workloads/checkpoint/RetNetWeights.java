package org.meshemu.workloads.checkpoint;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.tensor.Stored;

/**
 * RetNet weights (torchscale "decoder." or syncdoth "model." naming, current no-bias layout).
 *
 * <p>Contract: shapes as docs/MODELS.md section 1; the matrices held as the checkpoint holds them (fp32 or bf16;
 * mapped from a file), the norm weights fp32; {@code layernormEmbedding} is null unless the config enables it;
 * {@code lmHead} is the embedding itself when the config ties them and no head tensor is stored.
 */
public record RetNetWeights(RetNetConfig config, Stored embedTokens, float[] layernormEmbedding,
                            List<Layer> layers, float[] layerNorm, Stored lmHead) implements ModelWeights {

    @Override
    public boolean hasValues() {
        return embedTokens != null;
    }


    /** One retention block: MSR projections [out, in] and the FFN (fc1/gate [F, D], fc2 [D, F]). */
    public record Layer(Stored qProj, Stored kProj, Stored vProj, Stored gProj, Stored outProj,
                        float[] retentionLayerNorm, float[] finalLayerNorm, Stored fc1, Stored gate,
                        Stored fc2) {
    }

    /** Declares this family's tensors, in the random checkpoint's file order (the order is its format). */
    public static void layout(RetNetConfig c, WeightLayout g) {
        int d = c.decoderEmbedDim();
        int dv = c.decoderValueEmbedDim();
        int f = c.decoderFfnEmbedDim();
        g.embedding("model.embed_tokens.weight", c.vocabSize(), d);
        if (c.layernormEmbedding()) {
            g.norm("model.layernorm_embedding.weight", d);
        }
        for (int i = 0; i < c.decoderLayers(); i++) {
            String l = "model.layers." + i + ".";
            g.linear(l + "retention.q_proj.weight", d, d);
            g.linear(l + "retention.k_proj.weight", d, d);
            g.linear(l + "retention.v_proj.weight", dv, d);
            g.linear(l + "retention.g_proj.weight", dv, d);
            g.linear(l + "retention.out_proj.weight", d, dv);
            g.norm(l + "retention_layer_norm.weight", d);
            g.norm(l + "final_layer_norm.weight", d);
            g.linear(l + "ffn.fc1.weight", f, d);
            g.linear(l + "ffn.gate.weight", f, d);
            g.linear(l + "ffn.fc2.weight", d, f);
        }
        g.norm("model.layer_norm.weight", d);
        if (!c.tieWordEmbeddings()) {
            g.linear("lm_head.weight", c.vocabSize(), d);
        }
    }

    public static RetNetWeights load(TensorSource src, RetNetConfig c, boolean values) {
        rejectOldLayout(src);
        WeightReader r = new WeightReader(src, values);
        String p = r.has("decoder.embed_tokens.weight") && !r.has("model.embed_tokens.weight") ? "decoder." : "model.";
        int d = c.decoderEmbedDim();
        int dv = c.decoderValueEmbedDim();
        int f = c.decoderFfnEmbedDim();
        int v = c.vocabSize();
        Stored embed = r.matrix(p + "embed_tokens.weight", v, d);
        float[] embNorm = c.layernormEmbedding() ? r.floats(p + "layernorm_embedding.weight", d) : null;
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < c.decoderLayers(); i++) {
            String l = p + "layers." + i + ".";
            String m = l + "retention.";
            layers.add(new Layer(r.matrix(m + "q_proj.weight", d, d), r.matrix(m + "k_proj.weight", d, d),
                    r.matrix(m + "v_proj.weight", dv, d), r.matrix(m + "g_proj.weight", dv, d),
                    r.matrix(m + "out_proj.weight", d, dv), r.floats(l + "retention_layer_norm.weight", d),
                    r.floats(l + "final_layer_norm.weight", d), r.matrix(l + "ffn.fc1.weight", f, d),
                    r.matrix(l + "ffn.gate.weight", f, d), r.matrix(l + "ffn.fc2.weight", d, f)));
        }
        float[] norm = r.floats(p + "layer_norm.weight", d);
        String head = p.equals("decoder.") ? "decoder.output_projection.weight" : "lm_head.weight";
        Stored lmHead = c.tieWordEmbeddings() && !r.has(head) ? embed : r.matrix(head, v, d);
        return new RetNetWeights(c, embed, embNorm, List.copyOf(layers), norm, lmHead);
    }

    /** Before torchscale's 2023-09 rewrite, retention and FFN had biases (and LayerNorm); the maths differ. */
    private static void rejectOldLayout(TensorSource src) {
        for (String name : src.names()) {
            if (name.endsWith(".bias") && name.contains(".layers.")) {
                throw CheckpointException.tensor(src.location(name), name, "bias tensors in retention/ffn are the "
                        + "pre-2023-09 torchscale RetNet layout, which is not supported (the current layout has no "
                        + "biases); re-export the checkpoint from torchscale >= 0.3 / syncdoth RetNet");
            }
        }
    }
}
