package org.meshemu.workloads.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * RetNet hyper-parameters in the syncdoth/torchscale naming (HF model_type "retnet").
 *
 * <p>Contract: D = decoder_embed_dim and Dv = decoder_value_embed_dim divide by the head count, the key head
 * dimension D/H is even and at least 4 (the rotation angles divide by dk/2 - 1), the block is the released one
 * (pre-norm, GLU FFN, swish). Defaults for optional keys follow syncdoth's {@code RetNetConfig}, except
 * {@code activation_fn}, which is required because syncdoth's default (gelu) differs from every released arch.
 */
public record RetNetConfig(int decoderEmbedDim, int decoderValueEmbedDim, int decoderRetentionHeads,
                           int decoderFfnEmbedDim, int decoderLayers, int vocabSize, double layernormEps,
                           boolean noScaleEmbedding, boolean layernormEmbedding, int recurrentChunkSize,
                           boolean useLmDecay, boolean tieWordEmbeddings, String dtype) implements ModelConfig {
    public static final String MODEL_TYPE = "retnet";

    public RetNetConfig {
        InvalidConfig.check(decoderEmbedDim % decoderRetentionHeads == 0, "decoder_embed_dim", decoderEmbedDim,
                "must be divisible by decoder_retention_heads (" + decoderRetentionHeads + ")");
        InvalidConfig.check(decoderValueEmbedDim % decoderRetentionHeads == 0, "decoder_value_embed_dim", decoderValueEmbedDim,
                "must be divisible by decoder_retention_heads (" + decoderRetentionHeads + ")");
        int dk = decoderEmbedDim / decoderRetentionHeads;
        InvalidConfig.check(dk % 2 == 0 && dk >= 4, "decoder_embed_dim", decoderEmbedDim,
                "gives a key head dimension " + dk + "; it must be even and >= 4");
        InvalidConfig.check(layernormEps >= 0, "layernorm_eps", layernormEps, "must be >= 0");
        InvalidConfig.check(recurrentChunkSize >= 1, "recurrent_chunk_size", recurrentChunkSize, "must be >= 1");
    }

    /** A config with the released archs' defaults (no embedding scaling, no embedding norm, eps 1e-6). */
    public static RetNetConfig of(int embedDim, int valueDim, int heads, int ffnDim, int layers, int vocab) {
        return new RetNetConfig(embedDim, valueDim, heads, ffnDim, layers, vocab, 1e-6, true, false, 512,
                false, false, "float32");
    }

    public RetNetConfig withLayernormEps(double eps) {
        return new RetNetConfig(decoderEmbedDim, decoderValueEmbedDim, decoderRetentionHeads, decoderFfnEmbedDim,
                decoderLayers, vocabSize, eps, noScaleEmbedding, layernormEmbedding, recurrentChunkSize,
                useLmDecay, tieWordEmbeddings, dtype);
    }

    public RetNetConfig withEmbedding(boolean noScale, boolean layernorm) {
        return new RetNetConfig(decoderEmbedDim, decoderValueEmbedDim, decoderRetentionHeads, decoderFfnEmbedDim,
                decoderLayers, vocabSize, layernormEps, noScale, layernorm, recurrentChunkSize, useLmDecay,
                tieWordEmbeddings, dtype);
    }

    public int keyHeadDim() {
        return decoderEmbedDim / decoderRetentionHeads;
    }

    public int valueHeadDim() {
        return decoderValueEmbedDim / decoderRetentionHeads;
    }

    @Override
    public String modelType() {
        return MODEL_TYPE;
    }

    public static RetNetConfig parse(ConfigJson c) {
        String act = c.reqString("activation_fn");
        if (!act.equals("swish") && !act.equals("silu")) {
            throw c.error("activation_fn", "only \"swish\" (all released archs) is supported, got \"" + act + "\"");
        }
        if (!c.optBool("use_glu", true)) {
            throw c.error("use_glu", "only the GLU feed-forward (use_glu: true) is supported");
        }
        if (!c.optBool("decoder_normalize_before", true) || c.optBool("deepnorm", false)) {
            throw c.error(c.optBool("deepnorm", false) ? "deepnorm" : "decoder_normalize_before",
                    "only the pre-norm block (decoder_normalize_before: true, deepnorm: false) is supported");
        }
        try {
            return new RetNetConfig(c.reqDim("decoder_embed_dim"), c.reqDim("decoder_value_embed_dim"),
                    c.reqDim("decoder_retention_heads"), c.reqDim("decoder_ffn_embed_dim"),
                    c.reqLayers("decoder_layers"), c.reqDim("vocab_size"), c.optDouble("layernorm_eps", 1e-6),
                    c.optBool("no_scale_embedding", true), c.optBool("layernorm_embedding", false),
                    c.optInt("recurrent_chunk_size", 512), c.optBool("use_lm_decay", false),
                    c.optBool("tie_word_embeddings", false), c.dtype());
        } catch (InvalidConfig e) {
            throw c.error(e.key(), e.problem());
        }
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode j = new ObjectMapper().createObjectNode();
        j.put("model_type", MODEL_TYPE);
        j.putArray("architectures").add("RetNetForCausalLM");
        j.put("decoder_embed_dim", decoderEmbedDim);
        j.put("decoder_value_embed_dim", decoderValueEmbedDim);
        j.put("decoder_retention_heads", decoderRetentionHeads);
        j.put("decoder_ffn_embed_dim", decoderFfnEmbedDim);
        j.put("decoder_layers", decoderLayers);
        j.put("vocab_size", vocabSize);
        j.put("layernorm_eps", layernormEps);
        j.put("activation_fn", "swish");
        j.put("no_scale_embedding", noScaleEmbedding);
        j.put("layernorm_embedding", layernormEmbedding);
        j.put("recurrent_chunk_size", recurrentChunkSize);
        j.put("use_glu", true);
        j.put("use_lm_decay", useLmDecay);
        j.put("decoder_normalize_before", true);
        j.put("deepnorm", false);
        j.put("tie_word_embeddings", tieWordEmbeddings);
        ConfigJson.putDtype(j, dtype);
        return j;
    }
}
