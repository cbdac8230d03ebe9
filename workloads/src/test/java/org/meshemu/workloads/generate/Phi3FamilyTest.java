package org.meshemu.workloads.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshemu.tensor.Tensor;
import org.meshemu.workloads.checkpoint.Checkpoint;
import org.meshemu.workloads.checkpoint.CheckpointException;
import org.meshemu.workloads.checkpoint.Phi3Config;
import org.meshemu.workloads.checkpoint.RandomCheckpoint;
import org.meshemu.workloads.checkpoint.RopeConfig;
import org.meshemu.workloads.reference.ReferenceModel;
import org.meshemu.workloads.reference.RetentionForm;

/**
 * Phi-3 as HF defines it (docs/MODELS.md section 4): the checkpoint's tensor names and shapes, the config of
 * Phi-3-mini-4k, the variants refused, and the reference against a forward written out here in double from
 * the raw fused tensors (the split of qkv_proj and gate_up_proj, the GQA grouping, rotate_half RoPE).
 */
class Phi3FamilyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Phi-3-mini-4k-instruct's config.json, as published. */
    private static final String MINI_4K = """
            {"_name_or_path": "Phi-3-mini-4k-instruct", "architectures": ["Phi3ForCausalLM"], "attention_bias": false,
             "attention_dropout": 0.0, "bos_token_id": 1, "embd_pdrop": 0.0, "eos_token_id": 32000, "hidden_act": "silu",
             "hidden_size": 3072, "initializer_range": 0.02, "intermediate_size": 8192, "max_position_embeddings": 4096,
             "model_type": "phi3", "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 32,
             "original_max_position_embeddings": 4096, "pad_token_id": 32000, "resid_pdrop": 0.0, "rms_norm_eps": 1e-05,
             "rope_scaling": null, "rope_theta": 10000.0, "sliding_window": 2047, "tie_word_embeddings": false,
             "torch_dtype": "bfloat16", "transformers_version": "4.40.2", "use_cache": true, "vocab_size": 32064}""";

    @Test
    void theRandomCheckpointHoldsHfsTensorNamesAndShapes() {
        Phi3Config c = Phi3Config.of(32, 64, 1, 4, 2, 48);       // head_dim 8: q 32 rows, k and v 16 each
        Map<String, Tensor> t = RandomCheckpoint.tensors(c, 1);
        assertEquals(List.of("model.embed_tokens.weight", "model.layers.0.input_layernorm.weight",
                "model.layers.0.self_attn.qkv_proj.weight", "model.layers.0.self_attn.o_proj.weight",
                "model.layers.0.post_attention_layernorm.weight", "model.layers.0.mlp.gate_up_proj.weight",
                "model.layers.0.mlp.down_proj.weight", "model.norm.weight", "lm_head.weight"), List.copyOf(t.keySet()));
        assertArrayEquals(new int[] {64, 32}, t.get("model.layers.0.self_attn.qkv_proj.weight").shape());
        assertArrayEquals(new int[] {32, 32}, t.get("model.layers.0.self_attn.o_proj.weight").shape());
        assertArrayEquals(new int[] {128, 32}, t.get("model.layers.0.mlp.gate_up_proj.weight").shape());
        assertArrayEquals(new int[] {32, 64}, t.get("model.layers.0.mlp.down_proj.weight").shape());
        assertArrayEquals(new int[] {48, 32}, t.get("lm_head.weight").shape());
    }

    @Test
    void aTiedHeadIsTheEmbeddingAndIsNotStored() {
        Phi3Config c = new Phi3Config(48, 32, 64, 1, 4, 2, 8, 1e-5, RopeConfig.standard(10000), 0, true, 4096, null);
        assertNull(RandomCheckpoint.tensors(c, 1).get("lm_head.weight"));
        Phi3Family.Weights w = (Phi3Family.Weights) RandomCheckpoint.build(c, 1);
        assertSame(w.embedTokens(), w.lmHead());
    }

    @Test
    void phi3Mini4kConfigParsesToItsShapesAndThreePointEightBillionParameters() throws Exception {
        Phi3Config c = (Phi3Config) Checkpoint.parseConfig(JSON.readTree(MINI_4K), "config.json");
        assertEquals(96, c.headDim());
        assertEquals(32, c.numKeyValueHeads());
        assertEquals(2047, c.slidingWindow());
        assertEquals(10000.0, c.rope().theta());
        assertTrue(!c.tieWordEmbeddings() && !c.rope().isLongRope());
        assertEquals(3_821_079_552L, RandomCheckpoint.elements(c), "Phi-3-mini's published 3.8B parameters");
        assertEquals(c.toString(), Checkpoint.parseConfig(c.toJson(), "config.json").toString(), "config.json round trip");
    }

    @Test
    void variantsPhi3DoesNotRunAreRefusedNamingTheKey() throws Exception {
        ObjectNode longRope = (ObjectNode) JSON.readTree(MINI_4K);   // Phi-3-mini-128k's scaling
        longRope.putObject("rope_scaling").put("type", "longrope").putArray("short_factor").add(1.0);
        assertMessage(longRope, "config.json: key 'rope_scaling'", "\"longrope\"", "default RoPE");
        ObjectNode newer = (ObjectNode) JSON.readTree(MINI_4K);
        newer.putObject("rope_parameters").put("rope_type", "longrope");
        assertMessage(newer, "config.json: key 'rope_parameters'", "\"longrope\"");
        ObjectNode gelu = (ObjectNode) JSON.readTree(MINI_4K);
        gelu.put("hidden_act", "gelu_new");
        assertMessage(gelu, "config.json: key 'hidden_act'", "gelu_new");
        ObjectNode partial = (ObjectNode) JSON.readTree(MINI_4K);
        partial.put("partial_rotary_factor", 0.5);
        assertMessage(partial, "config.json: key 'partial_rotary_factor'", "0.5");
        ObjectNode groups = (ObjectNode) JSON.readTree(MINI_4K);
        groups.put("num_key_value_heads", 5);
        assertMessage(groups, "config.json: key 'num_key_value_heads'", "divide num_attention_heads (32)");
    }

    private static void assertMessage(ObjectNode config, String... parts) {
        String m = assertThrows(CheckpointException.class, () -> Checkpoint.parseConfig(config, "config.json")).getMessage();
        for (String p : parts) assertTrue(m.contains(p), "message '" + m + "' lacks '" + p + "'");
    }

    /**
     * The reference's logits after a 3-token prompt equal HF's forward written out in double from the stored fused
     * tensors: qkv_proj rows are q, k, v; gate_up_proj rows are gate, up; query head j reads KV head j / 2.
     */
    @Test
    void theReferenceIsHfsForwardOfTheFusedTensors() {
        Phi3Config c = Phi3Config.of(32, 64, 1, 4, 2, 48);
        Map<String, Tensor> t = RandomCheckpoint.tensors(c, 5);
        int[] prompt = {3, 11, 7};
        float[] logits = ReferenceModel.of(RandomCheckpoint.build(c, 5), RetentionForm.PARALLEL, 0).generate(prompt, 0).logits()[0];
        double[] expected = hfForward(c, t, prompt);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], logits[i], 1e-4 * (1 + Math.abs(expected[i])), "logit " + i);
        }
    }

    /** One layer of Phi3ForCausalLM in double: the last token's logits. */
    private static double[] hfForward(Phi3Config c, Map<String, Tensor> t, int[] tokens) {
        int h = c.hiddenSize(), hd = c.headDim(), heads = c.numAttentionHeads(), kvHeads = c.numKeyValueHeads(), im = c.intermediateSize();
        int q = heads * hd, kv = kvHeads * hd, n = tokens.length;
        String l = "model.layers.0.";
        double[][] x = new double[n][], keys = new double[n][], values = new double[n][];
        double[] query = null;
        for (int p = 0; p < n; p++) {
            x[p] = row(f(t, "model.embed_tokens.weight"), tokens[p], h);
            double[] qkv = matvec(f(t, l + "self_attn.qkv_proj.weight"), rmsNorm(x[p], f(t, l + "input_layernorm.weight"), c), q + 2 * kv);
            query = rope(java.util.Arrays.copyOfRange(qkv, 0, q), p, hd, c);
            keys[p] = rope(java.util.Arrays.copyOfRange(qkv, q, q + kv), p, hd, c);
            values[p] = java.util.Arrays.copyOfRange(qkv, q + kv, q + 2 * kv);
        }
        double[] o = new double[q];
        for (int j = 0; j < heads; j++) {
            int g = j / (heads / kvHeads);
            double[] s = new double[n];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int p = 0; p < n; p++) {
                for (int d = 0; d < hd; d++) s[p] += query[j * hd + d] * keys[p][g * hd + d];
                s[p] /= Math.sqrt(hd);
                max = Math.max(max, s[p]);
            }
            for (int p = 0; p < n; p++) sum += s[p] = Math.exp(s[p] - max);
            for (int p = 0; p < n; p++) for (int d = 0; d < hd; d++) o[j * hd + d] += s[p] / sum * values[p][g * hd + d];
        }
        double[] y = add(x[n - 1], matvec(f(t, l + "self_attn.o_proj.weight"), o, h));
        double[] gu = matvec(f(t, l + "mlp.gate_up_proj.weight"), rmsNorm(y, f(t, l + "post_attention_layernorm.weight"), c), 2 * im);
        double[] z = new double[im];
        for (int i = 0; i < im; i++) z[i] = gu[i] / (1 + Math.exp(-gu[i])) * gu[im + i];   // silu(gate) * up
        y = add(y, matvec(f(t, l + "mlp.down_proj.weight"), z, h));
        return matvec(f(t, "lm_head.weight"), rmsNorm(y, f(t, "model.norm.weight"), c), c.vocabSize());
    }

    private static float[] f(Map<String, Tensor> t, String name) {
        return t.get(name).f32();
    }

    private static double[] row(float[] m, int r, int cols) {
        double[] x = new double[cols];
        for (int i = 0; i < cols; i++) x[i] = m[r * cols + i];
        return x;
    }

    private static double[] matvec(float[] w, double[] x, int rows) {
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) for (int j = 0; j < x.length; j++) y[i] += w[i * x.length + j] * x[j];
        return y;
    }

    private static double[] add(double[] a, double[] b) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) y[i] = a[i] + b[i];
        return y;
    }

    private static double[] rmsNorm(double[] x, float[] w, Phi3Config c) {
        double ms = 0;
        for (double v : x) ms += v * v / x.length;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] / Math.sqrt(ms + c.rmsNormEps()) * w[i];
        return y;
    }

    /** rotate_half RoPE of every head at position p: x cos + rotate_half(x) sin, inv_i = theta^(-2i/hd). */
    private static double[] rope(double[] x, int p, int hd, Phi3Config c) {
        double[] y = new double[x.length];
        for (int head = 0; head < x.length / hd; head++) {
            for (int i = 0; i < hd / 2; i++) {
                double a = p * Math.pow(c.rope().theta(), -2.0 * i / hd), lo = x[head * hd + i], hi = x[head * hd + hd / 2 + i];
                y[head * hd + i] = lo * Math.cos(a) - hi * Math.sin(a);
                y[head * hd + hd / 2 + i] = hi * Math.cos(a) + lo * Math.sin(a);
            }
        }
        return y;
    }
}
