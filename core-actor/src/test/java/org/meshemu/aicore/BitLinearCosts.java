package org.meshemu.aicore;

import java.util.List;
import java.util.Locale;
import org.meshemu.scenario.ScenarioLoader;
import org.meshemu.tensor.DType;

/**
 * Benchmark (bench/bitlinear-cost.sh): the cycles of each BitNet b1.58 2B4T projection on one core of
 * the scenario's core spec (defaults, changed by {@code path=value} arguments as with --set), by the
 * LUT-GEMM and by dequantise-then-GEMM (int8 and bf16), for decode (n = 1) and a prefill of n = 128
 * tokens. One JSON object per line. The costs are the instruction costs the core charges
 * ({@link CoreTiming#cycles}), for the whole weight on one core: SRAM capacity is not applied (split
 * over P cores, every term divides by about P).
 */
public final class BitLinearCosts {
    private BitLinearCosts() {}

    /** BitNet b1.58 2B4T: hidden 2560, intermediate 6912, 20 heads and 5 KV heads of 128. */
    private record Projection(String name, int out, int in) {}

    private static final List<Projection> LAYER = List.of(new Projection("q_proj", 2560, 2560), new Projection("k_proj", 640, 2560),
            new Projection("v_proj", 640, 2560), new Projection("o_proj", 2560, 2560), new Projection("gate_proj", 6912, 2560),
            new Projection("up_proj", 6912, 2560), new Projection("down_proj", 2560, 6912));

    public static void main(String[] args) {
        var spec = ScenarioLoader.parse("bitlinear-cost", "name: bitlinear-cost\nworkload: {kind: gemm}\n",
                List.of(args).stream().map(a -> a.startsWith("hardware.") ? a : "hardware.core." + a).toList()).scenario().hardware();
        CoreSpec core = spec.get(CoreSpec.class);
        CoreTiming t = CoreTiming.of(core, core.cyclePs());
        for (int n : new int[] {1, 128}) {
            long[] total = new long[3];
            for (Projection p : LAYER) {
                long[] c = costs(t, p.out(), p.in(), n);
                for (int i = 0; i < 3; i++) total[i] += c[i];
                print(p.name(), p.out(), p.in(), n, c, t);
            }
            print("layer", 0, 0, n, total, t);
        }
    }

    /** Cycles of W [m x k] ternary . X [k x n] int8 by lut, dequantise to int8, dequantise to bf16. */
    static long[] costs(CoreTiming t, int m, int k, int n) {
        Shape w = new Shape(m, k, DType.TERNARY), x = new Shape(k, n, DType.INT8);
        long lut = t.cycles(new Instruction.LutGemm(0, 1, 2), List.of(w, x), new Shape(m, n, DType.INT32));
        long int8 = widen(t, w, DType.INT8) + gemm(t, new Shape(m, k, DType.INT8), x);
        long bf16 = widen(t, w, DType.BF16) + widen(t, x, DType.BF16) + gemm(t, new Shape(m, k, DType.BF16), new Shape(k, n, DType.BF16));
        return new long[] {lut, int8, bf16};
    }

    private static long widen(CoreTiming t, Shape s, DType to) {
        return t.cycles(new Instruction.Vector(new VectorOp.Widen(to), 1, 0), List.of(s), new Shape(s.rows(), s.cols(), to));
    }

    private static long gemm(CoreTiming t, Shape a, Shape b) {
        return t.cycles(new Instruction.Gemm(0, 1, 2, false), List.of(a, b), new Shape(a.rows(), b.cols(), Kernels.gemmType(a.dtype(), b.dtype())));
    }

    private static void print(String name, int m, int k, int n, long[] c, CoreTiming t) {
        System.out.println(String.format(Locale.ROOT,
                "{\"projection\": \"%s\", \"out\": %d, \"in\": %d, \"tokens\": %d, \"lutCycles\": %d, \"lutTableCycles\": %d, "
                        + "\"dequantiseInt8Cycles\": %d, \"dequantiseBf16Cycles\": %d, \"dequantiseInt8OverLut\": %.2f}",
                name, m, k, n, c[0], m == 0 ? 0 : t.lutTableCycles(k, n), c[1], c[2], (double) c[1] / c[0]));
    }
}
