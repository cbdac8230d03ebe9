package org.meshemu.workloads.generate;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Stored;

/**
 * The operator graph of a generation run: what a model family's forward pass emits, block of tokens
 * by block, before any mapping. Values are tiles [n, T], one column per token of their block (a
 * vector when T = 1); nodes are the operators these
 * models need: projections (fp32 or ternary), vector-unit operators, resident constants, sequence
 * mixing over state kept in memory (retention, attention over a KV cache), embedding lookups and outputs.
 *
 * <p>Contract: nodes are in program order and every value is defined before use. Each node carries
 * the layer and operator name it belongs to, which the run's time breakdown reports. The graph does
 * not say where anything runs: a {@link MatVecMapping} decides that for projections, the lowering
 * spreads sequence mixing by head groups, everything else runs on the lead core that assembles the
 * results.
 */
public final class Graph {

    /** A value: a column vector (or state tile) of a given shape. */
    public record Val(int id, Shape shape) {
        public int length() { return shape.elements(); }
    }

    /**
     * A weight matrix [rows, cols] row-major; ternary weights hold -1, 0, 1 (dtype TERNARY). {@code name}
     * identifies it: a weight used at every step is placed once. {@code count} > 1: a stack of that many
     * same-shape matrices ([count * rows, cols], e.g. one per expert), of which a projection uses the one
     * a run-time index selects. The values are fp32 in {@code data} or held as the checkpoint holds them in
     * {@code stored}, one matrix [rows, cols] per matrix of the stack (bf16, packed ternary, fp32; mapped from the
     * file, so a stack of experts is views of their own tensors, not a copy), the banks' tiles then being views or
     * compact copies of them; both are null in timing mode (shape-only weights). {@code dtype} is the type the
     * hardware model moves and multiplies, whatever the stored form.
     */
    public record Weight(String name, int rows, int cols, DType dtype, float[] data, List<Stored> stored, int count) {
        public Weight {
            if (data != null && stored != null) throw new IllegalArgumentException(name + ": values both as fp32 and as stored");
            if (stored != null) {
                if (stored.size() != count) throw new IllegalArgumentException(name + ": " + stored.size() + " stored matrices for a stack of " + count);
                for (Stored m : stored) {
                    if (m.rows() != rows || m.cols() != cols) throw new IllegalArgumentException(name + ": " + m + " is not [" + rows + ", " + cols + "]");
                }
                stored = List.copyOf(stored);
            }
        }

        public Weight(String name, int rows, int cols, DType dtype, float[] data, int count) {
            this(name, rows, cols, dtype, data, null, count);
        }

        public Weight(String name, int rows, int cols, DType dtype, float[] data) {
            this(name, rows, cols, dtype, data, null, 1);
        }

        /** One matrix [rows, cols] of type {@code dtype} held as stored (null in timing mode). */
        public static Weight stored(String name, int rows, int cols, DType dtype, Stored stored) {
            return new Weight(name, rows, cols, dtype, null, stored == null ? null : List.of(stored), 1);
        }

        /** A stack of same-shape matrices [rows, cols] held as stored, in order (null in timing mode). */
        public static Weight stack(String name, int rows, int cols, DType dtype, int count, List<Stored> matrices) {
            return new Weight(name, rows, cols, dtype, null, matrices, count);
        }

        /** Matrix {@code e} of the stack as stored (null without stored values). */
        public Stored matrix(int e) {
            return stored == null ? null : stored.get(e);
        }

        /** Whether the weight has values (full payload). */
        public boolean hasValues() {
            return data != null || stored != null;
        }
    }

    /** The graph's operators. */
    public sealed interface Node {
        String layer();
        String op();
    }

    /** out := row {@code token} of the embedding table (fixed token), or the row the 1x1 {@code index} names. */
    public record Embed(String layer, String op, Val out, Weight table, int token, Val index) implements Node {}

    /** out := a resident constant (norm weights, biases), kept in the lead core's memory. */
    public record Constant(String layer, String op, Val out, String name, float[] data) implements Node {}

    /**
     * out := W x, fp32 (or ternary W times int8 x, exact int32, when W is ternary); for a stacked weight,
     * W is matrix number {@code select} (a 1x1 value computed at run time, e.g. the routed expert), else
     * select is null.
     */
    public record MatVec(String layer, String op, Val out, Weight w, Val x, Val select) implements Node {}

    /**
     * out := w_1 E_e1(x) + w_2 E_e2(x) + ..., a mixture of SwiGLU experts E(x) = W2 (silu(W1 x) * (W3 x)) under the
     * routing {@code route} = [e_1, w_1, ..., e_K, w_K] of K slots (sparsemixer's top-2, a softmax gate's top-k or
     * threshold); w1, w3, w2 are the stacks of all experts' matrices. With {@code emptySlots} a slot after the first
     * may hold no expert (e = -1: a threshold gate activating fewer than K). Where the experts live (sliced over
     * all cores, or one expert per core group) is the lowering's {@link ExpertPlacement}; every placement adds the
     * terms in slot order ({@link org.meshemu.workloads.fused.MixExperts}). A placement that
     * {@link ExpertPlacement#takesBlocks takes blocks} gets a block's tokens in one node: x [H, T], route [2K, T]
     * (column t token t's routing), out [H, T]; the others one node per token.
     */
    public record Experts(String layer, String op, Val out, Weight w1, Weight w3, Weight w2, Val x, Val route, boolean emptySlots) implements Node {
        /** K, the routing's slots. */
        public int slots() { return route.shape().rows() / 2; }
    }

    /** out := a vector-unit operator of the inputs. */
    public record Vector(String layer, String op, Val out, VectorOp vector, List<Val> in) implements Node {}

    /** out := a (op) b element by element; b may be one column [n, 1] applied to every column of a (a bias). */
    public record Elementwise(String layer, String op, Val out, Instruction.Op kind, Val a, Val b) implements Node {}

    /**
     * out := sequence mixing of a block ({@link Mixer}: retention, attention over a KV cache) of queries q, keys k
     * and values v, each [rows, T], over the state {@code key} names (one per layer). Where each head group runs
     * and keeps its state is the lowering's.
     */
    public record Mix(String layer, String op, Val out, Mixer mixer, String key, Val q, Val k, Val v) implements Node {}

    /**
     * Greedy decoding's LM head: logits := W x (+ bias, added after the whole dot product, when not null), written as
     * row {@code row} of output {@code logits}, and token := the index of their first maximum (1 x 1). One node, so
     * that the lowering may keep a large vocabulary's logits where they are computed (BitNet's 128k: 0.5 MB).
     */
    public record Greedy(String layer, String op, Val token, Weight w, float[] bias, Val x, String logits, int row) implements Node {}

    /** Writes {@code value} as row {@code row} of the output tensor {@code name}. */
    public record Output(String layer, String op, String name, int row, Val value) implements Node {}

    /** Marks a point of simulated time: {@code op} names it (e.g. the token whose logits are ready). */
    public record Mark(String layer, String op) implements Node {}

    private final List<Node> nodes = new ArrayList<>();
    private int nextVal;
    private String layer = "embed";

    public List<Node> nodes() { return nodes; }

    /** Later nodes belong to {@code name} (e.g. "L3", "head") in the breakdown. */
    public void layer(String name) { layer = name; }

    private Val val(Shape s) { return new Val(nextVal++, s); }

    public Val embed(Weight table, int token) {
        Val v = val(Shape.vector(table.cols()));
        nodes.add(new Embed(layer, "embed", v, table, token, null));
        return v;
    }

    public Val embed(Weight table, Val index) {
        Val v = val(Shape.vector(table.cols()));
        nodes.add(new Embed(layer, "embed", v, table, -1, index));
        return v;
    }

    public Val constant(String name, float[] data, int length) {
        Val v = val(Shape.vector(length));
        nodes.add(new Constant(layer, "const", v, name, data));
        return v;
    }

    public Val matvec(String op, Weight w, Val x) {
        return matvec(op, w, x, null);
    }

    /** W[select] x for a stacked weight; x may be a block of columns [cols, T] (a prompt's tokens), giving [rows, T]. */
    public Val matvec(String op, Weight w, Val x, Val select) {
        if (x.shape().rows() != w.cols()) throw new IllegalArgumentException(op + ": " + w.name() + " [" + w.rows() + ", " + w.cols() + "] . " + x);
        if ((select == null) != (w.count() == 1)) throw new IllegalArgumentException(op + ": a stacked weight needs a selecting index, a single one none");
        Val v = val(new Shape(w.rows(), x.shape().cols(), w.dtype() == DType.TERNARY ? DType.INT32 : DType.FP32));
        nodes.add(new MatVec(layer, op, v, w, x, select));
        return v;
    }

    /** w_1 E_e1(x) + w_2 E_e2(x) + ... for the routing [e_1, w_1, ..., e_K, w_K] (see {@link Experts}). */
    public Val experts(String op, Weight w1, Weight w3, Weight w2, Val x, Val route, boolean emptySlots) {
        if (w1.count() < 2 || w1.count() != w3.count() || w1.count() != w2.count()) throw new IllegalArgumentException(op + ": expert stacks " + w1 + ", " + w3 + ", " + w2);
        if (x.shape().rows() != w1.cols() || w2.cols() != w1.rows() || w3.rows() != w1.rows() || route.shape().rows() < 2
                || route.shape().rows() % 2 != 0 || route.shape().cols() != x.shape().cols()) {
            throw new IllegalArgumentException(op + ": experts [" + w1.rows() + ", " + w1.cols() + "] of " + x + " routed by " + route);
        }
        Val v = val(new Shape(w2.rows(), x.shape().cols(), DType.FP32));
        nodes.add(new Experts(layer, op, v, w1, w3, w2, x, route, emptySlots));
        return v;
    }

    public Val vector(String op, VectorOp vector, Val... in) {
        List<Shape> shapes = new ArrayList<>();
        for (Val x : in) shapes.add(x.shape());
        Val v = val(vector.out(shapes));
        nodes.add(new Vector(layer, op, v, vector, List.of(in)));
        return v;
    }

    public Val vector(String op, VectorOp vector, List<Val> in) {
        return vector(op, vector, in.toArray(Val[]::new));
    }

    /** The columns side by side [n, T] (a block of tokens); a single column as it is. */
    public Val stack(String op, List<Val> columns) {
        return columns.size() == 1 ? columns.getFirst() : vector(op, new VectorOp.Stack(), columns);
    }

    /** Column t of a block [n, T] as [n, 1]; a single column as it is. */
    public Val column(String op, Val block, int t) {
        return block.shape().cols() == 1 ? block : vector(op, new VectorOp.Column(t), block);
    }

    public Val add(String op, Val a, Val b) {
        Shape sa = a.shape(), sb = b.shape();
        if (sa.rows() != sb.rows() || (sb.cols() != sa.cols() && sb.cols() != 1)) throw new IllegalArgumentException(op + ": " + a + " + " + b);
        Val v = val(new Shape(sa.rows(), sa.cols(), DType.FP32));
        nodes.add(new Elementwise(layer, op, v, Instruction.Op.ADD, a, b));
        return v;
    }

    public Val mix(String op, Mixer mixer, String key, Val q, Val k, Val v) {
        int g = mixer.groups(), t = q.shape().cols();
        if (q.shape().rows() != g * mixer.qRows() || k.shape().rows() != g * mixer.kRows() || v.shape().rows() != g * mixer.vRows()
                || k.shape().cols() != t || v.shape().cols() != t) {
            throw new IllegalArgumentException(op + ": " + mixer + " of " + q + ", " + k + ", " + v);
        }
        Val out = val(new Shape(g * mixer.outRows(), t, DType.FP32));
        nodes.add(new Mix(layer, op, out, mixer, key, q, k, v));
        return out;
    }

    /** The greedy LM head ({@link Greedy}); returns the token. */
    public Val greedy(String op, Weight w, float[] bias, Val x, String logits, int row) {
        if (x.shape().rows() != w.cols() || x.shape().cols() != 1 || (bias != null && bias.length != w.rows())) {
            throw new IllegalArgumentException(op + ": " + w.name() + " [" + w.rows() + ", " + w.cols() + "] . " + x);
        }
        Val token = val(new Shape(1, 1, DType.INT32));
        nodes.add(new Greedy(layer, op, token, w, bias, x, logits, row));
        return token;
    }

    public void output(String name, int row, Val value) {
        nodes.add(new Output(layer, "output", name, row, value));
    }

    public void mark(String op) {
        nodes.add(new Mark(layer, op));
    }
}
