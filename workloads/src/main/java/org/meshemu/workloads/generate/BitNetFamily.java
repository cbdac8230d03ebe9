package org.meshemu.workloads.generate;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.workloads.checkpoint.BitNetConfig;
import org.meshemu.workloads.checkpoint.BitNetWeights;
import org.meshemu.workloads.checkpoint.ConfigJson;
import org.meshemu.workloads.checkpoint.ModelConfig;
import org.meshemu.workloads.checkpoint.ModelWeights;
import org.meshemu.workloads.checkpoint.TensorSource;
import org.meshemu.workloads.checkpoint.TernaryLinear;
import org.meshemu.workloads.checkpoint.WeightLayout;
import org.meshemu.workloads.reference.BitNetReference;
import org.meshemu.workloads.reference.ReferenceModel;
import org.meshemu.workloads.reference.RetentionForm;

/**
 * BitNet b1.58 decoding (docs/MODELS.md section 3): every projection is a BitLinear, i.e. per-token int8
 * activations (absmax scale on the vector unit), the ternary weights through the LUT-GEMM with exact
 * int32 sums, then * weight_scale / s; RoPE rotate_half, GQA attention over the KV cache kept row by
 * row, by KV head, in its core's banks; the tied head in fp32, not quantised.
 *
 * <p>The family's registration ({@link ModelFamily}): its config {@link BitNetConfig}, checkpoint layout and
 * loader {@link BitNetWeights}, reference {@link BitNetReference}, and the graph below.
 */
public final class BitNetFamily implements ModelFamily {
    @Override public String name() { return BitNetConfig.MODEL_TYPE; }

    @Override public ModelConfig parseConfig(ConfigJson config) { return BitNetConfig.parse(config); }

    @Override public void layout(ModelConfig config, WeightLayout layout) { BitNetWeights.layout((BitNetConfig) config, layout); }

    @Override
    public ModelWeights load(ModelConfig config, TensorSource tensors, boolean values) {
        return BitNetWeights.load(tensors, (BitNetConfig) config, values);
    }

    @Override
    public boolean holdsWeightsAsStored() { return true; }

    @Override
    public ReferenceModel reference(ModelWeights weights, RetentionForm retentionForm, int chunkSize) {
        return new BitNetReference((BitNetWeights) weights);
    }

    @Override
    public Forward forward(ModelWeights weights, boolean full, GenerateSpec spec, long seed) {
        return new BitNet((BitNetWeights) weights, spec.batch());
    }

    private static final class BitNet implements Forward {
        private final BitNetWeights w;
        private final BitNetConfig c;
        private final int hidden, inter, vocab;
        private final float eps;
        private final RopeAttentionBlock attention;
        private final Graph.Weight embed, lmHead;
        private final java.util.Map<String, Graph.Weight> ternary = new java.util.HashMap<>(); // one per projection

        BitNet(BitNetWeights w, int sequences) {
            this.w = w;
            c = w.config();
            hidden = c.hiddenSize();
            inter = c.intermediateSize();
            vocab = c.vocabSize();
            eps = (float) c.rmsNormEps();
            attention = new RopeAttentionBlock(c, c.rope(), 0, sequences);
            embed = Graph.Weight.stored("embed_tokens", vocab, hidden, DType.FP32, w.embedTokens());
            lmHead = Graph.Weight.stored("lm_head", vocab, hidden, DType.FP32, w.lmHead());
        }

        @Override
        public Graph.Val block(Graph g, List<Token> tokens, int pos, int callLength) {
            g.layer("embed");
            Graph.Val h = Token.embed(g, embed, tokens);                                                // [H, T]
            VectorOp.RotateHalf rot = attention.rotation(pos, callLength);
            for (int l = 0; l < w.layers().size(); l++) {
                BitNetWeights.Layer lw = w.layers().get(l);
                String p = "L" + l + ".";
                g.layer("L" + l);
                // attention block
                Graph.Val a = g.vector("input_layernorm", new VectorOp.RmsNorm(eps, 1, true), h,
                        g.constant(p + "input_layernorm", lw.inputLayernorm(), hidden));                     // [H]
                Quantised qa = quantise(g, a);
                Graph.Val q = bitLinear(g, "q_proj", p, lw.qProj(), qa);                                    // [heads hd]
                Graph.Val k = bitLinear(g, "k_proj", p, lw.kProj(), qa);                                    // [kv hd]
                Graph.Val v = bitLinear(g, "v_proj", p, lw.vProj(), qa);                                    // [kv hd]
                Graph.Val o = attention.attend(g, p, rot, pos, q, k, v);                                    // [heads hd, T]
                o = g.vector("attn_sub_norm", new VectorOp.RmsNorm(eps, 1, true), o,
                        g.constant(p + "attn_sub_norm", lw.attnSubNorm(), hidden));
                h = g.add("residual", h, bitLinear(g, "o_proj", p, lw.oProj(), quantise(g, o)));          // [H]
                // relu^2 GLU block
                Graph.Val m = g.vector("post_attention_layernorm", new VectorOp.RmsNorm(eps, 1, true), h,
                        g.constant(p + "post_attention_layernorm", lw.postAttentionLayernorm(), hidden));
                Quantised qm = quantise(g, m);
                Graph.Val gate = bitLinear(g, "gate_proj", p, lw.gateProj(), qm);                         // [I]
                Graph.Val up = bitLinear(g, "up_proj", p, lw.upProj(), qm);                               // [I]
                Graph.Val z = g.vector("relu2_glu", new VectorOp.Relu2Mul(), gate, up);                   // [I]
                z = g.vector("ffn_sub_norm", new VectorOp.RmsNorm(eps, 1, true), z,
                        g.constant(p + "ffn_sub_norm", lw.ffnSubNorm(), inter));
                h = g.add("residual", h, bitLinear(g, "down_proj", p, lw.downProj(), quantise(g, z)));    // [H]
            }
            return h;
        }

        /** int8 activations and their scale s. */
        private record Quantised(Graph.Val q, Graph.Val scale) {}

        private static Quantised quantise(Graph g, Graph.Val x) {
            Graph.Val s = g.vector("quantise", new VectorOp.AbsMaxScale(), x);                             // 1 x T
            return new Quantised(g.vector("quantise", new VectorOp.Quantise(), x, s), s);                 // int8
        }

        /** acc = W_tern q exactly (LUT-GEMM), then acc * weight_scale / s. */
        private Graph.Val bitLinear(Graph g, String op, String prefix, TernaryLinear t, Quantised x) {
            Graph.Weight wt = ternary.computeIfAbsent(prefix + op,
                    name -> Graph.Weight.stored(name, t.outFeatures(), t.inFeatures(), DType.TERNARY, t.packed()));   // packed as stored
            Graph.Val acc = g.matvec(op, wt, x.q());                                                      // int32 [out, T]
            return g.vector(op, new VectorOp.Dequantise(t.weightScale(), c.scaleDivides()), acc, x.scale());
        }

        @Override
        public Graph.Val head(Graph g, Graph.Val hidden, int row) {
            g.layer("head");
            Graph.Val f = g.vector("norm", new VectorOp.RmsNorm(eps, 1, true), hidden, g.constant("norm", w.norm(), this.hidden));
            return g.greedy("lm_head", lmHead, null, f, "logits", row);                                 // logits [V] fp32, token
        }
    }

}
