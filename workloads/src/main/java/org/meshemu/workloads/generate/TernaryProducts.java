package org.meshemu.workloads.generate;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.workloads.generate.lower.CoreCode;

/**
 * The registry of ways to multiply ternary weights by int8 activations on a core, by the scenario
 * name {@code workload.bitLinear}. Contract: every way gives the same exact int32 products (the
 * integers of {@code Ops.ternaryAccumulate}); they differ only in which units do the work and so
 * in time and energy.
 */
public final class TernaryProducts {
    /** Emits y := W x for ternary W in register {@code w}, int8 x, int32 y, on {@code core}. */
    @FunctionalInterface
    public interface Product {
        void emit(CoreCode code, int core, int w, int x, int out);
    }

    private static final Map<String, Product> BY_NAME = new TreeMap<>(Map.of(
            // LUT Tensor Core: table precompute on the vector unit, bit-plane lookups on the LUT unit
            "lut", (code, core, w, x, out) -> code.emit(core, new Instruction.LutGemm(w, x, out)),
            // expand the weights to int8 on the vector unit, then a dense int8 gemm on the matrix unit
            "dequantise", (code, core, w, x, out) -> {
                int wide = code.temp();
                code.emit(core, new Instruction.Vector(new VectorOp.Widen(DType.INT8), wide, w));
                code.emit(core, new Instruction.Gemm(wide, x, out, false));
            }));

    /** The registered names, for validation messages. */
    public static final List<String> NAMES = List.copyOf(BY_NAME.keySet());

    private TernaryProducts() {}

    /** The way named {@code name}; the caller has validated it against {@link #NAMES}. */
    public static Product named(String name) {
        Product p = BY_NAME.get(name);
        if (p == null) throw new IllegalArgumentException("no ternary product " + name + "; registered: " + NAMES);
        return p;
    }
}
