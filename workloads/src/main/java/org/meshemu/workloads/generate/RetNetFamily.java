package org.meshemu.workloads.generate;

import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.workloads.checkpoint.ModelWeights;
import org.meshemu.workloads.checkpoint.RetNetConfig;
import org.meshemu.workloads.checkpoint.RetNetWeights;
import org.meshemu.workloads.reference.Ops;
import org.meshemu.workloads.reference.Retention;

/**
 * RetNet decoding with recurrent retention (MODELS.md section 1), every token (prompt ones too) as a
 * recurrent step: the prompt is not run in the parallel or chunkwise form on the emulator. The state
 * S [H * dv, dk] of each layer lives in the lead core's bank; its per-position scalars (c, keep,
 * sqrt(c')) depend only on the position, so they are computed here and travel in the instructions.
 */
final class RetNetFamily implements ModelFamily {
    @Override public String name() { return RetNetConfig.MODEL_TYPE; }

    @Override
    public Forward forward(ModelWeights weights, boolean full) {
        return new RetNet((RetNetWeights) weights, full);
    }

    private static final class RetNet implements Forward {
        private final RetNetWeights w;
        private final int d, dv, heads, dk, dvh, ffn, vocab;
        private final float eps, embedScale, keyScale;
        private final float[] angle, logDecay;
        private final float[][] scale; // per layer and head: the recurrent scale c after the last step
        private final Graph.Weight embed, lmHead;

        RetNet(RetNetWeights w, boolean full) {
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
            embed = new Graph.Weight("embed_tokens", vocab, d, DType.FP32, w.embedTokens());
            lmHead = new Graph.Weight("lm_head", vocab, d, DType.FP32, w.lmHead());
        }

        private static Graph.Weight fp32(String name, int rows, int cols, float[] data) {
            return new Graph.Weight(name, rows, cols, DType.FP32, data);
        }

        @Override
        public Graph.Val step(Graph g, Token token, int pos, int callLength) {
            g.layer("embed");
            Graph.Val h = token.embed(g, embed);                                                       // [D]
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
                Graph.Val q = g.matvec("q_proj", fp32(p + "q_proj", d, d, lw.qProj()), a);                  // [D]
                Graph.Val k = g.matvec("k_proj", fp32(p + "k_proj", d, d, lw.kProj()), a);                  // [D]
                k = g.vector("k_scale", new VectorOp.Scale(keyScale), k);                                   // k * dk^-0.5
                Graph.Val v = g.matvec("v_proj", fp32(p + "v_proj", dv, d, lw.vProj()), a);                 // [Dv]
                Graph.Val gate = g.matvec("g_proj", fp32(p + "g_proj", dv, d, lw.gProj()), a);              // [Dv]
                q = g.vector("rotate", new VectorOp.RotateInterleaved(pos, angle, dk), q);
                k = g.vector("rotate", new VectorOp.RotateInterleaved(pos, angle, dk), k);
                Graph.Val s = retentionUpdate(g, l, k, v);                                                  // S [H dv, dk]
                Graph.Val o = g.vector("retention", new VectorOp.RetentionRead(heads), s, q);               // [Dv] = S_h q_h
                o = g.vector("group_norm", new VectorOp.RmsNorm(eps, heads, false), o);                     // per head
                Graph.Val x = g.vector("swish_gate", new VectorOp.SiluMul(), gate, o);                      // [Dv]
                h = g.add("residual", h, g.matvec("out_proj", fp32(p + "out_proj", d, dv, lw.outProj()), x));
                // gated FFN: h += fc2(swish(fc1 x) * gate x)
                Graph.Val b = g.vector("final_layer_norm", new VectorOp.RmsNorm(eps, 1, true), h,
                        g.constant(p + "final_layer_norm", lw.finalLayerNorm(), d));                       // [D]
                Graph.Val f1 = g.matvec("fc1", fp32(p + "fc1", ffn, d, lw.fc1()), b);                       // [F]
                Graph.Val f2 = g.matvec("ffn_gate", fp32(p + "ffn_gate", ffn, d, lw.gate()), b);            // [F]
                Graph.Val z = g.vector("swish_glu", new VectorOp.SiluMul(), f1, f2);                        // [F]
                h = g.add("residual", h, g.matvec("fc2", fp32(p + "fc2", d, ffn, lw.fc2()), z));           // [D]
            }
            return h;
        }

        /** S := S keep + v k^T / sqrt(c') per head (S := v k^T for the first token), kept in the bank. */
        private Graph.Val retentionUpdate(Graph g, int layer, Graph.Val k, Graph.Val v) {
            float[] keep = new float[heads], sqNew = new float[heads];
            boolean first = false;
            for (int hd = 0; hd < heads; hd++) {
                Retention.Step st = Retention.step(scale[layer][hd], logDecay[hd]);
                first = st.first();
                keep[hd] = st.keep();
                sqNew[hd] = st.sqNew();
                scale[layer][hd] = st.c();
            }
            String key = "L" + layer + ".retention_state";
            VectorOp.RetentionUpdate op = new VectorOp.RetentionUpdate(heads, dk, dvh, first, keep, sqNew);
            Graph.Val s = first ? g.vector("retention", op, k, v)
                    : g.vector("retention", op, g.loadState(key, new Shape(heads * dvh, dk, DType.FP32)), k, v);
            g.storeState(key, s);
            return s;
        }

        @Override
        public Graph.Val head(Graph g, Graph.Val hidden) {
            g.layer("head");
            Graph.Val f = g.vector("layer_norm", new VectorOp.RmsNorm(eps, 1, true), hidden, g.constant("layer_norm", w.layerNorm(), d));
            return g.matvec("lm_head", lmHead, f);                                                        // [V]
        }
    }
}
