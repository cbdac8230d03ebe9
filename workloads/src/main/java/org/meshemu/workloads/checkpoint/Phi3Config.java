package org.meshemu.workloads.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Phi-3 (dense) hyper-parameters (HF model_type "phi3", {@code Phi3ForCausalLM}, the Phi-3-mini-4k layout).
 *
 * <p>Contract: SiLU-gated MLP, GQA with whole groups, the default RoPE over the whole head (no rope_scaling,
 * partial_rotary_factor 1: the longrope variants are refused at parse time). {@code slidingWindow} 0 means no
 * window; otherwise key j is visible from query i iff {@code 0 <= i - j < slidingWindow}. Optional keys
 * default as in HF's {@code Phi3Config} (num_key_value_heads = num_attention_heads, rms_norm_eps 1e-5,
 * rope_theta 10000, sliding_window null, tie_word_embeddings false, max_position_embeddings 4096).
 */
public record Phi3Config(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers,
                         int numAttentionHeads, int numKeyValueHeads, int headDim, double rmsNormEps,
                         RopeConfig rope, int slidingWindow, boolean tieWordEmbeddings, int maxPositionEmbeddings,
                         String dtype) implements ModelConfig, AttentionShape {
    public static final String MODEL_TYPE = "phi3";

    public Phi3Config {
        InvalidConfig.checkAttention(numAttentionHeads, numKeyValueHeads, headDim);
        InvalidConfig.check(!rope.isLongRope(), "rope_scaling", rope.type(),
                "must be null: phi3 runs the default RoPE (as Phi-3-mini-4k)");
        InvalidConfig.check(slidingWindow >= 0, "sliding_window", slidingWindow, "must be >= 1 or null");
        InvalidConfig.check(rmsNormEps >= 0, "rms_norm_eps", rmsNormEps, "must be >= 0");
    }

    /** A Phi-3-mini-like config (rope_theta 10000, no window, untied) of the given size. */
    public static Phi3Config of(int hidden, int intermediate, int layers, int heads, int kvHeads, int vocab) {
        return new Phi3Config(vocab, hidden, intermediate, layers, heads, kvHeads, hidden / heads, 1e-5,
                RopeConfig.standard(10000.0), 0, false, 4096, "float32");
    }

    @Override
    public String modelType() {
        return MODEL_TYPE;
    }

    /** Rows of the fused {@code qkv_proj}: q, then k, then v. */
    public int qkvDim() {
        return qDim() + 2 * kvDim();
    }

    public static Phi3Config parse(ConfigJson c) {
        String act = c.optString("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw c.error("hidden_act", "only \"silu\" (the gated MLP of Phi-3) is supported, got \"" + act + "\"");
        }
        for (String key : new String[] {"rope_scaling", "rope_parameters"}) {
            JsonNode s = c.root().get(key);
            JsonNode type = s == null || !s.isObject() ? null : s.has("rope_type") ? s.get("rope_type") : s.get("type");
            if (type != null && !type.isNull() && !type.asText().equals("default")) {
                throw c.error(key, "phi3 runs the default RoPE only (as Phi-3-mini-4k, rope_scaling null); \""
                        + type.asText() + "\" scaling (the 128k variants) is not supported");
            }
        }
        double partial = c.optDouble("partial_rotary_factor", 1.0);
        if (partial != 1.0) {
            throw c.error("partial_rotary_factor", "must be 1 (RoPE over the whole head, as Phi-3-mini), got " + partial);
        }
        int hidden = c.reqDim("hidden_size");
        int heads = c.reqDim("num_attention_heads");
        int kvHeads = c.optInt("num_key_value_heads", heads);
        int headDim = c.optInt("head_dim", hidden / heads);
        try {
            return new Phi3Config(c.reqDim("vocab_size"), hidden, c.reqDim("intermediate_size"),
                    c.reqLayers("num_hidden_layers"), heads, kvHeads, headDim, c.optDouble("rms_norm_eps", 1e-5),
                    RopeConfig.parse(c, 10000.0, headDim), c.optInt("sliding_window", 0),
                    c.optBool("tie_word_embeddings", false), c.optInt("max_position_embeddings", 4096), c.dtype());
        } catch (InvalidConfig e) {
            throw c.error(e.key(), e.problem());
        }
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode j = ConfigJson.attentionModel(MODEL_TYPE, "Phi3ForCausalLM", vocabSize, hiddenSize, intermediateSize,
                numHiddenLayers, numAttentionHeads, numKeyValueHeads, headDim, "silu", rmsNormEps, rope);
        ConfigJson.putSlidingWindow(j, slidingWindow);
        j.put("tie_word_embeddings", tieWordEmbeddings);
        j.put("max_position_embeddings", maxPositionEmbeddings);
        ConfigJson.putDtype(j, dtype);
        return j;
    }
}
