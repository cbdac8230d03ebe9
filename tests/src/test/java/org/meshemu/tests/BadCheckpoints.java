package org.meshemu.tests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.meshemu.workloads.checkpoint.Checkpoint;
import org.meshemu.workloads.checkpoint.RandomCheckpoint;

/**
 * Broken checkpoints for the bad-input corpus: a valid tiny RetNet checkpoint written by
 * {@link RandomCheckpoint}, then one thing broken in its {@code model.safetensors} or
 * {@code config.json}, and a scenario that loads it.
 */
final class BadCheckpoints {
    private BadCheckpoints() {}

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONFIG = """
            {"model_type": "retnet", "decoder_embed_dim": 64, "decoder_value_embed_dim": 128, "decoder_retention_heads": 4,
             "decoder_ffn_embed_dim": 128, "decoder_layers": 2, "vocab_size": 128, "activation_fn": "swish"}""";
    static final String Q = "model.layers.0.retention.q_proj.weight";
    static final String SCENARIO = """
            name: checkpoint
            hardware: {noc: {width: 4, height: 4}, dram: {banksPerCore: 2}}
            model: {family: %s, checkpoint: ckpt}
            workload: {kind: generate, prompt: [5, 17, 42], decodeSteps: 2}
            """;

    /** A safetensors file taken apart: its header and its data section. */
    record Safetensors(ObjectNode header, byte[] data) {
        static Safetensors read(Path file) throws IOException {
            byte[] all = Files.readAllBytes(file);
            int n = (int) ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            ObjectNode header = (ObjectNode) JSON.readTree(new String(all, 8, n, StandardCharsets.UTF_8));
            return new Safetensors(header, java.util.Arrays.copyOfRange(all, 8 + n, all.length));
        }

        void write(Path file) throws IOException {
            writeRaw(file, -1, JSON.writeValueAsString(header), data);
        }

        ObjectNode entry(String tensor) { return (ObjectNode) header.get(tensor); }

        long begin(String tensor) { return entry(tensor).get("data_offsets").get(0).asLong(); }
    }

    /** Writes a safetensors file with a given header length field (-1: the header's true length). */
    static void writeRaw(Path file, long headerLength, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength < 0 ? h.length : headerLength).put(h).put(data);
        Files.write(file, b.array());
    }

    /** A case whose checkpoint is broken by {@code breakIt} on the file; {@code family} as the scenario names it. */
    private static BadInputTest.Case broken(String name, String family, FileEdit breakIt, String... expected) {
        return new BadInputTest.Case(name, dir -> {
            Path ckpt = dir.resolve("ckpt");
            RandomCheckpoint.write(Checkpoint.parseConfig("retnet", JSON.readTree(CONFIG), "config.json"), 3, ckpt);
            breakIt.apply(ckpt.resolve("model.safetensors"), ckpt.resolve("config.json"));
            Path scenario = Files.writeString(dir.resolve("scenario.yaml"), SCENARIO.formatted(family));
            return List.<String[]>of(new String[] {"validate", scenario.toString()});
        }, List.of(expected));
    }

    private static BadInputTest.Case header(String name, Consumer<Safetensors> edit, String... expected) {
        return broken(name, "retnet", (file, config) -> {
            Safetensors s = Safetensors.read(file);
            edit.accept(s);
            s.write(file);
        }, expected);
    }

    @FunctionalInterface
    interface FileEdit {
        void apply(Path safetensors, Path config) throws IOException;
    }

    private static void putFloat(Safetensors s, String tensor, int element, float value) {
        ByteBuffer.wrap(s.data()).order(ByteOrder.LITTLE_ENDIAN).putFloat((int) s.begin(tensor) + 4 * element, value);
    }

    static List<BadInputTest.Case> cases() {
        List<BadInputTest.Case> c = new ArrayList<>();
        c.add(broken("safetensors-truncated", "retnet", (f, config) -> {
            byte[] all = Files.readAllBytes(f);
            Files.write(f, java.util.Arrays.copyOf(all, all.length / 2));
        }, "model.safetensors", "data"));
        c.add(broken("safetensors-shorter-than-its-length-field", "retnet", (f, config) -> Files.write(f, new byte[5]),
                "model.safetensors: file is 5 bytes"));
        c.add(broken("safetensors-header-beyond-the-file", "retnet", (f, config) -> {
            Safetensors s = Safetensors.read(f);
            writeRaw(f, 1_000_000, JSON.writeValueAsString(s.header()), s.data());
        }, "model.safetensors: header length 1000000 is longer than the file"));
        c.add(broken("safetensors-header-length-enormous", "retnet", (f, config) -> writeRaw(f, Long.MAX_VALUE, "{}", new byte[0]),
                "model.safetensors: header length 9223372036854775807"));
        c.add(broken("safetensors-header-not-json", "retnet", (f, config) -> writeRaw(f, -1, "{\"a\": [1, 2", new byte[0]),
                "model.safetensors: header is not valid JSON"));
        c.add(broken("safetensors-header-not-an-object", "retnet", (f, config) -> writeRaw(f, -1, "[1, 2]", new byte[0]),
                "model.safetensors: header is not a JSON object"));
        c.add(header("safetensors-overlapping-offsets", s -> {
            ArrayNode off = (ArrayNode) s.entry(Q).get("data_offsets");
            off.set(0, off.get(0).asLong() - 4);
            off.set(1, off.get(1).asLong() - 4);
        }, "model.safetensors: tensor '", "data_offsets"));
        c.add(header("safetensors-offsets-past-the-data", s -> {
            ArrayNode off = (ArrayNode) s.entry(Q).get("data_offsets");
            off.set(1, off.get(1).asLong() + 1_000_000_000L);
        }, "model.safetensors: tensor '" + Q + "'", "data_offsets"));
        c.add(header("safetensors-negative-dimension", s -> ((ArrayNode) s.entry(Q).get("shape")).set(0, -64),
                "model.safetensors: tensor '" + Q + "': shape [-64,64] has an invalid dimension -64"));
        c.add(header("safetensors-unsupported-dtype", s -> s.entry(Q).put("dtype", "F64"),
                "model.safetensors: tensor '" + Q + "': unsupported dtype F64"));
        c.add(header("safetensors-integer-weights", s -> s.entry(Q).put("dtype", "I32"),
                "model.safetensors: tensor '" + Q + "': dtype I32 where a floating-point tensor (F32, BF16, F16) is expected"));
        c.add(header("safetensors-missing-tensor", s -> s.header().set("model.layers.0.retention.q_proj.weigth", s.header().remove(Q)),
                "model.safetensors: tensor '" + Q + "': missing (required by config.json)"));
        c.add(header("safetensors-shape-disagrees-with-config", s -> {
            ArrayNode shape = (ArrayNode) s.entry(Q).get("shape");
            shape.set(0, 32);
            shape.set(1, 128);
        }, "model.safetensors: tensor '" + Q + "': shape [32, 128] does not match config.json (expected [64, 64])"));
        c.add(header("safetensors-nan-weight", s -> putFloat(s, Q, 17, Float.NaN),
                "model.safetensors: tensor '" + Q + "': element 17 is NaN; weights must be finite numbers"));
        c.add(header("safetensors-infinite-weight", s -> putFloat(s, "model.embed_tokens.weight", 0, Float.NEGATIVE_INFINITY),
                "model.safetensors: tensor 'model.embed_tokens.weight': element 0 is -Infinity; weights must be finite numbers"));
        c.add(broken("config-not-json", "retnet", (f, config) -> Files.writeString(config, "{\"vocab_size\": "),
                "config.json", "not valid JSON"));
        c.add(broken("config-disagrees-with-the-scenario-family", "bitnet", (f, config) -> {},
                "model.family: 'bitnet' but", "config.json says model_type 'retnet'"));
        c.add(broken("config-zero-layers", "retnet", (f, config) -> Files.writeString(config, CONFIG.replace("\"decoder_layers\": 2", "\"decoder_layers\": 0")),
                "config.json", "decoder_layers"));
        return c;
    }
}
