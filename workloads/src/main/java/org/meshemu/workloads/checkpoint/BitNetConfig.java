package org.meshemu.workloads.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * BitNet b1.58 hyper-parameters (HF model_type "bitnet", microsoft/bitnet-b1.58-2B-4T layout).
 *
 * <p>Contract: weights are offline-quantised ternary, packed four rows to a byte, so every projection's output
 * dimension is a multiple of 4; relu2 FFN; GQA with whole groups. {@code scaleDivides} is true for the older
 * "bitlinear" class (W_real = W_tern / weight_scale) and false for "autobitlinear" (W_real = W_tern * scale).
 * Optional keys default as in HF's {@code BitNetConfig} (rope_theta 500000, tie_word_embeddings false).
 */
public record BitNetConfig(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers,
                           int numAttentionHeads, int numKeyValueHeads, int headDim, double rmsNormEps,
                           RopeConfig rope, boolean tieWordEmbeddings, boolean scaleDivides, String dtype)
        implements ModelConfig, AttentionShape {
    public static final String MODEL_TYPE = "bitnet";

    public BitNetConfig {
        InvalidConfig.checkAttention(numAttentionHeads, numKeyValueHeads, headDim);
        InvalidConfig.check(hiddenSize % 4 == 0, "hidden_size", hiddenSize, "must be a multiple of 4 (packing)");
        InvalidConfig.check(intermediateSize % 4 == 0, "intermediate_size", intermediateSize,
                "must be a multiple of 4 (packing)");
        InvalidConfig.check(numKeyValueHeads * headDim % 4 == 0, "num_key_value_heads", numKeyValueHeads,
                "times head_dim must be a multiple of 4 (packing)");
        InvalidConfig.check(rmsNormEps >= 0, "rms_norm_eps", rmsNormEps, "must be >= 0");
    }

    /** A 2B-4T-like config (autobitlinear, tied head, theta 500000) of the given size. */
    public static BitNetConfig of(int hidden, int intermediate, int layers, int heads, int kvHeads, int vocab) {
        return new BitNetConfig(vocab, hidden, intermediate, layers, heads, kvHeads, hidden / heads, 1e-5,
                RopeConfig.standard(500000.0), true, false, "bfloat16");
    }

    @Override
    public String modelType() {
        return MODEL_TYPE;
    }

    public static BitNetConfig parse(ConfigJson c) {
        String act = c.optString("hidden_act", "relu2");
        if (!act.equals("relu2")) {
            throw c.error("hidden_act", "only \"relu2\" is supported, got \"" + act
                    + "\" (the 1bitLLM llama-type reproduction is not this family)");
        }
        if (c.optBool("attention_bias", false)) {
            throw c.error("attention_bias", "attention biases are not part of the BitNet b1.58 layout");
        }
        boolean divides = false;
        JsonNode q = c.root().get("quantization_config");
        if (q != null && q.isObject()) {
            String mode = q.path("quantization_mode").asText("offline");
            if (!mode.equals("offline")) {
                throw c.error("quantization_config.quantization_mode", "only \"offline\" (packed ternary weights)"
                        + " is supported, got \"" + mode + "\"");
            }
            String cls = q.path("linear_class").asText("autobitlinear");
            divides = switch (cls) {
                case "autobitlinear" -> false;
                case "bitlinear" -> true;
                default -> throw c.error("quantization_config.linear_class",
                        "must be \"autobitlinear\" or \"bitlinear\", got \"" + cls + "\"");
            };
        }
        int hidden = c.reqDim("hidden_size");
        int heads = c.reqDim("num_attention_heads");
        int kvHeads = c.optInt("num_key_value_heads", heads);
        int headDim = c.optInt("head_dim", hidden / heads);
        try {
            return new BitNetConfig(c.reqDim("vocab_size"), hidden, c.reqDim("intermediate_size"),
                    c.reqLayers("num_hidden_layers"), heads, kvHeads, headDim, c.optDouble("rms_norm_eps", 1e-5),
                    RopeConfig.parse(c, 500000.0, headDim), c.optBool("tie_word_embeddings", false), divides,
                    c.dtype());
        } catch (InvalidConfig e) {
            throw c.error(e.key(), e.problem());
        }
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode j = ConfigJson.attentionModel(MODEL_TYPE, "BitNetForCausalLM", vocabSize, hiddenSize, intermediateSize,
                numHiddenLayers, numAttentionHeads, numKeyValueHeads, headDim, "relu2", rmsNormEps, rope);
        j.put("tie_word_embeddings", tieWordEmbeddings);
        ObjectNode q = j.putObject("quantization_config");
        q.put("quant_method", "bitnet");
        q.put("linear_class", scaleDivides ? "bitlinear" : "autobitlinear");
        q.put("quantization_mode", "offline");
        ConfigJson.putDtype(j, dtype);
        return j;
    }
}
