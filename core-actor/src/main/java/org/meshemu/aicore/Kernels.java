package org.meshemu.aicore;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Stored;
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
     * giving an int32 tile; every other product is fp32 (bf16, fp16 and ternary values are held as fp32,
     * exactly, so their products take the fp32 path).
     */
    public static Tile gemm(Tile a, Tile b, Tile c, boolean accumulate) {
        return gemm(a, b, c, accumulate, new Scratch());
    }

    /**
     * {@link #gemm(Tile, Tile, Tile, boolean)} with a core's {@code scratch}. A weight held as stored (bf16,
     * packed, mapped) is widened a block of rows at a time into the scratch and multiplied by the same register
     * tiles: each output is still one chain over k in order, so the bits are those of the fp32-held weight.
     */
    public static Tile gemm(Tile a, Tile b, Tile c, boolean accumulate, Scratch scratch) {
        if (a.cols() != b.rows()) throw new IllegalArgumentException("gemm " + a + " . " + b + ": inner sizes differ");
        int m = a.rows(), k = a.cols(), n = b.cols();
        if (accumulate && (c == null || c.rows() != m || c.cols() != n)) {
            throw new IllegalArgumentException("gemm accumulates into " + c + ", needs " + m + "x" + n);
        }
        DType type = gemmType(a.dtype(), b.dtype());
        if (!a.hasData() || !b.hasData()) return Tile.shape(m, n, type);
        b = b.widened();
        float[] out = accumulate ? c.floats().clone() : new float[m * n];
        if (type == DType.INT32) gemmInt(a.floats(), b.data(), out, m, k, n);
        else if (a.stored() != null) gemmStored(a.stored(), b.data(), out, m, k, n, scratch);
        else if (n == 1) gemvFp32(a.data(), b.data(), out, 0, m, k);
        else gemmFp32(a.data(), b.data(), out, 0, m, k, n);
        return new Tile(m, n, type, out);
    }

    /**
     * out += a . b for a stored a: blocks of {@link Scratch#ROW_BLOCK_FLOATS} values (whole rows, a multiple of 8)
     * widened, then the fp32 kernels; a bf16 GEMV instead widens each value inside its register tile
     * ({@link #gemvBf16}).
     */
    private static void gemmStored(Stored a, float[] b, float[] out, int m, int k, int n, Scratch scratch) {
        int block = Math.min(m, Math.max(8, Scratch.ROW_BLOCK_FLOATS / k / 8 * 8));
        if (n == 1 && a.dtype() == DType.BF16) {
            gemvBf16(a, b, out, m, k, block, scratch);
            return;
        }
        float[] rows = scratch.rows(block * k);
        short[] halves = scratch.halves(k);
        for (int i0 = 0; i0 < m; i0 += block) {
            int mi = Math.min(block, m - i0);
            for (int r = 0; r < mi; r++) a.widenRow(i0 + r, rows, r * k, halves);
            if (n == 1) gemvFp32(rows, b, out, i0, mi, k);
            else gemmFp32(rows, b, out, i0, mi, k, n);
        }
    }

    /*
     * The fp32 kernels. Each output element is one chain acc = acc + a[i][p] * b[p][j] for p = 0, 1, ...,
     * k - 1, starting from out[i][j] (0 or the accumulator), with the product rounded before the add (no
     * fused multiply-add). A single chain waits for each add before the next one, so the kernels run
     * several outputs' chains side by side (register tiles), which changes no chain's order. A tile
     * that would reach past the last row or column repeats the last one: the repeated chain computes
     * the same value as the real one, and storing it twice writes the same bits.
     */

    /**
     * out[o + i] += a[i] . b (b one column): eight rows at a time while more than four remain, then four. A
     * repeated row still costs its multiplies and adds, so a short tile for the last rows (the 2-9 rows a
     * core holds when a full-size projection is split over 1,024 cores) is faster than a padded long one.
     */
    private static void gemvFp32(float[] a, float[] b, float[] out, int o, int m, int k) {
        int i = 0;
        for (; m - i > 4; i += 8) gemv8(a, b, out, o, m, k, i);
        if (i < m) gemv4(a, b, out, o, m, k, i);
    }

    /** Rows i .. i+7 (the last row repeated past m): eight chains hide the add latency. */
    private static void gemv8(float[] a, float[] b, float[] out, int o, int m, int k, int i) {
        int i1 = Math.min(i + 1, m - 1), i2 = Math.min(i + 2, m - 1), i3 = Math.min(i + 3, m - 1);
        int i4 = Math.min(i + 4, m - 1), i5 = Math.min(i + 5, m - 1), i6 = Math.min(i + 6, m - 1), i7 = Math.min(i + 7, m - 1);
        int r0 = i * k, r1 = i1 * k, r2 = i2 * k, r3 = i3 * k, r4 = i4 * k, r5 = i5 * k, r6 = i6 * k, r7 = i7 * k;
        float s0 = out[o + i], s1 = out[o + i1], s2 = out[o + i2], s3 = out[o + i3], s4 = out[o + i4], s5 = out[o + i5], s6 = out[o + i6], s7 = out[o + i7];
        for (int p = 0; p < k; p++) {
            float v = b[p];
            s0 += a[r0 + p] * v;
            s1 += a[r1 + p] * v;
            s2 += a[r2 + p] * v;
            s3 += a[r3 + p] * v;
            s4 += a[r4 + p] * v;
            s5 += a[r5 + p] * v;
            s6 += a[r6 + p] * v;
            s7 += a[r7 + p] * v;
        }
        out[o + i] = s0;
        out[o + i1] = s1;
        out[o + i2] = s2;
        out[o + i3] = s3;
        out[o + i4] = s4;
        out[o + i5] = s5;
        out[o + i6] = s6;
        out[o + i7] = s7;
    }

    /**
     * out += a . b for bf16 a and one column b: a block of rows' bits copied in bulk into the scratch, then the
     * GEMV's register tiles reading them, each value widened (a shift) where it is multiplied. With one token each
     * weight is used once, so widening a block into fp32 first (a pass writing and one reading 4 bytes a weight)
     * cost as much as the product; the chains are those of {@link #gemvFp32}, so the bits are the same.
     */
    private static void gemvBf16(Stored a, float[] b, float[] out, int m, int k, int block, Scratch scratch) {
        short[] bits = scratch.halves(block * k);
        for (int i0 = 0; i0 < m; i0 += block) {
            int mi = Math.min(block, m - i0);
            for (int r = 0; r < mi; r++) a.bitsRow(i0 + r, bits, r * k);
            int i = 0;
            for (; mi - i > 4; i += 8) gemv8Bf16(bits, b, out, i0, mi, k, i);
            if (i < mi) gemv4Bf16(bits, b, out, i0, mi, k, i);
        }
    }

    /** {@link #gemv8} on bf16 bits. */
    private static void gemv8Bf16(short[] a, float[] b, float[] out, int o, int m, int k, int i) {
        int i1 = Math.min(i + 1, m - 1), i2 = Math.min(i + 2, m - 1), i3 = Math.min(i + 3, m - 1);
        int i4 = Math.min(i + 4, m - 1), i5 = Math.min(i + 5, m - 1), i6 = Math.min(i + 6, m - 1), i7 = Math.min(i + 7, m - 1);
        int r0 = i * k, r1 = i1 * k, r2 = i2 * k, r3 = i3 * k, r4 = i4 * k, r5 = i5 * k, r6 = i6 * k, r7 = i7 * k;
        float s0 = out[o + i], s1 = out[o + i1], s2 = out[o + i2], s3 = out[o + i3], s4 = out[o + i4], s5 = out[o + i5], s6 = out[o + i6], s7 = out[o + i7];
        for (int p = 0; p < k; p++) {
            float v = b[p];
            s0 += Stored.bf16(a[r0 + p]) * v;
            s1 += Stored.bf16(a[r1 + p]) * v;
            s2 += Stored.bf16(a[r2 + p]) * v;
            s3 += Stored.bf16(a[r3 + p]) * v;
            s4 += Stored.bf16(a[r4 + p]) * v;
            s5 += Stored.bf16(a[r5 + p]) * v;
            s6 += Stored.bf16(a[r6 + p]) * v;
            s7 += Stored.bf16(a[r7 + p]) * v;
        }
        out[o + i] = s0;
        out[o + i1] = s1;
        out[o + i2] = s2;
        out[o + i3] = s3;
        out[o + i4] = s4;
        out[o + i5] = s5;
        out[o + i6] = s6;
        out[o + i7] = s7;
    }

    /** {@link #gemv4} on bf16 bits. */
    private static void gemv4Bf16(short[] a, float[] b, float[] out, int o, int m, int k, int i) {
        int i1 = Math.min(i + 1, m - 1), i2 = Math.min(i + 2, m - 1), i3 = Math.min(i + 3, m - 1);
        int r0 = i * k, r1 = i1 * k, r2 = i2 * k, r3 = i3 * k;
        float s0 = out[o + i], s1 = out[o + i1], s2 = out[o + i2], s3 = out[o + i3];
        for (int p = 0; p < k; p++) {
            float v = b[p];
            s0 += Stored.bf16(a[r0 + p]) * v;
            s1 += Stored.bf16(a[r1 + p]) * v;
            s2 += Stored.bf16(a[r2 + p]) * v;
            s3 += Stored.bf16(a[r3 + p]) * v;
        }
        out[o + i] = s0;
        out[o + i1] = s1;
        out[o + i2] = s2;
        out[o + i3] = s3;
    }

    /** Rows i .. i+3 (the last row repeated past m). */
    private static void gemv4(float[] a, float[] b, float[] out, int o, int m, int k, int i) {
        int i1 = Math.min(i + 1, m - 1), i2 = Math.min(i + 2, m - 1), i3 = Math.min(i + 3, m - 1);
        int r0 = i * k, r1 = i1 * k, r2 = i2 * k, r3 = i3 * k;
        float s0 = out[o + i], s1 = out[o + i1], s2 = out[o + i2], s3 = out[o + i3];
        for (int p = 0; p < k; p++) {
            float v = b[p];
            s0 += a[r0 + p] * v;
            s1 += a[r1 + p] * v;
            s2 += a[r2 + p] * v;
            s3 += a[r3 + p] * v;
        }
        out[o + i] = s0;
        out[o + i1] = s1;
        out[o + i2] = s2;
        out[o + i3] = s3;
    }

    /** out[o ..] += a . b for n >= 2 columns, in register tiles of 4 rows x 2 columns (eight chains, each operand loaded once per tile). */
    private static void gemmFp32(float[] a, float[] b, float[] out, int o, int m, int k, int n) {
        for (int i = 0; i < m; i += 4) {
            int i1 = Math.min(i + 1, m - 1), i2 = Math.min(i + 2, m - 1), i3 = Math.min(i + 3, m - 1);
            int r0 = i * k, r1 = i1 * k, r2 = i2 * k, r3 = i3 * k;
            for (int j = 0; j < n; j += 2) {
                int j1 = Math.min(j + 1, n - 1);
                int o0 = (o + i) * n, o1 = (o + i1) * n, o2 = (o + i2) * n, o3 = (o + i3) * n;
                float s00 = out[o0 + j], s01 = out[o0 + j1], s10 = out[o1 + j], s11 = out[o1 + j1];
                float s20 = out[o2 + j], s21 = out[o2 + j1], s30 = out[o3 + j], s31 = out[o3 + j1];
                for (int p = 0, bp = 0; p < k; p++, bp += n) {
                    float v0 = b[bp + j], v1 = b[bp + j1];
                    float a0 = a[r0 + p], a1 = a[r1 + p], a2 = a[r2 + p], a3 = a[r3 + p];
                    s00 += a0 * v0;
                    s01 += a0 * v1;
                    s10 += a1 * v0;
                    s11 += a1 * v1;
                    s20 += a2 * v0;
                    s21 += a2 * v1;
                    s30 += a3 * v0;
                    s31 += a3 * v1;
                }
                out[o0 + j] = s00;
                out[o0 + j1] = s01;
                out[o1 + j] = s10;
                out[o1 + j1] = s11;
                out[o2 + j] = s20;
                out[o2 + j1] = s21;
                out[o3 + j] = s30;
                out[o3 + j1] = s31;
            }
        }
    }

    /** out += a . b in int64 (exact: int8 products), each sum converted to its fp32-held value once. */
    private static void gemmInt(float[] a, float[] b, float[] out, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long acc = (long) out[i * n + j];
                for (int p = 0; p < k; p++) acc += (long) a[i * k + p] * (long) b[p * n + j];
                out[i * n + j] = acc;
            }
        }
    }

    /** The result type of a product: int32 for int8 . int8, fp32 otherwise. */
    public static DType gemmType(DType a, DType b) {
        return a == DType.INT8 && b == DType.INT8 ? DType.INT32 : DType.FP32;
    }

    /** a (op) b element by element; a column b [n x 1] applies to every column of a [n x T] (a bias over a block of tokens). */
    public static Tile elementwise(Instruction.Op op, Tile a, Tile b) {
        if (a.rows() != b.rows() || (a.cols() != b.cols() && b.cols() != 1)) throw new IllegalArgumentException(op + " of " + a + " and " + b + ": shapes differ");
        if (!a.hasData() || !b.hasData()) return Tile.shape(a.rows(), a.cols(), elementwiseType(a, b));
        a = a.widened();
        b = b.widened();
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
        t = t.widened();
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
     * uniform index in [0, n) of its vocabulary; a fused decision draws its own ({@link VectorOp.FusedDecision#draw}).
     */
    public static Tile draw(VectorOp.Decision op, List<Tile> in, java.util.random.RandomGenerator random) {
        return switch (op) {
            case VectorOp.ArgmaxIndex m -> new Tile(1, 1, DType.INT32, new float[] {random.nextInt(m.n())});
            case VectorOp.FusedDecision f -> f.draw(in, random);
        };
    }

    /** The vector unit: {@code op} of the input tiles, with {@link VectorMath}'s numerics. */
    public static Tile vector(VectorOp op, List<Tile> inputs) {
        List<Shape> shapes = new ArrayList<>(inputs.size());
        for (Tile t : inputs) shapes.add(new Shape(t.rows(), t.cols(), t.dtype()));
        Shape out = op.out(shapes);
        for (Tile t : inputs) {
            if (!t.hasData()) return Tile.shape(out.rows(), out.cols(), out.dtype());
        }
        List<Tile> in = widened(inputs);
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
            case VectorOp.Fused f -> f.compute(in, out);
        };
        return new Tile(out.rows(), out.cols(), out.dtype(), y);
    }

    /** The inputs with every stored one widened to fp32 (the vector unit computes in fp32). */
    private static List<Tile> widened(List<Tile> in) {
        for (Tile t : in) {
            if (t.stored() != null) return in.stream().map(Tile::widened).toList();
        }
        return in;
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

    /**
     * w [m x k] ternary . x [k x n] int8 (n activation columns, each with its own tables), exact in int32 (the result is held as fp32 values, exact while
     * |sum| < 2^24, which the caller guarantees: 128 k < 2^24), computed the way the LUT unit does
     * (LUT Tensor Core): per group of {@code g} activations a sign-symmetric table of 2^(g-1) entries,
     * then per output one lookup per group in each of the two weight bit-planes p = [w = 1] and
     * n = [w = -1]. A plane's bits read as signs s = 2b - 1 give sum_i s_i x_i = 2 sum_i b_i x_i - sum_i x_i,
     * so (P_p - P_n) / 2 = sum_i (p_i - n_i) x_i = w . x exactly: the same integers as the plain dot product.
     * This form allocates its working space; a core passes its own {@link Scratch}.
     */
    public static Tile lutGemm(Tile w, Tile x, int g) {
        return lutGemm(w, x, g, new Scratch());
    }

    /** {@link #lutGemm(Tile, Tile, int)} with the tables and bit-planes in {@code scratch} (one per core: not shared between threads). */
    public static Tile lutGemm(Tile w, Tile x, int g, Scratch scratch) {
        if (w.cols() != x.rows()) throw new IllegalArgumentException("lut-gemm " + w + " . " + x + ": shapes do not fit");
        if (w.dtype() != DType.TERNARY || x.dtype() != DType.INT8) throw new IllegalArgumentException("lut-gemm needs ternary . int8, got " + w + " . " + x);
        int m = w.rows(), k = w.cols(), n = x.cols();
        if (!w.hasData() || !x.hasData()) return Tile.shape(m, n, DType.INT32);
        x = x.widened();
        int groups = Math.ceilDiv(k, g), half = 1 << (g - 1);
        float[] out = new float[m * n];
        // Columns in blocks: the tables of a block stay small, and each row's bit-planes are read once per block.
        for (int t0 = 0; t0 < n; t0 += Scratch.COLUMNS) {
            int cols = Math.min(Scratch.COLUMNS, n - t0);
            short[] tables = scratch.tables(cols * groups * half);
            for (int c = 0; c < cols; c++) lutTables(x.data(), k, n, t0 + c, g, tables, c * groups * half);
            int[] plus = scratch.plus(groups), minus = scratch.minus(groups);
            for (int i = 0; i < m; i++) {
                if (w.stored() != null) bitPlanes(w.stored(), i, k, g, plus, minus, scratch.codes(k));
                else bitPlanes(w.data(), i, k, g, plus, minus);
                for (int c = 0; c < cols; c++) {
                    // integer sums: exact in any order (|sum| < 2^31 since 128 k < 2^24)
                    int base = c * groups * half, acc = 0;
                    for (int q = 0; q < groups; q++) acc += lookup(tables, base, plus[q]) - lookup(tables, base, minus[q]);
                    out[i * n + t0 + c] = acc / 2;
                }
            }
        }
        return new Tile(m, n, DType.INT32, out);
    }

    /**
     * The working space of a core's kernels, grown to the largest call and then reused: the LUT-GEMM's
     * tables of a block of activation columns and one weight row's bit-planes and codes, and the block of
     * stored weight rows a gemm widens. A core holds its own (cores run on several threads); its size is
     * bounded by the block of columns and {@link #ROW_BLOCK_FLOATS}.
     */
    public static final class Scratch {
        /** Activation columns whose tables are built at once. */
        static final int COLUMNS = 4;
        /** Values of stored weight rows widened at once (64 KiB of fp32: stays in L2 while it is multiplied). */
        static final int ROW_BLOCK_FLOATS = 16_384;
        private static final short[] NO_SHORTS = {};
        private static final int[] NO_INTS = {};
        private short[] tables = NO_SHORTS;   // |entry| <= 128 g <= 1024
        private int[] plus = NO_INTS, minus = NO_INTS;
        private float[] rows = new float[0];
        private byte[] codes = new byte[0];
        private short[] halves = new short[0];

        short[] tables(int size) {
            if (tables.length < size) tables = new short[size];
            return tables;
        }

        int[] plus(int size) {
            if (plus.length < size) plus = new int[size];
            return plus;
        }

        int[] minus(int size) {
            if (minus.length < size) minus = new int[size];
            return minus;
        }

        float[] rows(int size) {
            if (rows.length < size) rows = new float[size];
            return rows;
        }

        short[] halves(int size) {
            if (halves.length < size) halves = new short[size];
            return halves;
        }

        byte[] codes(int size) {
            if (codes.length < size) codes = new byte[size];
            return codes;
        }
    }

    /**
     * Row i's two bit-planes, per group q an entry {@code (q half + e) << 1 | negate} that {@link #lookup}
     * reads: pattern u (bit b set where w = 1, resp. w = -1) is entry u' = u with bit g-1 set, or the
     * negated entry ~u' for patterns with bit g-1 clear (T[u] = -T[~u]). Weights past k count as 0.
     */
    private static void bitPlanes(float[] w, int i, int k, int g, int[] plus, int[] minus) {
        int groups = Math.ceilDiv(k, g), half = 1 << (g - 1), row = i * k;
        for (int q = 0; q < groups; q++) {
            int codes = 0, first = q * g, len = Math.min(g, k - first);
            for (int b = 0; b < len; b++) {
                int v = (int) w[row + first + b];
                if (Integer.compareUnsigned(v + 1, 2) > 0) {
                    throw new IllegalArgumentException("lut-gemm: weight " + v + " at (" + i + ", " + (first + b) + ") is not ternary");
                }
                codes |= (v + 1) << 2 * b;   // two bits per weight: 0 (w = -1), 1 (0), 2 (1)
            }
            planes(codes, len, q, half, g, plus, minus);
        }
    }

    /** {@link #bitPlanes(float[], int, int, int, int[], int[])} of a stored ternary row, read as its 2-bit codes (the packed form is already value + 1). */
    private static void bitPlanes(Stored w, int i, int k, int g, int[] plus, int[] minus, byte[] row) {
        w.codesRow(i, row);
        int groups = Math.ceilDiv(k, g), half = 1 << (g - 1);
        for (int q = 0; q < groups; q++) {
            int codes = 0, first = q * g, len = Math.min(g, k - first);
            for (int b = 0; b < len; b++) {
                int code = row[first + b];
                if (code > 2) throw new IllegalArgumentException("lut-gemm: weight code " + code + " at (" + i + ", " + (first + b) + ") is not ternary");
                codes |= code << 2 * b;
            }
            planes(codes, len, q, half, g, plus, minus);
        }
    }

    /** Group q's plus and minus entries from its weights' 2-bit codes. */
    private static void planes(int codes, int len, int q, int half, int g, int[] plus, int[] minus) {
        int fields = 0x55555555 >>> (32 - 2 * len);   // the low bit of each weight's two
        plus[q] = entry(Integer.compress(codes >>> 1, fields), q * half, g);               // code 2
        minus[q] = entry(Integer.compress(~(codes | codes >>> 1), fields), q * half, g);  // code 0
    }

    private static int entry(int u, int base, int g) {
        int high = u >>> (g - 1) & 1, mask = (1 << (g - 1)) - 1;
        int e = high == 1 ? u & mask : ~u & mask;
        return (base + e) << 1 | (1 - high);
    }

    /** Table entry of a bit-plane entry, negated where its pattern has bit g-1 clear (branch-free). */
    private static int lookup(short[] tables, int base, int entry) {
        int v = tables[base + (entry >>> 1)], negate = -(entry & 1);
        return (v ^ negate) - negate;
    }

    /**
     * The tables of column t of x [k x n] into tables[off ..]: entry u' of group q is sum_i s_i x_(qg+i) for the pattern u = u' with
     * bit g-1 set (s_i = +1 where bit i is set, else -1; missing x are 0). Each entry after the first is
     * one add from an earlier one (flipping bit j from -1 to +1 adds 2 x_j), the cost the timing counts.
     */
    private static void lutTables(float[] x, int k, int n, int t, int g, short[] tables, int off) {
        int groups = Math.ceilDiv(k, g), half = 1 << (g - 1);
        for (int q = 0; q < groups; q++) {
            int base = off + q * half;
            int first = at(x, k, n, t, q * g + g - 1);
            for (int b = 0; b < g - 1; b++) first -= at(x, k, n, t, q * g + b);
            tables[base] = (short) first;
            for (int u = 1; u < half; u++) {
                int j = Integer.numberOfTrailingZeros(u);
                tables[base + u] = (short) (tables[base + (u & (u - 1))] + 2 * at(x, k, n, t, q * g + j));
            }
        }
    }

    /** x[i][t] of x [k x n] as its int8 value; 0 past k. */
    private static int at(float[] x, int k, int n, int t, int i) {
        return i < k ? (int) x[i * n + t] : 0;
    }

    /** The int32 value an int32 tile holds (exact by construction). */
    private static int exactInt(float v) {
        return (int) v;
    }
}
