package org.meshemu.workloads.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tensor;

/**
 * Seeded random weights in the real checkpoint layout of each family ({@code ModelFamily#layout}), as a
 * directory or in memory.
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
        return write(config, seed, dir, DType.FP32);
    }

    /**
     * As {@link #write(ModelConfig, long, Path)} with the floating tensors of more than one value stored as
     * {@code floats} (FP32, or BF16 as real checkpoints ship: each value rounded to nearest even); the
     * one-value scales stay F32. The loader reads back exactly the stored values.
     */
    public static Path write(ModelConfig config, long seed, Path dir, DType floats) {
        if (floats != DType.FP32 && floats != DType.BF16) throw new IllegalArgumentException("random checkpoints store floats as fp32 or bf16, not " + floats.key());
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
        tensors(config, seed).forEach((name, t) -> w.put(name, t.dtype() == DType.FP32 && t.numel() > 1
                ? Tensor.ofFloats(name, t.shape(), t.f32(), floats) : t));
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

    /** The bytes a checkpoint of {@code config} holds, summed over its tensors as generated (F32, packed U8). */
    public static long bytes(ModelConfig config) {
        Gen g = new Gen(null);
        layout(config, g);
        return g.headers.values().stream().mapToLong(t -> t.end() - t.begin()).sum();
    }

    /** The named tensors of a random checkpoint, in file order. */
    public static Map<String, Tensor> tensors(ModelConfig config, long seed) {
        Gen g = new Gen(new SplittableRandom(seed));
        layout(config, g);
        return g.out;
    }

    private static void layout(ModelConfig config, Gen g) {
        Checkpoint.family(config).layout(config, g);
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

    /**
     * Draws tensors in call order from one stream, so the order of calls is part of the format. Without a
     * stream (rng null) it records only each tensor's header and draws nothing.
     */
    private static final class Gen implements WeightLayout {
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
                header(name, DType.FP32, shape);
            } else {
                out.put(name, Tensor.ofFloats(name, shape, normal(Math.toIntExact(Tensor.elementCount(shape)), mean, std)));
            }
        }

        void header(String name, DType dtype, int... shape) {
            headers.put(name, new TensorInfo(name, dtype, shape, 0, SafetensorsTypes.bytes(dtype, Tensor.elementCount(shape))));
        }

        @Override
        public void linear(String name, int rows, int cols) {
            floats(name, 0, 1 / Math.sqrt(cols), rows, cols);
        }

        @Override
        public void embedding(String name, int rows, int cols) {
            floats(name, 0, 1, rows, cols);
        }

        @Override
        public void norm(String name, int n) {
            floats(name, 1, 0.1, n);
        }

        @Override
        public void bias(String name, int n) {
            floats(name, 0, 0.02, n);
        }

        @Override
        public void ternary(String prefix, int rows, int cols) {
            if (rng == null) {
                header(prefix + ".weight", DType.UINT8, rows / 4, cols);
                header(prefix + ".weight_scale", DType.FP32, 1);
                return;
            }
            Ternary.Quantised q = Ternary.quantiseWeights(normal(rows * cols, 0, 1 / Math.sqrt(cols)));
            out.put(prefix + ".weight", Tensor.ofBytes(prefix + ".weight", new int[] {rows / 4, cols},
                    Ternary.pack(q.ternary(), rows, cols), DType.UINT8));
            out.put(prefix + ".weight_scale", Tensor.ofFloats(prefix + ".weight_scale", new int[] {1}, new float[] {q.weightScale()}));
        }
    }
}
