package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.meshemu.report.RunReport;

/**
 * Token generation through the emulated chip: for each family, on two mesh sizes and three mappings,
 * logits equal the plain-Java reference within 1e-5 (row-split: bit for bit), the 8 greedy tokens are
 * identical; RetNet's three prompt forms on the chip; the prompt as one block; the command line's
 * make-checkpoint (from a hand-written HF config of RetNet and of Phi-3) and reference commands; bad model
 * input exits 2.
 */
class GenerateTest {
    @TempDir Path out;

    static Stream<Arguments> cases() {
        return Stream.of("retnet-tiny-mesh", "bitnet-tiny-mesh", "phimoe-tiny-mesh", "phi3-tiny-mesh").flatMap(s -> Stream.of("2x2", "4x2").flatMap(mesh ->
                Stream.of("row-split", "tree-reduce", "compute-shift").map(m -> Arguments.of(s, mesh, m))));
    }

    @ParameterizedTest(name = "{0} on {1} by {2}")
    @MethodSource("cases")
    void emulatedLogitsAndTokensMatchTheReference(String scenario, String mesh, String mapping) {
        String[] wh = mesh.split("x");
        RunReport r = Scenarios.run(scenario, out, "hardware.noc.width=" + wh[0], "hardware.noc.height=" + wh[1],
                "workload.mapping=" + mapping, "workload.decodeSteps=8", "run.threads=2");
        assertNotNull(r.reference());
        assertTrue(r.reference().maxRelError() <= 1e-5, "max rel error " + r.reference().maxRelError());
        assertEquals(Boolean.TRUE, r.reference().tokensMatch());
        if (mapping.equals("row-split")) assertEquals(0.0, r.reference().maxAbsError(), "row-split computes the reference's dot products");
        RunReport.Generation g = r.generation();
        assertEquals(8, g.decodeSteps());
        assertTrue(g.timeToFirstTokenPs() > 0 && g.timePerOutputTokenPs() > 0, g.toString());
        assertTrue(g.perLayerPs().containsKey("L0") && g.perLayerPs().containsKey("head"), g.perLayerPs().toString());
        assertTrue(g.maxWeightBytesPerBank() > 0 && g.totalWeightBytes() >= g.maxWeightBytesPerBank());
    }

    static Stream<Arguments> forms() {
        return Stream.of("parallel", "chunkwise", "recurrent").flatMap(f -> Stream.of("2x2", "4x2").map(mesh -> Arguments.of(f, mesh)));
    }

    /**
     * The prompt's retention runs on the chip in the scenario's form: the logits equal the reference run in that same
     * form bit for bit (the forms differ from each other by rounding, so a chip that ran another form would not), on
     * any partitioning. Six tokens in chunks of 4: a full chunk, then a zero-padded one.
     */
    @ParameterizedTest(name = "{0} retention on {1}")
    @MethodSource("forms")
    void retNetsPromptFormRunsOnTheChipBitForBitWithTheReferenceInThatForm(String form, String mesh) {
        String[] wh = mesh.split("x");
        String[] sets = {"hardware.noc.width=" + wh[0], "hardware.noc.height=" + wh[1], "workload.mapping=row-split",
                "workload.retention=" + form, "workload.chunkSize=4", "workload.prompt=[5, 17, 42, 9, 100, 3]", "workload.decodeSteps=8"};
        RunReport one = onOneAndFourPartitions(sets);
        assertEquals(0.0, one.reference().maxAbsError(), form + " on the chip is the reference's " + form);
        assertEquals(Boolean.TRUE, one.reference().tokensMatch());
    }

    /** retnet-tiny-mesh with {@code sets} on 1 and on 4 partitions: the same digest and simulated time; the first run's report. */
    private RunReport onOneAndFourPartitions(String[] sets) {
        RunReport one = Scenarios.run("retnet-tiny-mesh", out.resolve("p1"), Scenarios.concat(sets, "run.partitions=1"));
        RunReport four = Scenarios.run("retnet-tiny-mesh", out.resolve("p4"), Scenarios.concat(sets, "run.partitions=4", "run.threads=2"));
        assertEquals(one.outputDigest(), four.outputDigest());
        assertEquals(one.simulatedTimePs(), four.simulatedTimePs());
        return one;
    }

    /**
     * Compute-shift's sums follow the ring, a fixed order, never the timing: the same digest on any partitioning. A 3 x 2
     * mesh splits the model's widths (64, 128) unevenly, so every core holds column blocks of two widths.
     */
    @Test
    void computeShiftGivesTheSameOutputsOnAnyPartitioningAndOnUnevenSplits() {
        String[] sets = {"hardware.noc.width=3", "hardware.noc.height=2", "workload.mapping=compute-shift", "workload.decodeSteps=4"};
        RunReport one = onOneAndFourPartitions(sets);
        assertTrue(one.reference().maxRelError() <= 1e-5, "max rel error " + one.reference().maxRelError());
        assertEquals(Boolean.TRUE, one.reference().tokensMatch());
    }

    @Test
    void aPromptIsOneBlockSoEveryWeightIsReadOncePerPromptNotOncePerToken() {
        String[] sets = {"hardware.noc.width=2", "hardware.noc.height=2", "workload.decodeSteps=0", "workload.retention=parallel"};
        RunReport oneToken = Scenarios.run("retnet-tiny-mesh", out.resolve("one"), Scenarios.concat(sets, "workload.prompt=[5]"));
        RunReport fiveTokens = Scenarios.run("retnet-tiny-mesh", out.resolve("five"), Scenarios.concat(sets, "workload.prompt=[5, 17, 42, 9, 100]"));
        assertEquals(0.0, oneToken.reference().maxAbsError(), "a one-token prompt runs the parallel form too, as the reference does");
        assertEquals(0.0, fiveTokens.reference().maxAbsError());
        double ratio = fiveTokens.dram().meanBankBytes() / oneToken.dram().meanBankBytes();
        assertTrue(ratio < 1.2, "bank bytes of a 5-token prompt / a 1-token one = " + ratio + " (token by token it would be ~5)");
        assertTrue(fiveTokens.generation().timeToFirstTokenPs() < 3 * oneToken.generation().timeToFirstTokenPs(),
                "five tokens share each weight load: " + fiveTokens.generation().timeToFirstTokenPs() + " vs " + oneToken.generation().timeToFirstTokenPs());
    }

    /** A prompt in blocks of 2 tokens (the KV cache or the recurrent state carried from block to block) is the reference's run. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"retnet-tiny-mesh", "bitnet-tiny-mesh", "phimoe-tiny-mesh", "phi3-tiny-mesh"})
    void aPromptInSeveralBlocksGivesTheReferencesBits(String scenario) {
        RunReport r = Scenarios.run(scenario, out, "workload.prefillBlock=2", "workload.prompt=[3, 4, 5, 6, 7]", "workload.retention=recurrent",
                "workload.mapping=row-split", "hardware.noc.width=2", "hardware.noc.height=2");
        assertEquals(0.0, r.reference().maxAbsError());
        assertEquals(Boolean.TRUE, r.reference().tokensMatch());
    }

    /** Phi-MoE's biases: one bias column added to every token of a prompt block, and the LM head's bias on each core's logits. */
    @Test
    void phiMoeBiasesOnAPromptBlockAndOnTheSpreadLogits() {
        RunReport r = Scenarios.run("phimoe-tiny-mesh", out, "model.config.lm_head_bias=true", "model.config.attention_bias=true",
                "workload.mapping=row-split", "workload.prompt=[3, 4, 5, 6]");
        assertEquals(0.0, r.reference().maxAbsError());
        assertEquals(Boolean.TRUE, r.reference().tokensMatch());
    }

    @Test
    void bitNetsDequantiseThenGemmPathGivesTheLutPathsNumbersAtAnotherCost() {
        RunReport lut = Scenarios.run("bitnet-tiny-mesh", out.resolve("lut"), "hardware.noc.width=2", "hardware.noc.height=2",
                "workload.bitLinear=lut", "run.threads=2");
        RunReport dequantise = Scenarios.run("bitnet-tiny-mesh", out.resolve("dequantise"), "hardware.noc.width=2", "hardware.noc.height=2",
                "workload.bitLinear=dequantise", "run.threads=2");
        assertEquals(Boolean.TRUE, dequantise.reference().tokensMatch());
        assertEquals(lut.outputDigest(), dequantise.outputDigest(), "the same int32 products, so the same logits and tokens");
        assertTrue(dequantise.simulatedTimePs() != lut.simulatedTimePs(), "the paths use different units");
    }

    @Test
    void timingModeGivesTheSameSimulatedTimeWithoutNumbers() {
        RunReport full = Scenarios.run("retnet-tiny-mesh", out.resolve("full"), "hardware.noc.width=2", "hardware.noc.height=2");
        RunReport timing = Scenarios.run("retnet-tiny-mesh", out.resolve("timing"), "hardware.noc.width=2", "hardware.noc.height=2",
                "run.payload=timing");
        assertEquals(full.simulatedTimePs(), timing.simulatedTimePs());
        assertEquals(null, timing.outputDigest());
        assertEquals(full.generation().timePerOutputTokenPs(), timing.generation().timePerOutputTokenPs());
    }

    @Test
    void moeTimingModeDrawsTheRoutingFromASeededTraceTheSameOnAnyPartitioning() {
        RunReport a = Scenarios.run("phimoe-tiny-mesh", out.resolve("a"), "run.payload=timing", "run.partitions=1", "run.threads=1");
        RunReport b = Scenarios.run("phimoe-tiny-mesh", out.resolve("b"), "run.payload=timing", "run.partitions=4", "run.threads=2");
        assertEquals(a.simulatedTimePs(), b.simulatedTimePs());
        assertEquals(a.events(), b.events());
        assertTrue(a.generation().timePerOutputTokenPs() > 0);
    }

    /** A small HF config.json per family, written by hand as a user would (model_type omitted). */
    static Stream<Arguments> hfConfigs() {
        return Stream.of(Arguments.of("retnet", """
                {"decoder_embed_dim": 32, "decoder_value_embed_dim": 64, "decoder_retention_heads": 2,
                 "decoder_ffn_embed_dim": 64, "decoder_layers": 2, "vocab_size": 64, "activation_fn": "swish"}"""),
                Arguments.of("phi3", """
                {"architectures": ["Phi3ForCausalLM"], "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
                 "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 64, "hidden_act": "silu",
                 "rms_norm_eps": 1e-05, "rope_theta": 10000.0, "rope_scaling": null, "sliding_window": 2047,
                 "tie_word_embeddings": false, "torch_dtype": "bfloat16"}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hfConfigs")
    void makeCheckpointThenRunFromItAndReferenceGiveTheSameOutputs(String family, String hfConfig) throws Exception {
        Path config = out.resolve("config.json");
        Files.writeString(config, hfConfig);
        BadInputTest.Result made = BadInputTest.cli("make-checkpoint", "--family", family, "--config", config.toString(),
                "--seed", "3", "--out", out.resolve("ckpt").toString());
        assertEquals(0, made.code(), made.err());
        assertTrue(Files.exists(out.resolve("ckpt/model.safetensors")) && Files.exists(out.resolve("ckpt/config.json")));
        Path scenario = out.resolve("s.yaml");
        Files.writeString(scenario, """
                name: from-checkpoint
                hardware: {noc: {width: 2, height: 2}}
                model: {family: %s, checkpoint: ckpt}
                workload: {kind: generate, prompt: [1, 2], decodeSteps: 3}
                """.formatted(family));
        BadInputTest.Result run = BadInputTest.cli("run", scenario.toString(), "--out", out.resolve("run").toString());
        assertEquals(0, run.code(), run.err());
        BadInputTest.Result ref = BadInputTest.cli("reference", scenario.toString(), "--out", out.resolve("ref").toString());
        assertEquals(0, ref.code(), ref.err());
        JsonNode a = new ObjectMapper().readTree(out.resolve("run/report.json").toFile());
        JsonNode b = new ObjectMapper().readTree(out.resolve("ref/report.json").toFile());
        assertEquals(a.get("outputDigest").asText(), b.get("outputDigest").asText(), "row-split (auto) is bit-exact");
        assertTrue(a.get("reference").get("tokensMatch").asBoolean());
        assertTrue(a.get("generation").has("timeToFirstTokenPs"));
        for (String f : new String[] {"logits.npy", "tokens.npy"}) {
            assertTrue(Files.exists(out.resolve("run").resolve(f)) && Files.exists(out.resolve("ref").resolve(f)), f);
        }
    }

    @Test
    void badModelInputExitsTwoNamingThePlace() throws Exception {
        Path scenario = out.resolve("bad.yaml");
        Files.writeString(scenario, """
                name: bad
                model: {family: retnet, checkpoint: nowhere}
                workload: {kind: generate, prompt: [1]}
                """);
        BadInputTest.Result r = BadInputTest.cli("run", scenario.toString(), "--out", out.resolve("x").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("nowhere"), r.err());
        Files.writeString(scenario, """
                name: bad
                model: {family: gpt2, config: {}}
                workload: {kind: generate, prompt: [1]}
                """);
        r = BadInputTest.cli("run", scenario.toString(), "--out", out.resolve("y").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("model.family"), r.err());
        r = BadInputTest.cli("run", "../scenarios/retnet-tiny-mesh.yaml", "--out", out.resolve("z").toString(), "--set", "workload.prompt=[1, 999]");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("workload.prompt.1"), r.err());
        r = BadInputTest.cli("run", "../scenarios/retnet-tiny-mesh.yaml", "--out", out.resolve("w").toString(), "--set", "workload.prefillBlock=2");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("workload.prefillBlock") && r.err().contains("parallel retention form"), r.err());
        r = BadInputTest.cli("make-checkpoint", "--family", "retnet", "--config", scenario.toString(), "--seed", "1", "--out", out.resolve("c").toString());
        assertEquals(2, r.code(), r.err());
    }
}
