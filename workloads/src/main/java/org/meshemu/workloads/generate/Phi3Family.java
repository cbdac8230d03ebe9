package org.meshemu.workloads.generate;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Stored;
import org.meshemu.workloads.checkpoint.ConfigJson;
import org.meshemu.workloads.checkpoint.ModelConfig;
import org.meshemu.workloads.checkpoint.ModelWeights;
import org.meshemu.workloads.checkpoint.Phi3Config;
import org.meshemu.workloads.checkpoint.TensorSource;
import org.meshemu.workloads.checkpoint.WeightLayout;
import org.meshemu.workloads.checkpoint.WeightReader;
import org.meshemu.workloads.reference.Generation;
import org.meshemu.workloads.reference.Ops;
import org.meshemu.workloads.reference.ReferenceModel;
import org.meshemu.workloads.reference.RetentionForm;
import org.meshemu.workloads.reference.RopeAttention;

/**
 * Phi-3, dense (HF "phi3", {@code Phi3ForCausalLM}; docs/MODELS.md section 4), the whole family in this class
 * and its config {@link Phi3Config}: the checkpoint's tensors in the HF names, the plain-Java reference and the
 * forward pass as graph operators. A pre-norm decoder: RMSNorm; the fused {@code qkv_proj}; RoPE rotate_half
 * and GQA attention over the KV cache (with the sliding window), the same as Phi-MoE's ({@link RopeAttentionBlock},
 * the reference's {@link RopeAttention}); {@code o_proj}; RMSNorm; the fused {@code gate_up_proj}, silu(gate) * up
 * ({@link Ops#siluGated}, a Phi-MoE expert's MLP); {@code down_proj}; the final RMSNorm and the head.
 *
 * <p>The fused projections are split at load into their row blocks (q, k, v; gate, up): every output row is
 * the same dot product as in the fused matrix, so the numbers are the fused ones, and each block is mapped
 * over the cores like any projection.
 */
public final class Phi3Family implements ModelFamily {
    @Override public String name() { return Phi3Config.MODEL_TYPE; }

    @Override public ModelConfig parseConfig(ConfigJson config) { return Phi3Config.parse(config); }

    /**
     * Phi-3's weights: the matrices held as the checkpoint holds them (bf16 or fp32; mapped from a file), the
     * fused projections as views of their row blocks; the norms fp32. {@code lmHead} is the embedding when tied.
     */
    public record Weights(Phi3Config config, Stored embedTokens, List<Layer> layers, float[] norm, Stored lmHead)
            implements ModelWeights {
        @Override public boolean hasValues() { return embedTokens != null; }
    }

    /** A decoder layer: q [heads hd, H], k and v [kv hd, H], o [H, heads hd], gate and up [I, H], down [H, I]. */
    public record Layer(float[] inputLayernorm, Stored qProj, Stored kProj, Stored vProj, Stored oProj,
                        float[] postAttentionLayernorm, Stored gateProj, Stored upProj, Stored downProj) {}

    @Override
    public void layout(ModelConfig config, WeightLayout g) {
        Phi3Config c = (Phi3Config) config;
        int h = c.hiddenSize(), im = c.intermediateSize();
        g.embedding("model.embed_tokens.weight", c.vocabSize(), h);
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String l = "model.layers." + i + ".";
            g.norm(l + "input_layernorm.weight", h);
            g.linear(l + "self_attn.qkv_proj.weight", c.qkvDim(), h);
            g.linear(l + "self_attn.o_proj.weight", h, c.qDim());
            g.norm(l + "post_attention_layernorm.weight", h);
            g.linear(l + "mlp.gate_up_proj.weight", 2 * im, h);
            g.linear(l + "mlp.down_proj.weight", h, im);
        }
        g.norm("model.norm.weight", h);
        if (!c.tieWordEmbeddings()) {
            g.linear("lm_head.weight", c.vocabSize(), h);
        }
    }

    @Override
    public ModelWeights load(ModelConfig config, TensorSource tensors, boolean values) {
        Phi3Config c = (Phi3Config) config;
        WeightReader r = new WeightReader(tensors, values);
        int h = c.hiddenSize(), im = c.intermediateSize(), q = c.qDim(), kv = c.kvDim(), v = c.vocabSize();
        Stored embed = r.matrix("model.embed_tokens.weight", v, h);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String l = "model.layers." + i + ".";
            Stored qkv = r.matrix(l + "self_attn.qkv_proj.weight", c.qkvDim(), h);
            Stored gateUp = r.matrix(l + "mlp.gate_up_proj.weight", 2 * im, h);
            layers.add(new Layer(r.floats(l + "input_layernorm.weight", h),
                    rows(qkv, 0, q), rows(qkv, q, kv), rows(qkv, q + kv, kv),
                    r.matrix(l + "self_attn.o_proj.weight", h, q), r.floats(l + "post_attention_layernorm.weight", h),
                    rows(gateUp, 0, im), rows(gateUp, im, im), r.matrix(l + "mlp.down_proj.weight", h, im)));
        }
        float[] norm = r.floats("model.norm.weight", h);
        Stored head = c.tieWordEmbeddings() && !r.has("lm_head.weight") ? embed : r.matrix("lm_head.weight", v, h);
        return new Weights(c, embed, List.copyOf(layers), norm, head);
    }

    /** Rows [first, first + n) of a matrix, a view (no copy); null (shape-only) stays null. */
    private static Stored rows(Stored m, int first, int n) {
        return m == null ? null : m.block(first, n, 0, m.cols());
    }

    @Override
    public boolean holdsWeightsAsStored() { return true; }

    @Override
    public ReferenceModel reference(ModelWeights weights, RetentionForm retentionForm, int chunkSize) {
        return new Reference((Weights) weights);
    }

    @Override
    public Forward forward(ModelWeights weights, boolean full, GenerateSpec spec, long seed) {
        return new Phi3((Weights) weights, spec.batch());
    }

    /**
     * The reference, one token at a time with a KV cache, fp32 as {@link Ops}. Prompt tokens use the RoPE of a
     * call of length T (HF prefills in one call), decode tokens that of pos + 1 (the same with the default RoPE).
     */
    private record Reference(Weights w) implements ReferenceModel {
        @Override
        public Generation generate(int[] prompt, int decodeSteps) {
            Phi3Config c = w.config();
            RopeAttention attention = new RopeAttention(c, c.rope(), c.slidingWindow(), c.numHiddenLayers());
            return Generation.tokenByToken(prompt, decodeSteps, c.vocabSize(), (tok, pos, len) -> step(tok, pos, len, attention));
        }

        private float[] step(int token, int pos, int callLength, RopeAttention attention) {
            Phi3Config c = w.config();
            int hidden = c.hiddenSize();
            float eps = (float) c.rmsNormEps();
            float[] h = new float[hidden];                                                          // [H]
            w.embedTokens().widenRow(token, h, 0);
            for (int l = 0; l < w.layers().size(); l++) {
                Layer lw = w.layers().get(l);
                float[] a = Ops.rmsNorm(h, lw.inputLayernorm(), eps);
                float[] q = Ops.matvec(lw.qProj(), a);                                               // [heads * hd]
                float[] k = Ops.matvec(lw.kProj(), a);                                               // [kv * hd]
                float[] v = Ops.matvec(lw.vProj(), a);                                               // [kv * hd]
                float[] o = attention.attend(l, q, k, v, pos, callLength);                           // [heads * hd]
                Ops.addInPlace(h, Ops.matvec(lw.oProj(), o));                                        // [H]
                float[] m = Ops.rmsNorm(h, lw.postAttentionLayernorm(), eps);
                Ops.addInPlace(h, Ops.siluGated(lw.gateProj(), lw.upProj(), lw.downProj(), m));
            }
            return Ops.matvec(w.lmHead(), Ops.rmsNorm(h, w.norm(), eps));                            // [V]
        }
    }

    /** The forward pass as graph operators, operator for operator the reference's. */
    private static final class Phi3 implements Forward {
        private final Weights w;
        private final int hidden, inter, qDim, kvDim;
        private final float eps;
        private final RopeAttentionBlock attention;
        private final Graph.Weight embed, lmHead;

        Phi3(Weights w, int sequences) {
            Phi3Config c = w.config();
            this.w = w;
            hidden = c.hiddenSize();
            inter = c.intermediateSize();
            qDim = c.qDim();
            kvDim = c.kvDim();
            eps = (float) c.rmsNormEps();
            attention = new RopeAttentionBlock(c, c.rope(), c.slidingWindow(), sequences);
            embed = Graph.Weight.stored("embed_tokens", c.vocabSize(), hidden, DType.FP32, w.embedTokens());
            lmHead = Graph.Weight.stored("lm_head", c.vocabSize(), hidden, DType.FP32, w.lmHead());
        }

        @Override
        public Graph.Val block(Graph g, List<Token> tokens, int pos, int callLength) {
            g.layer("embed");
            Graph.Val h = Token.embed(g, embed, tokens);                                                 // [H, T]
            VectorOp.RotateHalf rot = attention.rotation(pos, callLength);
            for (int l = 0; l < w.layers().size(); l++) {
                Layer lw = w.layers().get(l);
                String p = "L" + l + ".";
                g.layer("L" + l);
                // attention block
                Graph.Val a = rmsNorm(g, "input_layernorm", p, h, lw.inputLayernorm());
                Graph.Val q = g.matvec("qkv_proj", Graph.Weight.stored(p + "q_proj", qDim, hidden, DType.FP32, lw.qProj()), a);      // [heads hd, T]
                Graph.Val k = g.matvec("qkv_proj", Graph.Weight.stored(p + "k_proj", kvDim, hidden, DType.FP32, lw.kProj()), a);     // [kv hd, T]
                Graph.Val v = g.matvec("qkv_proj", Graph.Weight.stored(p + "v_proj", kvDim, hidden, DType.FP32, lw.vProj()), a);     // [kv hd, T]
                Graph.Val o = attention.attend(g, p, rot, pos, q, k, v);                                  // [heads hd, T]
                h = g.add("residual", h, g.matvec("o_proj", Graph.Weight.stored(p + "o_proj", hidden, qDim, DType.FP32, lw.oProj()), o));
                // SiLU-gated MLP: h += down(silu(gate m) * (up m))
                Graph.Val m = rmsNorm(g, "post_attention_layernorm", p, h, lw.postAttentionLayernorm());
                Graph.Val gate = g.matvec("gate_up_proj", Graph.Weight.stored(p + "gate_proj", inter, hidden, DType.FP32, lw.gateProj()), m);  // [I, T]
                Graph.Val up = g.matvec("gate_up_proj", Graph.Weight.stored(p + "up_proj", inter, hidden, DType.FP32, lw.upProj()), m);        // [I, T]
                Graph.Val z = g.vector("silu_glu", new VectorOp.SiluMul(), gate, up);                               // [I, T]
                h = g.add("residual", h, g.matvec("down_proj", Graph.Weight.stored(p + "down_proj", hidden, inter, DType.FP32, lw.downProj()), z));
            }
            return h;
        }

        private Graph.Val rmsNorm(Graph g, String op, String p, Graph.Val x, float[] weight) {
            return g.vector(op, new VectorOp.RmsNorm(eps, 1, true), x, g.constant(p + op, weight, hidden));
        }

        @Override
        public Graph.Val head(Graph g, Graph.Val hidden, int row) {
            g.layer("head");
            return g.greedy("lm_head", lmHead, null, rmsNorm(g, "norm", "", hidden, w.norm()), "logits", row);   // logits [V], token
        }
    }
}
