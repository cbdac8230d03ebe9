package org.meshemu.workloads.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tensor;

class CheckpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RetNetConfig RETNET = RetNetConfig.of(32, 48, 2, 64, 2, 64);

    @TempDir
    Path dir;

    private static void assertMessage(CheckpointException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    /** Writes the random tensors of {@code config} after {@code edit} into dir. */
    private Path writeEdited(ModelConfig config, java.util.function.Consumer<Map<String, Tensor>> edit)
            throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>(RandomCheckpoint.tensors(config, 1));
        edit.accept(t);
        SafetensorsWriter w = new SafetensorsWriter();
        t.forEach(w::put);
        w.write(dir.resolve("model.safetensors"));
        JSON.writeValue(dir.resolve("config.json").toFile(), config.toJson());
        return dir;
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        writeEdited(RETNET, t -> t.remove("model.layers.1.ffn.gate.weight"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
        assertMessage(e, "model.safetensors: tensor 'model.layers.1.ffn.gate.weight': missing");
    }

    @Test
    void shapeNotMatchingConfigIsNamed() throws IOException {
        RandomCheckpoint.write(RETNET, 1, dir);
        ObjectNode cfg = RETNET.toJson();
        cfg.put("decoder_ffn_embed_dim", 96);
        JSON.writeValue(dir.resolve("config.json").toFile(), cfg);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
        assertMessage(e, "model.safetensors: tensor 'model.layers.0.ffn.fc1.weight'", "shape [64, 32]",
                "does not match config.json (expected [96, 32])");
    }

    @Test
    void pre2023RetNetLayoutIsRejectedClearly() throws IOException {
        writeEdited(RETNET, t -> t.put("model.layers.0.retention.q_proj.bias", Tensor.ofFloats(
                "model.layers.0.retention.q_proj.bias", new int[] {32}, new float[32])));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
        assertMessage(e, "model.safetensors: tensor 'model.layers.0.retention.q_proj.bias'", "pre-2023-09");
    }

    @Test
    void floatWhereTernaryIsExpectedIsRejected() throws IOException {
        BitNetConfig c = BitNetConfig.of(32, 64, 1, 4, 2, 64);
        writeEdited(c, t -> t.put("model.layers.0.mlp.up_proj.weight",
                Tensor.ofFloats("model.layers.0.mlp.up_proj.weight", new int[] {16, 32}, new float[16 * 32])));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
        assertMessage(e, "tensor 'model.layers.0.mlp.up_proj.weight'", "dtype F32", "packed ternary U8");
    }

    @Test
    void fairseqPrefixAndTiedHeadAreAccepted() throws IOException {
        RetNetConfig tied = new RetNetConfig(32, 48, 2, 64, 1, 64, 1e-6, true, true, 512, false, true, null);
        Map<String, Tensor> renamed = new LinkedHashMap<>();
        RandomCheckpoint.tensors(tied, 4).forEach((k, v) -> renamed.put(k.replaceFirst("^model\\.", "decoder."), v));
        RetNetWeights w = (RetNetWeights) Checkpoint.load(new InMemoryTensors("fairseq", renamed), tied);
        assertSame(w.embedTokens(), w.lmHead());
        assertEquals(32, w.layernormEmbedding().length);
    }

    @Test
    void shardedCheckpointLoadsLikeTheSingleFile() throws IOException {
        PhiMoeConfig c = PhiMoeConfig.of(32, 48, 2, 4, 2, 4, 64);
        Map<String, Tensor> all = RandomCheckpoint.tensors(c, 9);
        SafetensorsWriter a = new SafetensorsWriter();
        SafetensorsWriter b = new SafetensorsWriter();
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", 0);
        ObjectNode map = index.putObject("weight_map");
        int i = 0;
        for (Map.Entry<String, Tensor> e : all.entrySet()) {
            String shard = i++ % 2 == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
            (shard.startsWith("model-00001") ? a : b).put(e.getKey(), e.getValue());
            map.put(e.getKey(), shard);
        }
        a.write(dir.resolve("model-00001-of-00002.safetensors"));
        b.write(dir.resolve("model-00002-of-00002.safetensors"));
        JSON.writeValue(dir.resolve(SafetensorsCheckpoint.INDEX_FILE).toFile(), index);
        JSON.writeValue(dir.resolve("config.json").toFile(), c.toJson());
        PhiMoeWeights fromShards = (PhiMoeWeights) Checkpoint.open(dir);
        PhiMoeWeights inMemory = (PhiMoeWeights) RandomCheckpoint.build(c, 9);
        assertEquals(inMemory.layers().get(1).experts().get(3).w2(), fromShards.layers().get(1).experts().get(3).w2());
        assertArrayEquals(inMemory.lmHeadBias(), fromShards.lmHeadBias());

        String actual = map.get("model.norm.weight").asText();
        map.put("model.norm.weight", actual.startsWith("model-00001") ? "model-00002-of-00002.safetensors"
                : "model-00001-of-00002.safetensors");
        JSON.writeValue(dir.resolve(SafetensorsCheckpoint.INDEX_FILE).toFile(), index);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
        assertMessage(e, "tensor 'model.norm.weight'", "listed in model.safetensors.index.json but missing");
    }

    @Test
    void configAcceptsBothRopeLayoutsAndDtypeKeysAndIgnoresUnknownKeys() throws IOException {
        String older = """
                {"model_type": "bitnet", "vocab_size": 64, "hidden_size": 32, "intermediate_size": 64,
                 "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2,
                 "rope_theta": 500000.0, "rope_scaling": null, "torch_dtype": "bfloat16",
                 "some_future_key": {"nested": [1, 2]}, "quantization_config": {"quant_method": "bitnet",
                 "linear_class": "bitlinear", "quantization_mode": "offline"}}""";
        String newer = """
                {"model_type": "bitnet", "vocab_size": 64, "hidden_size": 32, "intermediate_size": 64,
                 "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2,
                 "rope_parameters": {"rope_type": "default", "rope_theta": 500000.0}, "dtype": "bfloat16"}""";
        BitNetConfig a = (BitNetConfig) Checkpoint.parseConfig(JSON.readTree(older), "config.json");
        BitNetConfig b = (BitNetConfig) Checkpoint.parseConfig(JSON.readTree(newer), "config.json");
        assertEquals(500000.0, a.rope().theta());
        assertEquals(500000.0, b.rope().theta());
        assertEquals("bfloat16", a.dtype());
        assertEquals("bfloat16", b.dtype());
        assertEquals(8, a.headDim());
        assertTrue(a.scaleDivides());
        assertTrue(!b.scaleDivides());
    }

    @Test
    void phiLongRopeIsParsedFromEitherLayout() throws IOException {
        String factors = "[1.0, 1.5, 2.0, 4.0]";
        String older = """
                {"model_type": "phimoe", "vocab_size": 64, "hidden_size": 32, "intermediate_size": 48,
                 "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2, "rope_theta": 10000,
                 "original_max_position_embeddings": 16, "sliding_window": 2047,
                 "rope_scaling": {"type": "longrope", "short_factor": %s, "long_factor": %s,
                                  "short_mscale": 1.2, "long_mscale": 1.3}}""".formatted(factors, factors);
        String newer = """
                {"model_type": "phimoe", "vocab_size": 64, "hidden_size": 32, "intermediate_size": 48,
                 "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2,
                 "rope_parameters": {"rope_type": "longrope", "rope_theta": 10000, "short_factor": %s,
                   "long_factor": %s, "short_mscale": 1.2, "long_mscale": 1.3,
                   "original_max_position_embeddings": 16}}""".formatted(factors, factors);
        for (String s : new String[] {older, newer}) {
            PhiMoeConfig c = (PhiMoeConfig) Checkpoint.parseConfig(JSON.readTree(s), "config.json");
            assertTrue(c.rope().isLongRope());
            assertEquals(16, c.rope().originalMaxPositionEmbeddings());
            assertEquals(1.2f, c.rope().mscaleFor(16));
            assertEquals(1.3f, c.rope().mscaleFor(17));
            assertArrayEquals(new float[] {1f, 1.5f, 2f, 4f}, c.rope().shortFactor());
        }
        PhiMoeConfig c = (PhiMoeConfig) Checkpoint.parseConfig(JSON.readTree(older), "config.json");
        assertEquals(2047, c.slidingWindow());
        PhiMoeConfig back = (PhiMoeConfig) Checkpoint.parseConfig(c.toJson(), "config.json");
        assertEquals(c.rope().longMscale(), back.rope().longMscale());
        assertEquals(2047, back.slidingWindow());
    }

    @Test
    void missingOrBadConfigKeysAreNamed() throws IOException {
        ObjectNode cfg = RETNET.toJson();
        cfg.remove("decoder_layers");
        assertMessage(assertThrows(CheckpointException.class, () -> Checkpoint.parseConfig(cfg, "config.json")),
                "config.json: missing required key 'decoder_layers'");
        ObjectNode heads = RETNET.toJson();
        heads.put("decoder_retention_heads", 3);
        assertMessage(assertThrows(CheckpointException.class, () -> Checkpoint.parseConfig(heads, "config.json")),
                "config.json: key 'decoder_embed_dim'", "divisible by decoder_retention_heads (3)");
        ObjectNode type = RETNET.toJson();
        type.put("model_type", "llama");
        assertMessage(assertThrows(CheckpointException.class, () -> Checkpoint.parseConfig(type, "config.json")),
                "config.json: key 'model_type'", "\"llama\"");
        ObjectNode str = RETNET.toJson();
        str.put("vocab_size", "64");
        assertMessage(assertThrows(CheckpointException.class, () -> Checkpoint.parseConfig(str, "config.json")),
                "config.json: key 'vocab_size': must be an integer");
        ObjectNode moe = PhiMoeConfig.of(32, 48, 1, 4, 2, 4, 64).toJson();
        moe.put("num_experts_per_tok", 5);   // more than its 4 experts (k != 2 is the gate's business, not the config's)
        assertMessage(assertThrows(CheckpointException.class, () -> Checkpoint.parseConfig(moe, "config.json")),
                "config.json: key 'num_experts_per_tok'", "must be in [1, num_local_experts]");
    }

    @Test
    void scenarioConfigsMayOmitModelTypeButNotContradictIt() throws IOException {
        String tiny = """
                {"decoder_embed_dim": 32, "decoder_value_embed_dim": 48, "decoder_retention_heads": 2,
                 "decoder_ffn_embed_dim": 64, "decoder_layers": 2, "vocab_size": 64, "activation_fn": "swish"}""";
        RetNetConfig c = (RetNetConfig) Checkpoint.parseConfig("retnet", JSON.readTree(tiny), "scenario.model.config");
        assertEquals(16, c.keyHeadDim());
        assertTrue(c.noScaleEmbedding()); // syncdoth's default
        ObjectNode wrong = (ObjectNode) JSON.readTree(tiny);
        wrong.put("model_type", "bitnet");
        assertMessage(assertThrows(CheckpointException.class,
                () -> Checkpoint.parseConfig("retnet", wrong, "scenario.model.config")),
                "scenario.model.config: key 'model_type'", "\"bitnet\"", "\"retnet\"");
    }

    @Test
    void randomCheckpointIsTheRealLayout() {
        BitNetConfig c = BitNetConfig.of(32, 64, 1, 4, 2, 64);
        Map<String, Tensor> t = RandomCheckpoint.tensors(c, 3);
        Tensor q = t.get("model.layers.0.self_attn.q_proj.weight");
        assertEquals(DType.UINT8, q.dtype());
        assertArrayEquals(new int[] {8, 32}, q.shape());
        assertArrayEquals(new int[] {1}, t.get("model.layers.0.self_attn.q_proj.weight_scale").shape());
        assertArrayEquals(new int[] {8, 64}, t.get("model.layers.0.mlp.down_proj.weight").shape());
        assertNull(t.get("lm_head.weight"));
        RetNetConfig r = RETNET;
        assertTrue(RandomCheckpoint.tensors(r, 1).containsKey("model.layers.1.retention.g_proj.weight"));
    }
}
