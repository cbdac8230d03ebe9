package org.meshemu.workloads.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded random weights in the real checkpoint layout of each family, as a directory or in memory.
 *
 * <p>Contract: {@link #tensors} is a pure function of (config, seed): real tensor names, real types (BitNet
 * projections offline-quantised from random master weights and packed as U8 [out/4, in] with an F32
 * {@code weight_scale}; everything else F32). {@link #build} and {@link #write} + {@link Checkpoint#open} give
 * bit-identical weights because both go through the same validating loader. Magnitudes keep activations O(1):
 * linear weights N(0, 1/in), embeddings N(0, 1), norm weights 1 + N(0, 0.1^2), biases N(0, 0.02^2), so
 * logits are finite and the retention outputs are far above the RMSNorm eps (see the cross-form tests).
 * Normal samples use Box-Muller with {@link StrictMath} so the numbers do not depend on the JDK.
 */
public final class RandomCheckpoint {
    private RandomCheckpoint() {
    }

    /** Writes {@code config.json} and {@code model.safetensors} into {@code dir} (created if needed). */
    public static Path write(ModelConfig config, long seed, Path dir) {
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
        tensors(config, seed).forEach(w::put);
        try {
            Files.createDirectories(dir);
            new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValue(dir.resolve(Checkpoint.CONFIG_FILE).toFile(), config.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir, e);
        }
        w.write(dir.resolve(SafetensorsCheckpoint.SINGLE_FILE));
        return dir;
    }

    /** The weights {@link #write} would store, without touching the file system. */
    public static ModelWeights build(ModelConfig config, long seed) {
        return Checkpoint.load(new InMemoryTensors("random(seed=" + seed + ")", tensors(config, seed)), config);
    }

    /**
     * The shape-only weights of a random checkpoint of {@code config} (timing mode): the same tensors,
     * names and types as {@link #build}, checked by the same loader, without drawing or holding a value,
     * so a full-size config costs milliseconds and no weight memory.
     */
    public static ModelWeights shapes(ModelConfig config) {
        Gen g = new Gen(null);
        layout(config, g);
        return Checkpoint.load(new HeaderOnly("random(shapes only)", g.headers), config, false);
    }

    /** The values a checkpoint of {@code config} holds, summed over its tensors (its parameter count). */
    public static long elements(ModelConfig config) {
        Gen g = new Gen(null);
        layout(config, g);
        return g.headers.values().stream().mapToLong(TensorInfo::numel).sum();
    }

    /** The named tensors of a random checkpoint, in file order. */
    public static Map<String, Tensor> tensors(ModelConfig config, long seed) {
        Gen g = new Gen(new SplittableRandom(seed));
        layout(config, g);
        return g.out;
    }

    private static void layout(ModelConfig config, Gen g) {
        switch (config) {
            case RetNetConfig c -> retnet(c, g);
            case PhiMoeConfig c -> phimoe(c, g);
            case BitNetConfig c -> bitnet(c, g);
        }
    }

    /** Tensor headers without data: what the shape-only loader reads. */
    private record HeaderOnly(String location, Map<String, TensorInfo> headers) implements TensorSource {
        @Override public java.util.Set<String> names() { return headers.keySet(); }

        @Override public TensorInfo info(String name) { return headers.get(name); }

        @Override public Tensor read(String name) {
            throw CheckpointException.tensor(location, name, "has no data: shape-only weights are for timing mode");
        }

        @Override public String location(String name) { return location; }
    }

    private static void retnet(RetNetConfig c, Gen g) {
        int d = c.decoderEmbedDim();
        int dv = c.decoderValueEmbedDim();
        int f = c.decoderFfnEmbedDim();
        g.embedding("model.embed_tokens.weight", c.vocabSize(), d);
        if (c.layernormEmbedding()) {
            g.norm("model.layernorm_embedding.weight", d);
        }
        for (int i = 0; i < c.decoderLayers(); i++) {
            String l = "model.layers." + i + ".";
            g.linear(l + "retention.q_proj.weight", d, d);
            g.linear(l + "retention.k_proj.weight", d, d);
            g.linear(l + "retention.v_proj.weight", dv, d);
            g.linear(l + "retention.g_proj.weight", dv, d);
            g.linear(l + "retention.out_proj.weight", d, dv);
            g.norm(l + "retention_layer_norm.weight", d);
            g.norm(l + "final_layer_norm.weight", d);
            g.linear(l + "ffn.fc1.weight", f, d);
            g.linear(l + "ffn.gate.weight", f, d);
            g.linear(l + "ffn.fc2.weight", d, f);
        }
        g.norm("model.layer_norm.weight", d);
        if (!c.tieWordEmbeddings()) {
            g.linear("lm_head.weight", c.vocabSize(), d);
        }
    }

    private static void phimoe(PhiMoeConfig c, Gen g) {
        int h = c.hiddenSize();
        int im = c.intermediateSize();
        g.embedding("model.embed_tokens.weight", c.vocabSize(), h);
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String l = "model.layers." + i + ".";
            g.norm(l + "input_layernorm.weight", h);
            g.bias(l + "input_layernorm.bias", h);
            for (String[] p : new String[][] {{"q", "" + c.qDim()}, {"k", "" + c.kvDim()}, {"v", "" + c.kvDim()}}) {
                g.linear(l + "self_attn." + p[0] + "_proj.weight", Integer.parseInt(p[1]), h);
                if (c.attentionBias()) {
                    g.bias(l + "self_attn." + p[0] + "_proj.bias", Integer.parseInt(p[1]));
                }
            }
            g.linear(l + "self_attn.o_proj.weight", h, c.qDim());
            if (c.attentionBias()) {
                g.bias(l + "self_attn.o_proj.bias", h);
            }
            g.norm(l + "post_attention_layernorm.weight", h);
            g.bias(l + "post_attention_layernorm.bias", h);
            g.linear(l + "block_sparse_moe.gate.weight", c.numLocalExperts(), h);
            for (int e = 0; e < c.numLocalExperts(); e++) {
                String x = l + "block_sparse_moe.experts." + e + ".";
                g.linear(x + "w1.weight", im, h);
                g.linear(x + "w2.weight", h, im);
                g.linear(x + "w3.weight", im, h);
            }
        }
        g.norm("model.norm.weight", h);
        g.bias("model.norm.bias", h);
        if (!c.tieWordEmbeddings()) {
            g.linear("lm_head.weight", c.vocabSize(), h);
        }
        if (c.lmHeadBias()) {
            g.bias("lm_head.bias", c.vocabSize());
        }
    }

    private static void bitnet(BitNetConfig c, Gen g) {
        int h = c.hiddenSize();
        int im = c.intermediateSize();
        g.embedding("model.embed_tokens.weight", c.vocabSize(), h);
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String l = "model.layers." + i + ".";
            g.norm(l + "input_layernorm.weight", h);
            g.norm(l + "post_attention_layernorm.weight", h);
            g.norm(l + "self_attn.attn_sub_norm.weight", h);
            g.norm(l + "mlp.ffn_sub_norm.weight", im);
            g.ternary(l + "self_attn.q_proj", c.qDim(), h);
            g.ternary(l + "self_attn.k_proj", c.kvDim(), h);
            g.ternary(l + "self_attn.v_proj", c.kvDim(), h);
            g.ternary(l + "self_attn.o_proj", h, c.qDim());
            g.ternary(l + "mlp.gate_proj", im, h);
            g.ternary(l + "mlp.up_proj", im, h);
            g.ternary(l + "mlp.down_proj", h, im);
        }
        g.norm("model.norm.weight", h);
        if (!c.tieWordEmbeddings()) {
            g.linear("lm_head.weight", c.vocabSize(), h);
        }
    }

    /**
     * Draws tensors in call order from one stream, so the order of calls is part of the format. Without a
     * stream (rng null) it records only each tensor's header and draws nothing.
     */
    private static final class Gen {
        final SplittableRandom rng;
        final Map<String, Tensor> out = new LinkedHashMap<>();
        final Map<String, TensorInfo> headers = new LinkedHashMap<>();

        Gen(SplittableRandom rng) {
            this.rng = rng;
        }

        float[] normal(int n, double mean, double std) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                double u1 = 1.0 - rng.nextDouble(); // (0, 1]: log is finite
                double u2 = rng.nextDouble();
                double z = StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
                a[i] = (float) (mean + std * z);
            }
            return a;
        }

        /** An F32 tensor of {@code shape} with normal values, drawn only when there is a stream. */
        void floats(String name, double mean, double std, int... shape) {
            if (rng == null) {
                header(name, DType.F32, shape);
            } else {
                out.put(name, new Tensor.Floats(shape, normal(Math.toIntExact(Tensor.elementCount(shape)), mean, std)));
            }
        }

        void header(String name, DType dtype, int... shape) {
            headers.put(name, new TensorInfo(name, dtype, shape, 0, Tensor.elementCount(shape) * dtype.bytes()));
        }

        void linear(String name, int rows, int cols) {
            floats(name, 0, 1 / Math.sqrt(cols), rows, cols);
        }

        void embedding(String name, int rows, int cols) {
            floats(name, 0, 1, rows, cols);
        }

        void norm(String name, int n) {
            floats(name, 1, 0.1, n);
        }

        void bias(String name, int n) {
            floats(name, 0, 0.02, n);
        }

        void ternary(String prefix, int rows, int cols) {
            if (rng == null) {
                header(prefix + ".weight", DType.U8, rows / 4, cols);
                header(prefix + ".weight_scale", DType.F32, 1);
                return;
            }
            Ternary.Quantised q = Ternary.quantiseWeights(normal(rows * cols, 0, 1 / Math.sqrt(cols)));
            out.put(prefix + ".weight", new Tensor.Bytes(new int[] {rows / 4, cols},
                    Ternary.pack(q.ternary(), rows, cols), DType.U8));
            out.put(prefix + ".weight_scale", new Tensor.Floats(new int[] {1}, new float[] {q.weightScale()}));
        }
    }
}
