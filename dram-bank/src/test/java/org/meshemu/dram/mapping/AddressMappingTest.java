package org.meshemu.dram.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Decoding of the registered schemes on a 32 B burst, 4-column, 2 x 2 bank, 8-row geometry. */
class AddressMappingTest {

    private static final Geometry G = new Geometry(32, 4, 2, 2, 8);

    private static DramAddress decode(String scheme, long address) {
        return AddressMappings.REGISTRY.named(scheme).create(G).decode(address);
    }

    @Test
    void rowBankColumnKeepsSequentialAddressesInOneRow() {
        assertEquals(new DramAddress(0, 0, 0, 0), decode("row-bank-column", 0));
        assertEquals(new DramAddress(0, 0, 0, 0), decode("row-bank-column", 31), "same burst");
        assertEquals(new DramAddress(0, 0, 0, 3), decode("row-bank-column", 3 * 32));
        // One row is 128 B; the next row-sized block is the next flat bank, alternating groups.
        assertEquals(new DramAddress(1, 0, 0, 0), decode("row-bank-column", 128));
        assertEquals(new DramAddress(0, 1, 0, 0), decode("row-bank-column", 256));
        assertEquals(new DramAddress(0, 0, 1, 0), decode("row-bank-column", 512));
    }

    @Test
    void rowColumnBankInterleavesConsecutiveBurstsOverBanks() {
        assertEquals(new DramAddress(0, 0, 0, 0), decode("row-column-bank", 0));
        assertEquals(new DramAddress(1, 0, 0, 0), decode("row-column-bank", 32));
        assertEquals(new DramAddress(0, 1, 0, 0), decode("row-column-bank", 64));
        assertEquals(new DramAddress(1, 1, 0, 0), decode("row-column-bank", 96));
        assertEquals(new DramAddress(0, 0, 0, 1), decode("row-column-bank", 128));
        assertEquals(new DramAddress(0, 0, 1, 0), decode("row-column-bank", 512));
    }

    @Test
    void rowBankColumnBankgroupAlternatesGroupsThenStreamsColumns() {
        assertEquals(new DramAddress(1, 0, 0, 0), decode("row-bank-column-bankgroup", 32));
        assertEquals(new DramAddress(0, 0, 0, 1), decode("row-bank-column-bankgroup", 64));
        assertEquals(new DramAddress(0, 1, 0, 0), decode("row-bank-column-bankgroup", 256));
        assertEquals(new DramAddress(0, 0, 1, 0), decode("row-bank-column-bankgroup", 512));
    }

    @Test
    void addressesBeyondCapacityWrapOnTheRow() {
        assertEquals(decode("row-bank-column", 96), decode("row-bank-column", 96 + 8 * 512));
    }

    @Test
    void negativeAddressIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> decode("row-bank-column", -1));
    }

    /** A scheme registered by the test sources' {@code META-INF/services}, as any other would be. */
    public static final class TestBankRowColumn implements AddressMapping.Factory {
        @Override public String name() { return "test-bank-row-column"; }

        @Override
        public AddressMapping create(Geometry g) {
            return new BitSliceMapping(name(), g, java.util.List.of(BitSliceMapping.Field.COLUMN, BitSliceMapping.Field.BANK_GROUP,
                    BitSliceMapping.Field.BANK, BitSliceMapping.Field.ROW));
        }
    }

    @Test
    void customSchemesCanBeRegistered() {
        assertEquals(new DramAddress(1, 0, 0, 0), decode("test-bank-row-column", 128));
        assertThrows(IllegalArgumentException.class, () -> new BitSliceMapping("bad", G,
                java.util.List.of(BitSliceMapping.Field.ROW, BitSliceMapping.Field.COLUMN, BitSliceMapping.Field.BANK)));
    }
}
