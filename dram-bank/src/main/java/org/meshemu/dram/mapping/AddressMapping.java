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

    /** A scheme by name ({@link AddressMappings#REGISTRY}): makes the mapping of one channel's geometry. */
    interface Factory extends org.meshemu.scenario.Named {
        AddressMapping create(Geometry geometry);
    }

    /** The registry name of this scheme, e.g. {@code row-bank-column}. */
    String name();

    /** The bank coordinates of the burst containing {@code address}. */
    DramAddress decode(long address);

    /**
     * How many consecutive bursts from the one containing {@code address} (itself included) decode
     * to the same bank and row at consecutive columns; 1 when the next burst moves elsewhere. Lets
     * a controller split a long request without decoding every burst.
     */
    default int burstsLeftInRow(long address) {
        return 1;
    }
}
