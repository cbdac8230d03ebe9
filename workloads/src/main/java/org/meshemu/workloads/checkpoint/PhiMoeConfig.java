package org.meshemu.workloads.checkpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Phi-3.5-MoE / GRIN-MoE hyper-parameters (HF model_type "phimoe").
 *
 * <p>Contract: num_experts_per_tok in [1, num_local_experts] (the sparsemixer gate, the default, needs 2: the
 * family refuses other counts with it, naming {@code workload.gate.kind}), silu experts, GQA with whole
 * groups. {@code slidingWindow} 0 means no window; otherwise key j is visible from query i iff
 * {@code 0 <= i - j < slidingWindow}. Optional keys default as in HF's {@code PhimoeConfig}
 * (attention_bias, lm_head_bias false; rope_theta 1e6; router_jitter_noise 0.01).
 */
public record PhiMoeConfig(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers,
                           int numAttentionHeads, int numKeyValueHeads, int headDim, double rmsNormEps,
                           RopeConfig rope, int slidingWindow, int numLocalExperts, int numExpertsPerTok,
                           double routerJitterNoise, boolean attentionBias, boolean lmHeadBias,
                           boolean tieWordEmbeddings, int maxPositionEmbeddings, String dtype)
        implements ModelConfig, AttentionShape {
    public static final String MODEL_TYPE = "phimoe";

    public PhiMoeConfig {
        InvalidConfig.checkAttention(numAttentionHeads, numKeyValueHeads, headDim);
        InvalidConfig.check(numLocalExperts >= 2 && numLocalExperts <= ConfigJson.MAX_LAYERS, "num_local_experts", numLocalExperts,
                "must be in [2, " + ConfigJson.MAX_LAYERS + "]"); // every expert is a tensor per layer
        InvalidConfig.check(numExpertsPerTok >= 1 && numExpertsPerTok <= numLocalExperts, "num_experts_per_tok", numExpertsPerTok,
                "must be in [1, num_local_experts]");
        InvalidConfig.check(slidingWindow >= 0, "sliding_window", slidingWindow, "must be >= 1 or null");
        InvalidConfig.check(rmsNormEps >= 0, "rms_norm_eps", rmsNormEps, "must be >= 0");
    }

    /** A GRIN-like config (no rope scaling, biases on, untied) of the given size. */
    public static PhiMoeConfig of(int hidden, int intermediate, int layers, int heads, int kvHeads, int experts,
                                  int vocab) {
        return new PhiMoeConfig(vocab, hidden, intermediate, layers, heads, kvHeads, hidden / heads, 1e-5,
                RopeConfig.standard(10000.0), 0, experts, 2, 0.01, true, true, false, 4096, "float32");
    }

    @Override
    public String modelType() {
        return MODEL_TYPE;
    }

    public static PhiMoeConfig parse(ConfigJson c) {
        String act = c.optString("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw c.error("hidden_act", "only \"silu\" experts are supported, got \"" + act + "\"");
        }
        int hidden = c.reqDim("hidden_size");
        int heads = c.reqDim("num_attention_heads");
        int kvHeads = c.optInt("num_key_value_heads", heads);
        int headDim = c.optInt("head_dim", hidden / heads);
        try {
            return new PhiMoeConfig(c.reqDim("vocab_size"), hidden, c.reqDim("intermediate_size"),
                    c.reqLayers("num_hidden_layers"), heads, kvHeads, headDim, c.optDouble("rms_norm_eps", 1e-5),
                    RopeConfig.parse(c, 1e6, headDim), c.optInt("sliding_window", 0),
                    c.optInt("num_local_experts", 16), c.optInt("num_experts_per_tok", 2),
                    c.optDouble("router_jitter_noise", 0.01), c.optBool("attention_bias", false),
                    c.optBool("lm_head_bias", false), c.optBool("tie_word_embeddings", false),
                    c.optInt("max_position_embeddings", 4096 * 32), c.dtype());
        } catch (InvalidConfig e) {
            throw c.error(e.key(), e.problem());
        }
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode j = ConfigJson.attentionModel(MODEL_TYPE, "PhiMoEForCausalLM", vocabSize, hiddenSize, intermediateSize,
                numHiddenLayers, numAttentionHeads, numKeyValueHeads, headDim, "silu", rmsNormEps, rope);
        ConfigJson.putSlidingWindow(j, slidingWindow);
        j.put("num_local_experts", numLocalExperts);
        j.put("num_experts_per_tok", numExpertsPerTok);
        j.put("router_jitter_noise", routerJitterNoise);
        j.put("attention_bias", attentionBias);
        j.put("lm_head_bias", lmHeadBias);
        j.put("tie_word_embeddings", tieWordEmbeddings);
        j.put("max_position_embeddings", maxPositionEmbeddings);
        ConfigJson.putDtype(j, dtype);
        return j;
    }
}
