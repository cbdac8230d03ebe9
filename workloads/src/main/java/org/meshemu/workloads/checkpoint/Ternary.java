package org.meshemu.workloads.checkpoint;

/**
 * The BitNet b1.58 number format: round-half-even quantisation and the 2-bit packing of ternary weights.
 *
 * <p>Contract: {@link #rintClamp} is the single rounding rule of the project (Java {@link Math#rint}, half to
 * even, never {@link Math#round}). Packing stores ternary value t as t + 1 in bits 2k..2k+1 of byte [r, c] for
 * row k * out/4 + r (blocks of rows, as HF's {@code pack_weights}/{@code unpack_weights}).
 */
public final class Ternary {
    private Ternary() {
    }

    /** rint(v) clamped to [lo, hi]; NaN maps to 0 (a NaN activation is a bug upstream, not a code). */
    public static int rintClamp(float v, int lo, int hi) {
        return org.meshemu.aicore.VectorMath.rintClamp(v, lo, hi);
    }

    /** The ternary weight at [row, col] of a packed [out/4, in] matrix, without unpacking the rest. */
    public static int at(byte[] packed, int out, int in, int row, int col) {
        int blockRows = out / 4;
        int k = row / blockRows;
        int r = row - k * blockRows;
        return ((packed[r * in + col] >> (2 * k)) & 3) - 1;
    }

    /** Unpacks [out/4, in] bytes into [out, in] values in {-1, 0, 1}. */
    public static byte[] unpack(byte[] packed, int out, int in) {
        byte[] w = new byte[out * in];
        int blockRows = out / 4;
        for (int k = 0; k < 4; k++) {
            for (int r = 0; r < blockRows; r++) {
                for (int c = 0; c < in; c++) {
                    w[(k * blockRows + r) * in + c] = (byte) (((packed[r * in + c] >> (2 * k)) & 3) - 1);
                }
            }
        }
        return w;
    }

    /** Packs [out, in] values in {-1, 0, 1} into [out/4, in] bytes; the inverse of {@link #unpack}. */
    public static byte[] pack(byte[] ternary, int out, int in) {
        if (out % 4 != 0 || ternary.length != out * in) {
            throw new IllegalArgumentException("cannot pack [" + out + ", " + in + "] from " + ternary.length);
        }
        int blockRows = out / 4;
        byte[] packed = new byte[blockRows * in];
        for (int row = 0; row < out; row++) {
            int k = row / blockRows;
            int r = row - k * blockRows;
            for (int c = 0; c < in; c++) {
                int t = ternary[row * in + c];
                if (t < -1 || t > 1) {
                    throw new IllegalArgumentException("value " + t + " at [" + row + ", " + c + "] is not ternary");
                }
                packed[r * in + c] |= (byte) ((t + 1) << (2 * k));
            }
        }
        return packed;
    }

    /** Offline weight quantisation: ternary values and the scale to store as {@code weight_scale}. */
    public record Quantised(byte[] ternary, float weightScale) {
    }

    /**
     * absmean quantisation: s = 1 / max(mean|W|, 1e-5), W_tern = clamp(rint(W s), -1, 1), weight_scale = 1 / s.
     * The mean is accumulated in double (this is offline conversion, not part of any forward pass).
     */
    public static Quantised quantiseWeights(float[] w) {
        double sum = 0;
        for (float v : w) {
            sum += Math.abs(v);
        }
        float mean = (float) (sum / w.length);
        float s = 1.0f / Math.max(mean, 1e-5f);
        byte[] t = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            t[i] = (byte) rintClamp(w[i] * s, -1, 1);
        }
        return new Quantised(t, 1.0f / s);
    }
}
