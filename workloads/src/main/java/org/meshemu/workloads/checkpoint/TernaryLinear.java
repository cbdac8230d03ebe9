package org.meshemu.workloads.checkpoint;

import java.nio.ByteBuffer;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Stored;

/**
 * A BitNet projection as stored offline: ternary weights packed four to a byte, plus one scale.
 *
 * <p>Contract: {@code packed} is the ternary [outFeatures, inFeatures] matrix held in its checkpoint form,
 * row-major [outFeatures/4, inFeatures] bytes (usually a view of the mapped file); the ternary weight of row
 * {@code k * outFeatures/4 + r}, column c is {@code ((packed[r, c] >> 2k) & 3) - 1} (blocks of rows, not
 * interleaved). The real weight is that times (autobitlinear) or divided by (bitlinear) {@code weightScale}.
 * A shape-only projection (timing mode) has null {@code packed} and a NaN scale.
 */
public record TernaryLinear(int outFeatures, int inFeatures, Stored packed, float weightScale) {
    public TernaryLinear {
        if (outFeatures % 4 != 0 || packed != null && (packed.dtype() != DType.TERNARY || packed.rows() != outFeatures || packed.cols() != inFeatures)) {
            throw new IllegalArgumentException("packed ternary [" + outFeatures + ", " + inFeatures + "] cannot be " + packed);
        }
    }

    /** From the packed bytes [out/4, in] in memory. */
    public TernaryLinear(int outFeatures, int inFeatures, byte[] packed, float weightScale) {
        this(outFeatures, inFeatures, Stored.ternary(ByteBuffer.wrap(packed), outFeatures, inFeatures), weightScale);
    }

    /** The projection's shape without its weights. */
    public static TernaryLinear shapeOnly(int outFeatures, int inFeatures) {
        return new TernaryLinear(outFeatures, inFeatures, (Stored) null, Float.NaN);
    }
}
