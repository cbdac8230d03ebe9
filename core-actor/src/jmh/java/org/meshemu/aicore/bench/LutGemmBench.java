package org.meshemu.aicore.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.meshemu.aicore.Kernels;
import org.meshemu.aicore.PlainKernels;
import org.meshemu.tensor.DType;
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
 * Ternary weights [m x k] . int8 activations [k x T] on the LUT-GEMM with groups of g = 4 (the default
 * core's), at BitNet b1.58 2B-4T's slices on 1,024 cores: 7 x 2560 (gate/up, 6912 rows row-split), 3 x 6912
 * (down, 2560 rows row-split) and a whole 2560 x 2560 projection.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class LutGemmBench {
    static final int GROUP = 4;
    @Param({"7x2560", "3x6912", "2560x2560"})
    public String weights;
    @Param({"1", "4", "16"})
    public int tokens;
    private Tile w, x, packed;
    private final Kernels.Scratch scratch = new Kernels.Scratch();

    @Setup
    public void setUp() {
        int[] s = Shapes.parse(weights);
        SplittableRandom random = new SplittableRandom(7);
        w = new Tile(s[0], s[1], DType.TERNARY, Shapes.integers(random, s[0] * s[1], -1, 1));
        x = new Tile(s[1], tokens, DType.INT8, Shapes.integers(random, s[1] * tokens, -128, 127));
        if (!PlainKernels.lutGemm(w, x, GROUP).equals(Kernels.lutGemm(w, x, GROUP, scratch))) {
            throw new AssertionError("lut-gemm differs at " + weights + " x " + tokens);
        }
        // the same weights as BitNet's checkpoint holds them: 2 bits each, read as codes a row at a time
        packed = Tile.of(DType.TERNARY, org.meshemu.tensor.Stored.compact(DType.TERNARY, s[0], s[1], w.data()), s[0], s[1]);
        if (!Kernels.lutGemm(w, x, GROUP, scratch).equals(Kernels.lutGemm(packed, x, GROUP, scratch))) {
            throw new AssertionError("packed lut-gemm differs at " + weights + " x " + tokens);
        }
    }

    /** The loop Kernels.lutGemm had: fresh tables per column, each row's bit-planes read per column, a branch per lookup. */
    @Benchmark
    public Tile plain() {
        return PlainKernels.lutGemm(w, x, GROUP);
    }

    /** The product's kernel on packed ternary weights (2 bits a weight, as stored). */
    @Benchmark
    public Tile packed() {
        return Kernels.lutGemm(packed, x, GROUP, scratch);
    }

    /** The product's kernel, with a core's scratch. */
    @Benchmark
    public Tile tables() {
        return Kernels.lutGemm(w, x, GROUP, scratch);
    }
}
