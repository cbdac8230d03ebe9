package org.meshemu.aicore;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;

/**
 * The exact numerics of the core's compute instructions, in fp32 with a fixed summation order (k
 * ascending, starting from the accumulator), so the same instruction gives the same bits anywhere.
 * Shape-only tiles (timing mode) give shape-only results.
 */
public final class Kernels {
    private Kernels() {}

    /**
     * (accumulate ? c : 0) + a . b. int8 . int8 accumulates exactly in int32 (the integer matrix unit),
     * giving an int32 tile; every other product is fp32.
     */
    public static Tile gemm(Tile a, Tile b, Tile c, boolean accumulate) {
        if (a.cols() != b.rows()) throw new IllegalArgumentException("gemm " + a + " . " + b + ": inner sizes differ");
        int m = a.rows(), k = a.cols(), n = b.cols();
        if (accumulate && (c == null || c.rows() != m || c.cols() != n)) {
            throw new IllegalArgumentException("gemm accumulates into " + c + ", needs " + m + "x" + n);
        }
        DType type = gemmType(a.dtype(), b.dtype());
        if (!a.hasData() || !b.hasData()) return Tile.shape(m, n, type);
        float[] x = a.data(), y = b.data();
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                if (type == DType.INT32) {
                    long acc = accumulate ? (long) c.data()[i * n + j] : 0;
                    for (int p = 0; p < k; p++) acc += (long) x[i * k + p] * (long) y[p * n + j];
                    out[i * n + j] = acc;
                } else {
                    float acc = accumulate ? c.data()[i * n + j] : 0f;
                    for (int p = 0; p < k; p++) acc += x[i * k + p] * y[p * n + j];
                    out[i * n + j] = acc;
                }
            }
        }
        return new Tile(m, n, type, out);
    }

    /** The result type of a product: int32 for int8 . int8, fp32 otherwise. */
    public static DType gemmType(DType a, DType b) {
        return a == DType.INT8 && b == DType.INT8 ? DType.INT32 : DType.FP32;
    }

    /** a (op) b element by element; a column b [n x 1] applies to every column of a [n x T] (a bias over a block of tokens). */
    public static Tile elementwise(Instruction.Op op, Tile a, Tile b) {
        if (a.rows() != b.rows() || (a.cols() != b.cols() && b.cols() != 1)) throw new IllegalArgumentException(op + " of " + a + " and " + b + ": shapes differ");
        if (!a.hasData() || !b.hasData()) return Tile.shape(a.rows(), a.cols(), elementwiseType(a, b));
        float[] out = new float[a.elements()];
        int cols = a.cols(), bCols = b.cols();
        for (int i = 0; i < out.length; i++) {
            float y = b.data()[bCols == cols ? i : i / cols];
            out[i] = switch (op) {
                case ADD -> a.data()[i] + y;
                case MUL -> a.data()[i] * y;
            };
        }
        // int32 partial sums (BitNet's tree-reduced accumulators) stay int32: their fp32-held sums are exact
        return new Tile(a.rows(), a.cols(), elementwiseType(a, b), out);
    }

    /** int32 (op) int32 stays int32 (exact integer partial sums), anything else is fp32. */
    public static DType elementwiseType(Tile a, Tile b) {
        return a.dtype() == DType.INT32 && b.dtype() == DType.INT32 ? DType.INT32 : DType.FP32;
    }

    public static Tile reduce(Tile t, Instruction.Axis axis) {
        int rows = axis == Instruction.Axis.ROWS ? 1 : t.rows();
        int cols = axis == Instruction.Axis.ROWS ? t.cols() : 1;
        if (!t.hasData()) return Tile.shape(rows, cols, DType.FP32);
        float[] out = new float[rows * cols];
        for (int r = 0; r < t.rows(); r++) {
            for (int c = 0; c < t.cols(); c++) {
                int o = axis == Instruction.Axis.ROWS ? c : r;
                out[o] += t.data()[r * t.cols() + c];
            }
        }
        return Tile.fp32(rows, cols, out);
    }

    /**
     * A decision drawn instead of computed (timing mode, inputs without values): the greedy token a
     * uniform index in [0, n) of its vocabulary; sparsemixer two distinct uniform experts of the n
     * router logits, with weights 1/2 (they scale values only, never timing).
     */
    public static Tile draw(VectorOp.Decision op, List<Tile> in, java.util.random.RandomGenerator random) {
        int n = in.get(0).elements();
        return switch (op) {
            case VectorOp.ArgmaxIndex m -> new Tile(1, 1, DType.INT32, new float[] {random.nextInt(m.n())});
            case VectorOp.Sparsemixer m -> {
                int e1 = random.nextInt(n);
                int e2 = n == 1 ? e1 : random.nextInt(n - 1);
                if (n > 1 && e2 >= e1) e2++;
                yield Tile.fp32(4, 1, new float[] {e1, 0.5f, e2, 0.5f});
            }
        };
    }

    /** The vector unit: {@code op} of the input tiles, with {@link VectorMath}'s numerics. */
    public static Tile vector(VectorOp op, List<Tile> in) {
        List<Shape> shapes = new ArrayList<>(in.size());
        for (Tile t : in) shapes.add(new Shape(t.rows(), t.cols(), t.dtype()));
        Shape out = op.out(shapes);
        for (Tile t : in) {
            if (!t.hasData()) return Tile.shape(out.rows(), out.cols(), out.dtype());
        }
        float[] x = in.get(0).data();
        int rows = in.get(0).rows(), cols = in.get(0).cols();
        float[] y = switch (op) {
            case VectorOp.RmsNorm n -> byColumn(x, rows, cols, rows, (t, c) -> {
                int len = c.length / n.groups();
                float[] r = new float[c.length];
                for (int g = 0; g < n.groups(); g++) {
                    System.arraycopy(VectorMath.rmsNorm(c, g * len, len, n.affine() ? in.get(1).data() : null, n.eps()), 0, r, g * len, len);
                }
                return r;
            });
            case VectorOp.LayerNorm n -> byColumn(x, rows, cols, rows, (t, c) -> VectorMath.layerNorm(c, in.get(1).data(), in.get(2).data(), n.eps()));
            case VectorOp.Scale sc -> {
                float[] r = new float[x.length];
                for (int i = 0; i < r.length; i++) r[i] = x[i] * sc.s();
                yield r;
            }
            case VectorOp.Activation a -> {
                float[] r = new float[x.length];
                for (int i = 0; i < r.length; i++) r[i] = a.fn().apply(x[i]);
                yield r;
            }
            case VectorOp.SiluMul m -> {
                float[] b = in.get(1).data(), r = new float[x.length];
                for (int i = 0; i < r.length; i++) r[i] = VectorMath.silu(x[i]) * b[i];
                yield r;
            }
            case VectorOp.Relu2Mul m -> {
                float[] b = in.get(1).data(), r = new float[x.length];
                for (int i = 0; i < r.length; i++) r[i] = VectorMath.relu2(x[i]) * b[i];
                yield r;
            }
            case VectorOp.RotateInterleaved rot -> byColumn(x, rows, cols, rows, (t, c) -> {
                float[] r = c.clone();
                for (int off = 0; off < r.length; off += rot.headDim()) VectorMath.rotateInterleavedInPlace(r, off, rot.headDim(), rot.pos() + t, rot.angle());
                return r;
            });
            case VectorOp.RotateHalf rot -> byColumn(x, rows, cols, rows, (t, c) -> {
                float[] r = c.clone();
                for (int off = 0; off < r.length; off += rot.headDim()) {
                    VectorMath.rotateHalfInPlace(r, off, rot.headDim(), rot.pos() + t, rot.invFreq(), rot.mscale());
                }
                return r;
            });
            case VectorOp.RetentionUpdate u -> {
                float[] s = u.first() ? new float[u.heads() * u.dv() * u.dk()] : x.clone();
                float[] k = in.get(u.first() ? 0 : 1).data(), v = in.get(u.first() ? 1 : 2).data();
                for (int h = 0; h < u.heads(); h++) {
                    VectorMath.retentionUpdateInPlace(s, h * u.dv() * u.dk(), v, h * u.dv(), k, h * u.dk(), u.dv(), u.dk(),
                            u.first(), u.keep()[h], u.sqNew()[h]);
                }
                yield s;
            }
            case VectorOp.RetentionRead rr -> {
                Tile st = in.get(0);
                int dk = st.cols(), dv = st.rows() / rr.heads();
                float[] q = in.get(1).data(), r = new float[st.rows()];
                for (int i = 0; i < r.length; i++) r[i] = VectorMath.dot(x, i * dk, q, (i / dv) * dk, dk);
                yield r;
            }
            case VectorOp.RetentionPrompt rp -> {
                float[] o = new float[out.elements()];
                for (int h = 0; h < rp.heads(); h++) {
                    float[][] q = heads(in.get(0), h, rp.dk()), k = heads(in.get(1), h, rp.dk()), v = heads(in.get(2), h, rp.dv());
                    float[][] oh = rp.chunk() == 0 ? RetentionMath.parallel(q, k, v, rp.logDecay()[h])
                            : RetentionMath.chunkwise(q, k, v, rp.logDecay()[h], rp.chunk());
                    for (int t = 0; t < cols; t++) {
                        for (int i = 0; i < rp.dv(); i++) o[(h * rp.dv() + i) * cols + t] = oh[t][i];
                    }
                }
                yield o;
            }
            case VectorOp.RetentionState rs -> {
                float[] st = new float[out.elements()];
                int block = rs.dv() * rs.dk();
                for (int h = 0; h < rs.heads(); h++) {
                    float[] sh = RetentionMath.stateAfter(heads(in.get(0), h, rs.dk()), heads(in.get(1), h, rs.dv()), rs.logDecay()[h]);
                    System.arraycopy(sh, 0, st, h * block, block);
                }
                yield st;
            }
            case VectorOp.Attention a -> {
                int n = (in.size() - 1) / 2;
                List<float[]> keys = new ArrayList<>(n), values = new ArrayList<>(n);
                for (int t = 0; t < n; t++) {
                    keys.add(in.get(1 + t).data());
                    values.add(in.get(1 + n + t).data());
                }
                // the block's queries are the newest positions: column t sees the cache up to n - cols + t
                yield byColumn(x, rows, cols, out.rows(), (t, q) -> VectorMath.attention(q, keys.subList(0, n - cols + t + 1),
                        values.subList(0, n - cols + t + 1), a.heads(), a.kvHeads(), a.headDim(), a.window()));
            }
            case VectorOp.ArgmaxPart m -> {
                int i = VectorMath.argmax(x);
                yield new float[] {x[i], m.offset() + i};   // an index < 2^24 is exact in fp32
            }
            case VectorOp.ArgmaxMerge m -> {
                float[] hi = in.get(1).data();
                yield hi[0] > x[0] || Float.isNaN(x[0]) ? hi.clone() : x.clone();   // argmax's scan rule, continued over hi
            }
            case VectorOp.ArgmaxIndex m -> new float[] {x[1]};
            case VectorOp.AbsMaxScale m -> byColumn(x, rows, cols, 1, (t, c) -> new float[] {VectorMath.absMaxScale(c)});
            case VectorOp.Quantise m -> {
                float[] s = in.get(1).data(), r = new float[x.length];
                for (int i = 0; i < r.length; i++) r[i] = VectorMath.quantise(x[i], s[i % cols]);
                yield r;
            }
            case VectorOp.Dequantise d -> {
                float[] s = in.get(1).data(), r = new float[x.length];
                for (int i = 0; i < r.length; i++) r[i] = VectorMath.dequantise(exactInt(x[i]), d.weightScale(), s[i % cols], d.divides());
                yield r;
            }
            case VectorOp.Sparsemixer m -> VectorMath.sparsemixer(x, m.jitterEps());
            case VectorOp.MixTwo m -> {
                float[] y2 = in.get(1).data(), route = in.get(2).data(), r = new float[x.length];
                for (int i = 0; i < r.length; i++) r[i] = x[i] * route[1] + y2[i] * route[3];
                yield r;
            }
            case VectorOp.Concat c -> {
                float[] r = new float[out.elements()];
                int at = 0;
                for (Tile t : in) {
                    System.arraycopy(t.data(), 0, r, at, t.elements());
                    at += t.elements();
                }
                yield r;
            }
            case VectorOp.Column c -> column(x, rows, cols, c.index());
            case VectorOp.Stack st -> {
                float[] r = new float[out.elements()];
                for (int t = 0; t < in.size(); t++) {
                    float[] c = in.get(t).data();
                    for (int i = 0; i < c.length; i++) r[i * in.size() + t] = c[i];
                }
                yield r;
            }
            case VectorOp.Slice sl -> java.util.Arrays.copyOfRange(x, sl.offset() * out.cols(), (sl.offset() + sl.length()) * out.cols());
            case VectorOp.Reshape rs -> x;
            case VectorOp.Widen wd -> x; // every ternary, int8 and bf16 value of a weight is exact in the wider type
        };
        return new Tile(out.rows(), out.cols(), out.dtype(), y);
    }

    /** A per-column kernel: column t of the input in, its outRows results out. */
    private interface ColumnKernel {
        float[] apply(int t, float[] column);
    }

    /** f on each column of x [rows, cols] (row-major), giving [outRows, cols]; a single column goes straight through. */
    private static float[] byColumn(float[] x, int rows, int cols, int outRows, ColumnKernel f) {
        if (cols == 1) return f.apply(0, x);
        float[] out = new float[outRows * cols];
        for (int t = 0; t < cols; t++) {
            float[] r = f.apply(t, column(x, rows, cols, t));
            for (int i = 0; i < outRows; i++) out[i * cols + t] = r[i];
        }
        return out;
    }

    private static float[] column(float[] x, int rows, int cols, int t) {
        float[] c = new float[rows];
        for (int i = 0; i < rows; i++) c[i] = x[i * cols + t];
        return c;
    }

    /** Head h's rows [h d, (h + 1) d) of a block [heads * d, T], as [T][d] (one row per token). */
    private static float[][] heads(Tile block, int h, int d) {
        int cols = block.cols();
        float[][] r = new float[cols][d];
        for (int t = 0; t < cols; t++) {
            for (int i = 0; i < d; i++) r[t][i] = block.data()[(h * d + i) * cols + t];
        }
        return r;
    }

    /**
     * w [m x k] ternary . x [k x n] int8 (n activation columns, each with its own tables), exact in int32 (the result is held as fp32 values, exact while
     * |sum| < 2^24, which the caller guarantees: 128 k < 2^24), computed the way the LUT unit does
     * (LUT Tensor Core): per group of {@code g} activations a sign-symmetric table of 2^(g-1) entries,
     * then per output one lookup per group in each of the two weight bit-planes p = [w = 1] and
     * n = [w = -1]. A plane's bits read as signs s = 2b - 1 give sum_i s_i x_i = 2 sum_i b_i x_i - sum_i x_i,
     * so (P_p - P_n) / 2 = sum_i (p_i - n_i) x_i = w . x exactly: the same integers as the plain dot product.
     */
    public static Tile lutGemm(Tile w, Tile x, int g) {
        if (w.cols() != x.rows()) throw new IllegalArgumentException("lut-gemm " + w + " . " + x + ": shapes do not fit");
        if (w.dtype() != DType.TERNARY || x.dtype() != DType.INT8) throw new IllegalArgumentException("lut-gemm needs ternary . int8, got " + w + " . " + x);
        int m = w.rows(), k = w.cols(), n = x.cols();
        if (!w.hasData() || !x.hasData()) return Tile.shape(m, n, DType.INT32);
        float[] out = new float[m * n];
        for (int t = 0; t < n; t++) {
            float[] col = lutColumn(w, column(x.data(), k, n, t), g);
            for (int i = 0; i < m; i++) out[i * n + t] = col[i];
        }
        return new Tile(m, n, DType.INT32, out);
    }

    /** One activation column's products: its tables, then per output row the two bit-planes' lookups. */
    private static float[] lutColumn(Tile w, float[] x, int g) {
        int m = w.rows(), k = w.cols();
        int groups = Math.ceilDiv(k, g), half = 1 << (g - 1);
        int[] table = lutTables(x, g);
        float[] out = new float[m];
        for (int i = 0; i < m; i++) {
            long plus = 0, minus = 0;
            for (int q = 0; q < groups; q++) {
                int up = 0, un = 0;
                for (int b = 0; b < g && q * g + b < k; b++) {
                    int v = (int) w.data()[i * k + q * g + b];
                    if (v == 1) up |= 1 << b;
                    else if (v == -1) un |= 1 << b;
                    else if (v != 0) throw new IllegalArgumentException("lut-gemm: weight " + v + " at (" + i + ", " + (q * g + b) + ") is not ternary");
                }
                plus += lookup(table, q * half, up, g);
                minus += lookup(table, q * half, un, g);
            }
            out[i] = (plus - minus) / 2;
        }
        return out;
    }

    /**
     * The tables of every group: entry u' of group q is sum_i s_i x_(qg+i) for the pattern u = u' with
     * bit g-1 set (s_i = +1 where bit i is set, else -1; missing x are 0). Each entry after the first is
     * one add from an earlier one (flipping bit j from -1 to +1 adds 2 x_j), the cost the timing counts.
     */
    static int[] lutTables(float[] x, int g) {
        int k = x.length, groups = Math.ceilDiv(k, g), half = 1 << (g - 1);
        int[] t = new int[groups * half];
        for (int q = 0; q < groups; q++) {
            int base = q * half;
            int first = at(x, q * g + g - 1);
            for (int b = 0; b < g - 1; b++) first -= at(x, q * g + b);
            t[base] = first;
            for (int u = 1; u < half; u++) {
                int j = Integer.numberOfTrailingZeros(u);
                t[base + u] = t[base + (u & (u - 1))] + 2 * at(x, q * g + j);
            }
        }
        return t;
    }

    /** Entry of full pattern u from the half table: T[u] = -T[~u], so patterns with bit g-1 clear are negated. */
    private static int lookup(int[] table, int base, int u, int g) {
        int mask = (1 << (g - 1)) - 1;
        return (u >>> (g - 1) & 1) == 1 ? table[base + (u & mask)] : -table[base + (~u & mask)];
    }

    private static int at(float[] x, int i) {
        return i < x.length ? (int) x[i] : 0;
    }

    /** The int32 value an int32 tile holds (exact by construction). */
    private static int exactInt(float v) {
        return (int) v;
    }
}
