package org.meshemu.aicore;

import java.util.List;
import java.util.random.RandomGenerator;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;

/**
 * The operations of the vector unit ({@link Instruction.Vector}). Each says how many inputs it takes,
 * the shape it produces and its work: element operations on the vector lanes (by default its input
 * elements times its passes) and, for the few that contain matrix products, fp32 flops on the matrix
 * unit; the cost is overhead + max(unit cycles, SRAM cycles) ({@link CoreTiming#cycles}).
 * The numbers are {@link VectorMath}'s, so an operator gives the same bits as the reference. The
 * operators are generic; a model's own (RetNet's retention, a mixture of experts' routing) is a
 * {@link Fused} operator that the workload defines with its numerics and its cost, and the core runs
 * like any other.
 *
 * <p>Vectors are column tiles [n x 1]. A block of T tokens is a tile [n x T], one column per token
 * (row-major, so element (i, t) is at i T + t): per-token operators (norms, rotations, quantisation,
 * attention) work column by column, exactly as on each column alone; elementwise ones do not care.
 */
public sealed interface VectorOp {

    /** Output shape for these input shapes; throws IllegalArgumentException when they do not fit. */
    Shape out(List<Shape> in);

    /** Passes over the input elements (the vector unit's work per element). */
    int passes();

    /** Inputs expected, or -1 for any number >= 1. */
    int arity();

    /** Element operations on the vector lanes for these inputs: by default every input element, {@link #passes} times. */
    default long work(List<Shape> in) {
        long e = 0;
        for (Shape s : in) e += s.elements();
        return e * passes();
    }

    /** fp32 flops the operator runs on the matrix unit (the products inside a prompt-form retention); none by default. */
    default long matrixFlops(List<Shape> in) {
        return 0;
    }

    /** Whether the operator reads all of its inputs from SRAM; false for one that picks a part (a slice, a column). */
    default boolean readsWhole() {
        return true;
    }

    /**
     * An operator whose result is a decision the model takes from values (the next token, the
     * routed experts), which later instructions use as an index. In timing mode there are no values
     * to decide from, so the core that makes the decision draws it ({@link Kernels#draw}) from its
     * seeded stream and the result travels on as data: every core that loads by it agrees, and the
     * trace depends only on (scenario seed, core id), never on partitioning.
     */
    sealed interface Decision extends VectorOp permits ArgmaxIndex, FusedDecision {}

    /**
     * An operator a workload defines: a model's own maths (RetNet's retention, a mixture of experts'
     * routing) with its shape, its cost ({@link #work}, {@link #matrixFlops}, {@link #passes}) and its
     * numerics ({@link #compute}), which the core executes and charges like a built-in one. Its inputs
     * and output are tiles as for every operator; it is a value of the program (a record), built by the
     * lowering on every node, so nothing of it travels on the wire.
     */
    non-sealed interface Fused extends VectorOp {
        /**
         * The output's values, fp32-held, row-major, for input tiles that all hold values and the shape
         * {@link #out} gave for them.
         */
        float[] compute(List<Tile> in, Shape out);
    }

    /** A {@link Fused} operator whose result is a {@link Decision}: in timing mode it is drawn, not computed. */
    non-sealed interface FusedDecision extends Fused, Decision {
        /** The decision drawn from the core's seeded stream instead of computed from values ({@link Kernels#draw}). */
        Tile draw(List<Tile> in, RandomGenerator random);
    }

    /** Per-group RMSNorm of each column of x (groups equal slices, e.g. retention heads), times weight when {@code affine} (inputs x[, w]). */
    record RmsNorm(float eps, int groups, boolean affine) implements VectorOp {
        public Shape out(List<Shape> in) { return same(in.get(0)); }
        public int passes() { return 3; }
        public int arity() { return affine ? 2 : 1; }
    }

    /** LayerNorm of each column with biased variance and affine weight and bias (inputs x, w, b). */
    record LayerNorm(float eps) implements VectorOp {
        public Shape out(List<Shape> in) { return same(in.get(0)); }
        public int passes() { return 4; }
        public int arity() { return 3; }
    }

    /** x * s. */
    record Scale(float s) implements VectorOp {
        public Shape out(List<Shape> in) { return same(in.get(0)); }
        public int passes() { return 1; }
        public int arity() { return 1; }
    }

    /** An activation applied to every element (a GNN's ReLU, a gated unit's sigmoid and tanh). */
    record Activation(VectorMath.Activation fn) implements VectorOp {
        public Shape out(List<Shape> in) { return same(in.get(0)); }
        public int passes() { return 1; }
        public int arity() { return 1; }
    }

    /** silu(a) * b (RetNet's gate and GLU, SwiGLU experts). */
    record SiluMul() implements VectorOp {
        public Shape out(List<Shape> in) { return same(in.get(0)); }
        public int passes() { return 2; }
        public int arity() { return 2; }
    }

    /** relu(a)^2 * b (BitNet's GLU). */
    record Relu2Mul() implements VectorOp {
        public Shape out(List<Shape> in) { return same(in.get(0)); }
        public int passes() { return 2; }
        public int arity() { return 2; }
    }

    /** RetNet rotation of interleaved pairs of each head of {@code headDim}; column t is at position {@code pos + t}. */
    record RotateInterleaved(int pos, float[] angle, int headDim) implements VectorOp {
        public Shape out(List<Shape> in) { return same(in.get(0)); }
        public int passes() { return 3; }
        public int arity() { return 1; }
    }

    /** rotate_half RoPE of each head of {@code headDim}, cos and sin times mscale; column t is at position {@code pos + t}. */
    record RotateHalf(int pos, float[] invFreq, float mscale, int headDim) implements VectorOp {
        public Shape out(List<Shape> in) { return same(in.get(0)); }
        public int passes() { return 3; }
        public int arity() { return 1; }
    }

    /**
     * Causal grouped-query attention of the queries q [heads * hd, T] over cached keys and values (inputs q,
     * k_0..k_n-1, v_0..v_n-1, each [kvHeads * hd]): the T queries are the newest positions, so column t sees
     * keys 0 .. n - T + t (and of those the last {@code window}, when > 0).
     */
    record Attention(int heads, int kvHeads, int headDim, int window) implements VectorOp {
        public Shape out(List<Shape> in) {
            int t = in.get(0).cols(), cached = (in.size() - 1) / 2;
            boolean rows = in.stream().skip(1).allMatch(s -> s.rows() == kvHeads * headDim && s.cols() == 1);
            fits(this, in, in.get(0).rows() == heads * headDim && in.size() % 2 == 1 && cached >= t && rows);
            return new Shape(heads * headDim, t, DType.FP32);
        }
        public int passes() { return 2 * heads / kvHeads; }
        public int arity() { return -1; }
        /** Each of the T queries reads every cached key and value: passes x (q + T x cache) elements. */
        public long work(List<Shape> in) {
            long cache = 0;
            for (Shape s : in.subList(1, in.size())) cache += s.elements();
            return (long) passes() * (in.get(0).elements() + in.get(0).cols() * cache);
        }
    }

    /**
     * The pair [max, offset + i] of a column x's first maximum x_i, as a 2 x 1 tile: one core's part of a greedy
     * choice over a vocabulary whose logits are spread over the cores by rows starting at {@code offset}.
     */
    record ArgmaxPart(int offset) implements VectorOp {
        public Shape out(List<Shape> in) { return new Shape(2, 1, DType.FP32); }
        public int passes() { return 1; }
        public int arity() { return 1; }
    }

    /**
     * Of two pairs [max, index], the lower-index block's first (inputs lo, hi) unless hi's maximum is greater or lo's is
     * NaN: merged up a tree in index order this is what {@link VectorMath#argmax}'s scan finds over the whole.
     */
    record ArgmaxMerge() implements VectorOp {
        public Shape out(List<Shape> in) {
            fits(this, in, in.stream().allMatch(s -> s.elements() == 2));
            return new Shape(2, 1, DType.FP32);
        }
        public int passes() { return 1; }
        public int arity() { return 2; }
    }

    /** The index of a pair [max, index] as a 1 x 1 int32 tile: the greedy token of a vocabulary of {@code n}. */
    record ArgmaxIndex(int n) implements Decision {
        public Shape out(List<Shape> in) { return new Shape(1, 1, DType.INT32); }
        public int passes() { return 1; }
        public int arity() { return 1; }
    }

    /** BitNet activation scale s = 127 / max(max |x|, 1e-5) of each column (token), as a 1 x T tile. */
    record AbsMaxScale() implements VectorOp {
        public Shape out(List<Shape> in) { return new Shape(1, in.get(0).cols(), DType.FP32); }
        public int passes() { return 1; }
        public int arity() { return 1; }
    }

    /** int8 activations clamp(rint(x s), -128, 127), s the column's scale (inputs x [n, T], s [1, T]). */
    record Quantise() implements VectorOp {
        public Shape out(List<Shape> in) { return new Shape(in.get(0).rows(), in.get(0).cols(), DType.INT8); }
        public int passes() { return 2; }
        public int arity() { return 2; }
    }

    /** BitLinear output acc * weightScale / s, or acc / weightScale / s when {@code divides}, s the column's scale (inputs acc, s). */
    record Dequantise(float weightScale, boolean divides) implements VectorOp {
        public Shape out(List<Shape> in) { return new Shape(in.get(0).rows(), in.get(0).cols(), DType.FP32); }
        public int passes() { return 2; }
        public int arity() { return 2; }
    }

    /** The inputs' rows stacked in input order (assembling gathered row blocks); every input has the same columns. */
    record Concat() implements VectorOp {
        public Shape out(List<Shape> in) {
            int n = 0, cols = in.get(0).cols();
            for (Shape s : in) {
                if (s.cols() != cols) throw new IllegalArgumentException(this + " of " + in + ": column counts differ");
                n += s.rows();
            }
            return new Shape(n, cols, in.get(0).dtype());
        }
        public int passes() { return 1; }
        public int arity() { return -1; }
    }

    /** Rows [offset, offset + length) of x (of a column vector: its elements). */
    record Slice(int offset, int length) implements VectorOp {
        public Shape out(List<Shape> in) {
            if (offset < 0 || offset + length > in.get(0).rows()) throw new IllegalArgumentException(this + " of " + in.get(0));
            return new Shape(length, in.get(0).cols(), in.get(0).dtype());
        }
        public int passes() { return 1; }
        public int arity() { return 1; }
        public long work(List<Shape> in) { return (long) length * in.get(0).cols(); }
        public boolean readsWhole() { return false; }
    }

    /** Column {@code index} of x [n, T] (one token of a block), as [n x 1]. */
    record Column(int index) implements VectorOp {
        public Shape out(List<Shape> in) {
            if (index < 0 || index >= in.get(0).cols()) throw new IllegalArgumentException(this + " of " + in.get(0));
            return new Shape(in.get(0).rows(), 1, in.get(0).dtype());
        }
        public int passes() { return 1; }
        public int arity() { return 1; }
        public long work(List<Shape> in) { return in.get(0).rows(); }
        public boolean readsWhole() { return false; }
    }

    /** The input columns [n x 1] side by side as [n x T], in input order (a block of tokens). */
    record Stack() implements VectorOp {
        public Shape out(List<Shape> in) {
            for (Shape s : in) {
                if (s.cols() != 1 || s.rows() != in.get(0).rows()) throw new IllegalArgumentException(this + " of " + in + ": not columns of one length");
            }
            return new Shape(in.get(0).rows(), in.size(), in.get(0).dtype());
        }
        public int passes() { return 1; }
        public int arity() { return -1; }
    }

    /** The same values as a rows x cols tile (free: the data does not move; the instruction pays its overhead). */
    record Reshape(int rows, int cols) implements VectorOp {
        public Shape out(List<Shape> in) {
            if (rows * cols != in.get(0).elements()) throw new IllegalArgumentException(this + " of " + in.get(0));
            return new Shape(rows, cols, in.get(0).dtype());
        }
        public int passes() { return 0; }
        public int arity() { return 1; }
    }

    /**
     * The same values in the wider dtype {@code to} (dequantising ternary weights to int8 or bf16 for the
     * dense matrix unit: the dequantise-then-GEMM path, next to the LUT-GEMM).
     */
    record Widen(DType to) implements VectorOp {
        public Shape out(List<Shape> in) {
            if (in.get(0).dtype().bits() >= to.bits()) throw new IllegalArgumentException(this + " of " + in.get(0) + ": not a wider type");
            return new Shape(in.get(0).rows(), in.get(0).cols(), to);
        }
        public int passes() { return 1; }
        public int arity() { return 1; }
    }

    /** Throws naming the operator and its inputs unless they fit it. */
    static void fits(VectorOp op, List<Shape> in, boolean ok) {
        if (!ok) throw new IllegalArgumentException(op.getClass().getSimpleName() + " of " + in + ": the inputs do not fit " + op);
    }

    private static Shape same(Shape s) {
        return new Shape(s.rows(), s.cols(), DType.FP32);
    }
}
