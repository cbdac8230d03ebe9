package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;
import org.meshemu.workloads.Plan;
import org.meshemu.workloads.Workloads;
import org.meshemu.workloads.checkpoint.Checkpoint;
import org.meshemu.workloads.checkpoint.RandomCheckpoint;

/**
 * A mid-size model of each family (hidden 512, 4 layers, vocab 32k) from a bf16 checkpoint file in full payload: the banks
 * hold its weights as the file holds them (views of the mapping, so the heap they take is far below their
 * fp32 size), and the emulated logits and tokens equal the reference's bit for bit, on 1 thread and 1
 * partition as on 2 threads and 4 partitions.
 */
class RealWeightsTest {
    @TempDir Path dir;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("bitnet", """
                        {"hidden_size": 512, "intermediate_size": 1376, "num_hidden_layers": 4, "num_attention_heads": 8,
                         "num_key_value_heads": 2, "vocab_size": 32000, "tie_word_embeddings": true, "rope_theta": 500000,
                         "quantization_config": {"quant_method": "bitnet", "linear_class": "autobitlinear", "quantization_mode": "offline"}}"""),
                Arguments.of("phi3", """
                        {"hidden_size": 512, "intermediate_size": 1408, "num_hidden_layers": 4, "num_attention_heads": 8,
                         "num_key_value_heads": 8, "vocab_size": 32064, "tie_word_embeddings": false}"""),
                // torchscale's retnet_base widths (Dv = F = 864) at 4 heads; the prompt in the parallel form, decoding recurrent
                Arguments.of("retnet", """
                        {"decoder_embed_dim": 512, "decoder_value_embed_dim": 864, "decoder_retention_heads": 4,
                         "decoder_ffn_embed_dim": 864, "decoder_layers": 4, "vocab_size": 32000, "activation_fn": "swish"}"""),
                // four experts, each expert's matrices views of its own tensors in the file
                Arguments.of("phimoe", """
                        {"hidden_size": 512, "intermediate_size": 768, "num_hidden_layers": 4, "num_attention_heads": 8,
                         "num_key_value_heads": 2, "num_local_experts": 4, "num_experts_per_tok": 2, "vocab_size": 32064,
                         "rope_theta": 10000.0}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aMidSizeBf16CheckpointRunsExactlyWithItsWeightsHeldAsStored(String family, String config) throws Exception {
        Path ckpt = RandomCheckpoint.write(Checkpoint.parseConfig(family, new ObjectMapper().readTree(config), "test"), 5,
                dir.resolve("ckpt"), DType.BF16);
        String yaml = """
                name: mid-size-%s
                seed: 3
                hardware: {noc: {width: 4, height: 4}, dram: {banksPerCore: 2}}
                model: {family: %s, checkpoint: '%s'}
                workload: {kind: generate, prompt: [1, 2, 3, 4], decodeSteps: 4, mapping: row-split}
                """.formatted(family, family, ckpt.toAbsolutePath());

        // what the banks hold: views of the mapped file take no heap; fp32 would be 4 bytes a parameter
        LoadedScenario loaded = Scenarios.inline(yaml);
        Plan plan = Workloads.plan(loaded);
        long heap = 0, fp32 = 0;
        for (Map<Long, Tile> bank : plan.banks()) {
            for (Tile t : bank.values()) {
                heap += t.heapBytes();
                fp32 += 4L * t.elements();
            }
        }
        long parameters = RandomCheckpoint.elements(Checkpoint.readConfig(ckpt));
        assertTrue(fp32 >= 4L * parameters * 9 / 10, "the banks hold the model: " + fp32 + " fp32 bytes for " + parameters + " parameters");
        assertTrue(heap < fp32 / 100, "weights on the heap: " + heap + " bytes, fp32 size " + fp32);

        RunReport one = Scenarios.run(Scenarios.inline(yaml, "run.threads=1", "run.partitions=1"), dir.resolve("one"));
        assertNotNull(one.reference());
        assertEquals(0.0, one.reference().maxAbsError(), "row-split computes the reference's dot products");
        assertEquals(Boolean.TRUE, one.reference().tokensMatch());
        RunReport four = Scenarios.run(Scenarios.inline(yaml, "run.threads=2", "run.partitions=4"), dir.resolve("four"));
        assertEquals(one.outputDigest(), four.outputDigest());
        assertEquals(one.simulatedTimePs(), four.simulatedTimePs());
        // one JVM maps the spans every bank reads, however it is partitioned: every matrix (all but the norms and the header)
        long file = java.nio.file.Files.size(ckpt.resolve("model.safetensors"));
        assertTrue(one.weights().mappedBytes() <= file && one.weights().mappedBytes() >= file * 9 / 10,
                "mapped " + one.weights().mappedBytes() + " bytes of a " + file + "-byte file");
        assertEquals(one.weights(), four.weights());
    }
}
