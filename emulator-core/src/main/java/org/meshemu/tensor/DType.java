package org.meshemu.tensor;

/**
 * Element types of tiles and tensors, with their storage size in bits (ternary weights pack four to a
 * byte). UINT8 is a checkpoint's raw bytes (BitNet's packed ternary weights as stored), not an operand
 * type of the cores. The order is the wire format (a tile's type travels as its ordinal): add at the end.
 */
public enum DType {
    FP32(32), BF16(16), FP16(16), INT8(8), INT32(32), TERNARY(2), UINT8(8);

    private final int bits;

    DType(int bits) { this.bits = bits; }

    public int bits() { return bits; }

    /** Bytes needed to store {@code elements} values of this type, rounded up to whole bytes. */
    public long bytes(long elements) {
        return Math.ceilDiv(elements * bits, 8);
    }

    /** Whether values of this type are floating-point (held widened to float). */
    public boolean isFloating() { return this == FP32 || this == BF16 || this == FP16; }

    /** The scenario/config name of the type (lower case). */
    public String key() { return name().toLowerCase(java.util.Locale.ROOT); }
}
