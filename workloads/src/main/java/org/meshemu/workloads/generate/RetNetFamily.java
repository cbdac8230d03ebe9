package org.meshemu.workloads.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.meshemu.aicore.VectorOp;
import org.meshemu.scenario.FieldException;
import org.meshemu.tensor.DType;
import org.meshemu.workloads.checkpoint.ConfigJson;
import org.meshemu.workloads.checkpoint.ModelConfig;
import org.meshemu.workloads.checkpoint.ModelWeights;
import org.meshemu.workloads.checkpoint.RetNetConfig;
import org.meshemu.workloads.checkpoint.RetNetWeights;
import org.meshemu.workloads.checkpoint.TensorSource;
import org.meshemu.workloads.checkpoint.WeightLayout;
import org.meshemu.workloads.fused.RetentionMath;
import org.meshemu.workloads.reference.Ops;
import org.meshemu.workloads.reference.ReferenceModel;
import org.meshemu.workloads.reference.RetNetReference;
import org.meshemu.workloads.reference.Retention;
import org.meshemu.workloads.reference.RetentionForm;

/**
 * RetNet (docs/MODELS.md section 1). The prompt is one block: its projections are GEMMs and its retention
 * runs in the scenario's form ({@code workload.retention}): parallel or chunkwise as one vector-unit
 * operator over the block (whose products run on the matrix unit), which also leaves the recurrent
 * state, or recurrent, one step per token. Decoding is recurrent. The state S [dv, dk] of each head
 * lives in the banks of the core its head runs on ({@link Mixer}); its per-position scalars (c, keep,
 * sqrt(c')) depend only on the position, so they are computed here and travel in the instructions.
 *
 * <p>The family's registration ({@link ModelFamily}): its config {@link RetNetConfig}, checkpoint layout and
 * loader {@link RetNetWeights}, reference {@link RetNetReference}, and the graph below.
 */
public final class RetNetFamily implements ModelFamily {
    @Override public String name() { return RetNetConfig.MODEL_TYPE; }

    @Override public ModelConfig parseConfig(ConfigJson config) { return RetNetConfig.parse(config); }

    @Override public void layout(ModelConfig config, WeightLayout layout) { RetNetWeights.layout((RetNetConfig) config, layout); }

    @Override
    public ModelWeights load(ModelConfig config, TensorSource tensors, boolean values) {
        return RetNetWeights.load(tensors, (RetNetConfig) config, values);
    }

    @Override
    public boolean holdsWeightsAsStored() { return true; }

    @Override
    public ReferenceModel reference(ModelWeights weights, RetentionForm retentionForm, int chunkSize) {
        return new RetNetReference((RetNetWeights) weights, retentionForm, chunkSize);
    }

    /** The parallel and chunkwise forms take the whole prompt at once. */
    @Override
    public void check(GenerateSpec spec) {
        if (spec.batch() > 1) {
            throw new FieldException("batch", spec.batch(), "1 for retnet: its retention keeps one sequence's state (the attention families "
                    + "phimoe, phi3 and bitnet decode batches)");
        }
        if (spec.promptBlocks().size() > 1 && !spec.retention().equals("recurrent")) {
            throw new FieldException("prefillBlock", spec.prefillBlock(), "0 or at least the prompt's " + spec.prompt().size()
                    + " tokens: the " + spec.retention() + " retention form takes the whole prompt in one block (or set retention: recurrent)");
        }
    }

    @Override
    public Forward forward(ModelWeights weights, boolean full, GenerateSpec spec, long seed) {
        return new RetNet((RetNetWeights) weights, RetentionForm.valueOf(spec.retention().toUpperCase(Locale.ROOT)), spec.chunkSize());
    }

    private static final class RetNet implements Forward {
        private final RetNetWeights w;
        private final int d, dv, heads, dk, dvh, ffn, vocab;
        private final float eps, embedScale, keyScale;
        private final float[] angle, logDecay;
        private final float[][] scale; // per layer and head: the recurrent scale c after the last step
        private final Graph.Weight embed, lmHead;
        private final RetentionForm form;
        private final int chunkSize;

        RetNet(RetNetWeights w, RetentionForm form, int chunkSize) {
            this.form = form;
            this.chunkSize = chunkSize;
            RetNetConfig c = w.config();
            this.w = w;
            d = c.decoderEmbedDim();
            dv = c.decoderValueEmbedDim();
            heads = c.decoderRetentionHeads();
            dk = c.keyHeadDim();
            dvh = c.valueHeadDim();
            ffn = c.decoderFfnEmbedDim();
            vocab = c.vocabSize();
            eps = (float) c.layernormEps();
            embedScale = c.noScaleEmbedding() ? 1f : (float) Math.sqrt(d);
            keyScale = (float) Math.pow(dk, -0.5);
            angle = Ops.retNetAngles(dk);
            logDecay = Ops.retNetLogDecays(heads, c.useLmDecay());
            scale = new float[w.layers().size()][heads];
            embed = Graph.Weight.stored("embed_tokens", vocab, d, DType.FP32, w.embedTokens());
            lmHead = Graph.Weight.stored("lm_head", vocab, d, DType.FP32, w.lmHead());
        }


        @Override
        public Graph.Val block(Graph g, List<Token> tokens, int pos, int callLength) {
            g.layer("embed");
            Graph.Val h = Token.embed(g, embed, tokens);                                               // [D, T]
            if (embedScale != 1f) h = g.vector("embed_scale", new VectorOp.Scale(embedScale), h);
            if (w.config().layernormEmbedding()) {
                h = g.vector("layernorm_embedding", new VectorOp.RmsNorm(eps, 1, true), h, g.constant("layernorm_embedding", w.layernormEmbedding(), d));
            }
            for (int l = 0; l < w.layers().size(); l++) {
                RetNetWeights.Layer lw = w.layers().get(l);
                String p = "L" + l + ".";
                g.layer("L" + l);
                // multi-scale retention: h += out_proj(silu(g) * GroupNorm(Retention(q, k, v)))
                Graph.Val a = g.vector("retention_layer_norm", new VectorOp.RmsNorm(eps, 1, true), h,
                        g.constant(p + "retention_layer_norm", lw.retentionLayerNorm(), d));                // [D]
                Graph.Val q = g.matvec("q_proj", Graph.Weight.stored(p + "q_proj", d, d, DType.FP32, lw.qProj()), a);      // [D]
                Graph.Val k = g.matvec("k_proj", Graph.Weight.stored(p + "k_proj", d, d, DType.FP32, lw.kProj()), a);      // [D]
                k = g.vector("k_scale", new VectorOp.Scale(keyScale), k);                                   // k * dk^-0.5
                Graph.Val v = g.matvec("v_proj", Graph.Weight.stored(p + "v_proj", dv, d, DType.FP32, lw.vProj()), a);     // [Dv]
                q = g.vector("rotate", new VectorOp.RotateInterleaved(pos, angle, dk), q);
                k = g.vector("rotate", new VectorOp.RotateInterleaved(pos, angle, dk), k);
                Graph.Val o = retention(g, l, pos, q, k, v);                                                // [Dv, T]
                o = g.vector("group_norm", new VectorOp.RmsNorm(eps, heads, false), o);                     // per head
                // the gate after the retention, so that q, k and v are gone before it arrives (the lead's SRAM peak)
                Graph.Val gate = g.matvec("g_proj", Graph.Weight.stored(p + "g_proj", dv, d, DType.FP32, lw.gProj()), a);  // [Dv]
                Graph.Val x = g.vector("swish_gate", new VectorOp.SiluMul(), gate, o);                      // [Dv]
                h = g.add("residual", h, g.matvec("out_proj", Graph.Weight.stored(p + "out_proj", d, dv, DType.FP32, lw.outProj()), x));
                // gated FFN: h += fc2(swish(fc1 x) * gate x)
                Graph.Val b = g.vector("final_layer_norm", new VectorOp.RmsNorm(eps, 1, true), h,
                        g.constant(p + "final_layer_norm", lw.finalLayerNorm(), d));                       // [D]
                Graph.Val f1 = g.matvec("fc1", Graph.Weight.stored(p + "fc1", ffn, d, DType.FP32, lw.fc1()), b);           // [F]
                Graph.Val f2 = g.matvec("ffn_gate", Graph.Weight.stored(p + "ffn_gate", ffn, d, DType.FP32, lw.gate()), b); // [F]
                Graph.Val z = g.vector("swish_glu", new VectorOp.SiluMul(), f1, f2);                        // [F]
                h = g.add("residual", h, g.matvec("fc2", Graph.Weight.stored(p + "fc2", d, ffn, DType.FP32, lw.fc2()), z)); // [D]
            }
            return h;
        }

        /**
         * The block's retention output [Dv, T]: the prompt in the parallel or chunkwise form as one operator, which
         * also leaves the state; otherwise one recurrent step per token, S := S keep + v k^T / sqrt(c') per head
         * (S := v k^T for the first token). The per-step scalars depend on the position only.
         */
        private Graph.Val retention(Graph g, int layer, int pos, Graph.Val q, Graph.Val k, Graph.Val v) {
            int t = q.shape().cols();
            Mixer mixer;
            if (pos == 0 && form != RetentionForm.RECURRENT) {   // the prompt, even of one token: the reference's form too
                mixer = new Mixer.PromptRetention(heads, dk, dvh, logDecay, form == RetentionForm.PARALLEL ? 0 : chunkSize);
                for (int hd = 0; hd < heads; hd++) scale[layer][hd] = RetentionMath.scaleAfter(logDecay[hd], t);
            } else {
                List<Mixer.RetentionStep> steps = new ArrayList<>(t);
                for (int i = 0; i < t; i++) {
                    float[] keep = new float[heads], sqNew = new float[heads];
                    boolean first = false;
                    for (int hd = 0; hd < heads; hd++) {
                        Retention.Step st = Retention.step(scale[layer][hd], logDecay[hd]);
                        first = st.first();
                        keep[hd] = st.keep();
                        sqNew[hd] = st.sqNew();
                        scale[layer][hd] = st.c();
                    }
                    steps.add(new Mixer.RetentionStep(first, keep, sqNew));
                }
                mixer = new Mixer.RecurrentRetention(heads, dk, dvh, steps);
            }
            return g.mix("retention", mixer, "L" + layer + ".retention", q, k, v);
        }

        @Override
        public Graph.Val head(Graph g, Graph.Val hidden, int row) {
            g.layer("head");
            Graph.Val f = g.vector("layer_norm", new VectorOp.RmsNorm(eps, 1, true), hidden, g.constant("layer_norm", w.layerNorm(), d));
            return g.greedy("lm_head", lmHead, null, f, "logits", row);                                   // logits [V], token
        }
    }
}
