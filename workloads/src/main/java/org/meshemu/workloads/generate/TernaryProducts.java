package org.meshemu.workloads.generate;

import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.VectorOp;
import org.meshemu.scenario.Named;
import org.meshemu.scenario.Registry;
import org.meshemu.tensor.DType;
import org.meshemu.workloads.generate.lower.CoreCode;

/**
 * The registry of ways to multiply ternary weights by int8 activations on a core, by the scenario
 * name {@code workload.bitLinear}: the {@link Product}s listed in
 * {@code META-INF/services/org.meshemu.workloads.generate.TernaryProducts$Product}. Contract: every
 * way gives the same exact int32 products (the integers of {@code Ops.ternaryAccumulate}); they
 * differ only in which units do the work and so in time and energy.
 */
public final class TernaryProducts {
    /** Emits y := W x for ternary W in register {@code w}, int8 x, int32 y, on {@code core}. */
    public interface Product extends Named {
        void emit(CoreCode code, int core, int w, int x, int out);
    }

    public static final Registry<Product> REGISTRY = Registry.of(Product.class, "workload.bitLinear");

    private TernaryProducts() {}

    /** The way named {@code name}. */
    public static Product named(String name) {
        return REGISTRY.named(name);
    }

    /** {@code lut}: LUT Tensor Core: table precompute on the vector unit, bit-plane lookups on the LUT unit. */
    public static final class Lut implements Product {
        @Override public String name() { return "lut"; }

        @Override
        public void emit(CoreCode code, int core, int w, int x, int out) {
            code.emit(core, new Instruction.LutGemm(w, x, out));
        }
    }

    /** {@code dequantise}: expand the weights to int8 on the vector unit, then a dense int8 gemm on the matrix unit. */
    public static final class Dequantise implements Product {
        @Override public String name() { return "dequantise"; }

        @Override
        public void emit(CoreCode code, int core, int w, int x, int out) {
            int wide = code.temp();
            code.emit(core, new Instruction.Vector(new VectorOp.Widen(DType.INT8), wide, w));
            code.emit(core, new Instruction.Gemm(wide, x, out, false));
        }
    }
}
