package org.meshemu.dram.mapping;

/**
 * Decodes a byte address of one channel into bank group, bank, row and burst column.
 *
 * <p>Contract: {@link #decode(long)} is a pure function of the address; two addresses inside the
 * same burst-aligned block decode identically; addresses at or beyond the channel capacity wrap
 * (the row field is taken modulo the row count), so a caller may pass a larger, channel-local
 * offset without a range check. Negative addresses are rejected.
 */
public interface AddressMapping {

    /** The registry name of this scheme, e.g. {@code row-bank-column}. */
    String name();

    /** The bank coordinates of the burst containing {@code address}. */
    DramAddress decode(long address);
}
