package org.meshemu.tensor;

/**
 * Element types of tiles, with their storage size in bits (ternary weights pack four to a byte).
 */
public enum DType {
    FP32(32), BF16(16), FP16(16), INT8(8), INT32(32), TERNARY(2);

    private final int bits;

    DType(int bits) { this.bits = bits; }

    public int bits() { return bits; }

    /** Bytes needed to store {@code elements} values of this type, rounded up to whole bytes. */
    public long bytes(long elements) {
        return Math.ceilDiv(elements * bits, 8);
    }

    /** The scenario/config name of the type (lower case). */
    public String key() { return name().toLowerCase(java.util.Locale.ROOT); }
}
