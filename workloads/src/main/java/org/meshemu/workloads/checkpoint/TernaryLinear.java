package org.meshemu.workloads.checkpoint;

/**
 * A BitNet projection as stored offline: ternary weights packed four to a byte, plus one scale.
 *
 * <p>Contract: {@code packed} is row-major [outFeatures/4, inFeatures]; the ternary weight of row
 * {@code k * outFeatures/4 + r}, column c is {@code ((packed[r, c] >> 2k) & 3) - 1} (blocks of rows, not
 * interleaved). The real weight is that times (autobitlinear) or divided by (bitlinear) {@code weightScale}.
 * A shape-only projection (timing mode) has null {@code packed} and a NaN scale.
 */
public record TernaryLinear(int outFeatures, int inFeatures, byte[] packed, float weightScale) {
    public TernaryLinear {
        if (outFeatures % 4 != 0 || packed != null && packed.length != (long) outFeatures / 4 * inFeatures) {
            throw new IllegalArgumentException("packed ternary [" + outFeatures + ", " + inFeatures + "] needs "
                    + (long) outFeatures / 4 * inFeatures + " bytes, got " + packed.length);
        }
    }

    /** The projection's shape without its weights. */
    public static TernaryLinear shapeOnly(int outFeatures, int inFeatures) {
        return new TernaryLinear(outFeatures, inFeatures, null, Float.NaN);
    }
}
