package org.meshemu.aicore.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.meshemu.aicore.Kernels;
import org.meshemu.aicore.PlainKernels;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Stored;
import org.meshemu.tensor.Tile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * fp32 weights [m x k] . activations [k x T] (T = 1: the GEMV of a decoding step; T > 1: a prompt block),
 * at the slices the full-size scenarios cut: 3 x 3072 (a 3072 x 3072 projection row-split over 1,024
 * cores), 125 x 2560 (BitNet-2B's tied head per core) and a whole 3072 x 3072 projection. One call per
 * operation, the result tile's allocation included (every variant makes one).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GemmBench {
    @Param({"3x3072", "125x2560", "3072x3072"})
    public String weights;
    @Param({"1", "4", "16"})
    public int tokens;
    private Tile a, b, aBf16, aBf16Widened;
    private final Kernels.Scratch scratch = new Kernels.Scratch();

    @Setup
    public void setUp() {
        int[] s = Shapes.parse(weights);
        SplittableRandom random = new SplittableRandom(7);
        a = Tile.fp32(s[0], s[1], Shapes.uniform(random, s[0] * s[1]));
        b = Tile.fp32(s[1], tokens, Shapes.uniform(random, s[1] * tokens));
        // every variant measured gives the plain loop's bits
        Tile expected = PlainKernels.gemm(a, b, null, false);
        if (!expected.equals(Kernels.gemm(a, b, null, false))) throw new AssertionError("tiled gemm differs at " + weights + " x " + tokens);
        if (!expected.equals(VectorApiGemm.gemm(a, b))) throw new AssertionError("Vector API gemm differs at " + weights + " x " + tokens);
        // the same weights rounded to bf16 and held as a checkpoint holds them (2 bytes a value), widened a block of rows at a time
        float[] rounded = a.data().clone();
        for (int i = 0; i < rounded.length; i++) rounded[i] = Float.intBitsToFloat(Float.floatToRawIntBits(rounded[i]) & 0xFFFF0000);
        aBf16 = Tile.of(DType.FP32, Stored.compact(DType.BF16, s[0], s[1], rounded), s[0], s[1]);
        aBf16Widened = Tile.fp32(s[0], s[1], rounded);
        if (!Kernels.gemm(aBf16Widened, b, null, false).equals(Kernels.gemm(aBf16, b, null, false, scratch))) throw new AssertionError("bf16 gemm differs at " + weights + " x " + tokens);
    }

    /** The loop Kernels.gemm had: one output element at a time. */
    @Benchmark
    public Tile plain() {
        return PlainKernels.gemm(a, b, null, false);
    }

    /** The product's kernel: register tiles of independent chains. */
    @Benchmark
    public Tile tiled() {
        return Kernels.gemm(a, b, null, false);
    }

    /** The product's kernel on bf16 weights held stored: each block of rows widened into the core's scratch, then the register tiles. */
    @Benchmark
    public Tile bf16() {
        return Kernels.gemm(aBf16, b, null, false, scratch);
    }

    /** The Vector API variant (needs --add-modules jdk.incubator.vector). */
    @Benchmark
    public Tile vectorApi() {
        return VectorApiGemm.gemm(a, b);
    }
}
