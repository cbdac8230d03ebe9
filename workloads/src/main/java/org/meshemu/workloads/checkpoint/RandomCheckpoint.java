package org.meshemu.workloads.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
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
 *
 * <p>The samples are those of one {@link java.util.SplittableRandom} stream drawn in file order, two uniforms a
 * value. That generator is counter-based (draw k is a mix of seed + (k + 1) gamma), so {@link Stream} makes any
 * draw on its own: each tensor knows where in the stream it starts, its values are made in parallel chunks,
 * and {@link #write} fills the mapped file one tensor at a time in the stored type, never holding the model on
 * the heap (a full-size model's checkpoint is larger than the heap).
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
     * one-value scales stay F32. The loader reads back exactly the stored values. Each tensor is made in the
     * file's mapping, in parallel chunks, so memory holds at most one packed ternary tensor's master weights.
     */
    public static Path write(ModelConfig config, long seed, Path dir, DType floats) {
        if (floats != DType.FP32 && floats != DType.BF16) throw new IllegalArgumentException("random checkpoints store floats as fp32 or bf16, not " + floats.key());
        Stream stream = new Stream(seed);
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
        Map<String, Float> scales = new LinkedHashMap<>(); // a ternary weight's scale, for the tensor after it
        for (Planned t : plan(config)) {
            switch (t.kind()) {
                case NORMAL -> {
                    DType stored = t.numel() > 1 ? floats : DType.FP32;
                    w.put(t.name(), stored, t.shape(), region -> stream.fill(t, region, stored));
                }
                case TERNARY -> w.put(t.name(), DType.UINT8, t.shape(), region -> {
                    Ternary.Quantised q = Ternary.quantiseWeights(stream.normals(t));
                    scales.put(t.name() + "_scale", q.weightScale());
                    region.put(Ternary.pack(q.ternary(), t.rows(), t.cols()));
                });
                case SCALE -> w.put(t.name(), DType.FP32, t.shape(), region -> region.putFloat(0, scales.remove(t.name())));
            }
        }
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
        Map<String, TensorInfo> headers = new LinkedHashMap<>();
        for (Planned t : plan(config)) headers.put(t.name(), new TensorInfo(t.name(), t.dtype(), t.shape(), 0, t.bytes()));
        return Checkpoint.load(new HeaderOnly("random(shapes only)", headers), config, false);
    }

    /** The values a checkpoint of {@code config} holds, summed over its tensors (its parameter count). */
    public static long elements(ModelConfig config) {
        return plan(config).stream().mapToLong(Planned::numel).sum();
    }

    /** The bytes a checkpoint of {@code config} holds, summed over its tensors as generated (F32, packed U8). */
    public static long bytes(ModelConfig config) {
        return plan(config).stream().mapToLong(Planned::bytes).sum();
    }

    /** The named tensors of a random checkpoint, in file order. */
    public static Map<String, Tensor> tensors(ModelConfig config, long seed) {
        Stream stream = new Stream(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        Ternary.Quantised last = null;
        for (Planned t : plan(config)) {
            switch (t.kind()) {
                case NORMAL -> out.put(t.name(), Tensor.ofFloats(t.name(), t.shape(), stream.normals(t)));
                case TERNARY -> {
                    last = Ternary.quantiseWeights(stream.normals(t));
                    out.put(t.name(), Tensor.ofBytes(t.name(), t.shape(), Ternary.pack(last.ternary(), t.rows(), t.cols()), DType.UINT8));
                }
                case SCALE -> out.put(t.name(), Tensor.ofFloats(t.name(), t.shape(), new float[] {last.weightScale()}));
            }
        }
        return out;
    }

    /** The tensors of {@code config}'s family layout, in file order, each with where its samples start in the stream. */
    private static List<Planned> plan(ModelConfig config) {
        Gen g = new Gen();
        Checkpoint.family(config).layout(config, g);
        return g.planned;
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

    /** What a tensor holds: normal samples, a packed ternary weight quantised from them, or that weight's scale. */
    private enum Kind { NORMAL, TERNARY, SCALE }

    /**
     * One tensor of the file: its stored shape, and for samples the [rows, cols] drawn (for a ternary weight its
     * master weights, packed to [rows/4, cols]), their mean and deviation, and the stream position of its first draw.
     */
    private record Planned(String name, Kind kind, int[] shape, int rows, int cols, double mean, double std, long firstDraw) {
        DType dtype() { return kind == Kind.TERNARY ? DType.UINT8 : DType.FP32; }

        long numel() { return Tensor.elementCount(shape); }

        long bytes() { return SafetensorsTypes.bytes(dtype(), numel()); }

        /** The samples drawn: the master weights of a ternary weight, none for a scale. */
        long samples() { return kind == Kind.SCALE ? 0 : (long) rows * cols; }
    }

    /** Records the tensors in call order; each takes two draws per sample from where the one before it ended. */
    private static final class Gen implements WeightLayout {
        final List<Planned> planned = new ArrayList<>();
        long draws;

        void add(String name, Kind kind, int[] shape, int rows, int cols, double mean, double std) {
            Planned t = new Planned(name, kind, shape, rows, cols, mean, std, draws);
            planned.add(t);
            draws += 2 * t.samples();
        }

        void floats(String name, double mean, double std, int... shape) {
            long n = Tensor.elementCount(shape);
            add(name, Kind.NORMAL, shape, 1, Math.toIntExact(n), mean, std);
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
            add(prefix + ".weight", Kind.TERNARY, new int[] {rows / 4, cols}, rows, cols, 0, 1 / Math.sqrt(cols));
            add(prefix + ".weight_scale", Kind.SCALE, new int[] {1}, 0, 0, 0, 0);
        }
    }

    /**
     * {@code new SplittableRandom(seed)}'s stream with random access: draw k (from 0) is mix64(seed + (k + 1) gamma),
     * which is how SplittableRandom makes its k-th {@code nextLong} (a test holds the two equal), and a uniform double
     * is its upper 53 bits. A sample is Box-Muller of two consecutive draws.
     */
    static final class Stream {
        private static final long GAMMA = 0x9e3779b97f4a7c15L;
        private static final int CHUNK = 1 << 16;
        private final long seed;

        Stream(long seed) {
            this.seed = seed;
        }

        double uniform(long draw) {
            long z = seed + (draw + 1) * GAMMA;
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return ((z ^ (z >>> 31)) >>> 11) * 0x1.0p-53;
        }

        /** Sample i of tensor t. */
        float normal(Planned t, long i) {
            long k = t.firstDraw() + 2 * i;
            double u1 = 1.0 - uniform(k); // (0, 1]: log is finite
            double u2 = uniform(k + 1);
            double z = StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
            return (float) (t.mean() + t.std() * z);
        }

        /** All of t's samples, made in parallel chunks. */
        float[] normals(Planned t) {
            float[] a = new float[Math.toIntExact(t.samples())];
            chunks(a.length).forEach(c -> {
                for (int i = (int) c, end = Math.min(a.length, i + CHUNK); i < end; i++) a[i] = normal(t, i);
            });
            return a;
        }

        /** t's samples written into its file region as {@code stored} (F32, or BF16 rounded to nearest even), in parallel chunks. */
        void fill(Planned t, ByteBuffer region, DType stored) {
            long n = t.samples();
            chunks(n).forEach(c -> {
                for (long i = c, end = Math.min(n, c + CHUNK); i < end; i++) {
                    float v = normal(t, i);
                    if (stored == DType.BF16) region.putShort(Math.toIntExact(2 * i), SafetensorsWriter.toBf16(v));
                    else region.putFloat(Math.toIntExact(4 * i), v);
                }
            });
        }

        /** The first index of each chunk of n values, as a parallel stream (each chunk's values depend only on their index). */
        private static LongStream chunks(long n) {
            return LongStream.range(0, Math.ceilDiv(n, CHUNK)).parallel().map(c -> c * CHUNK);
        }
    }
}
