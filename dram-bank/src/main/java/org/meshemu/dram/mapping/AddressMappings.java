package org.meshemu.dram.mapping;

import java.util.List;

import org.meshemu.scenario.Registry;

import static org.meshemu.dram.mapping.BitSliceMapping.Field.BANK;
import static org.meshemu.dram.mapping.BitSliceMapping.Field.BANK_GROUP;
import static org.meshemu.dram.mapping.BitSliceMapping.Field.COLUMN;
import static org.meshemu.dram.mapping.BitSliceMapping.Field.ROW;

/**
 * Registry of address mapping schemes by name. Names list fields from most to least significant,
 * Ramulator style ({@code row-bank-column} = RoBaCo).
 *
 * <ul>
 *   <li>{@code row-bank-column}: column bits lowest, then flat bank, then row; a sequential
 *       stream stays in one row of one bank for a whole row.</li>
 *   <li>{@code row-column-bank}: flat bank lowest; consecutive bursts go to consecutive banks
 *       (alternating bank groups), maximising bank parallelism for small strided accesses.</li>
 *   <li>{@code row-bank-column-bankgroup}: bank group lowest, then column, then bank; a stream
 *       alternates bank groups every burst (so only the short {@code nCCD_S} applies) while each
 *       bank still streams a whole row. The usual choice for bank-grouped standards like HBM3.</li>
 * </ul>
 *
 * <p>Adding a scheme is one {@link AddressMapping.Factory} class and one line in
 * {@code META-INF/services/org.meshemu.dram.mapping.AddressMapping$Factory}; a DRAM standard
 * names it in its {@code addressMapping}.
 */
public final class AddressMappings {

    /** Schemes by the name a DRAM standard's {@code addressMapping} gives them. */
    public static final Registry<AddressMapping.Factory> REGISTRY = Registry.of(AddressMapping.Factory.class, "addressMapping");

    private AddressMappings() {
    }

    /** A scheme that lays the fields out in one order, lowest bits first. */
    abstract static class FieldOrder implements AddressMapping.Factory {
        private final String name;
        private final List<BitSliceMapping.Field> lowToHigh;

        FieldOrder(String name, List<BitSliceMapping.Field> lowToHigh) {
            this.name = name;
            this.lowToHigh = lowToHigh;
        }

        @Override public String name() { return name; }

        @Override public AddressMapping create(Geometry geometry) { return new BitSliceMapping(name, geometry, lowToHigh); }
    }

    /** {@code row-bank-column}. */
    public static final class RowBankColumn extends FieldOrder {
        public RowBankColumn() { super("row-bank-column", List.of(COLUMN, BANK, ROW)); }
    }

    /** {@code row-column-bank}. */
    public static final class RowColumnBank extends FieldOrder {
        public RowColumnBank() { super("row-column-bank", List.of(BANK, COLUMN, ROW)); }
    }

    /** {@code row-bank-column-bankgroup}. */
    public static final class RowBankColumnBankgroup extends FieldOrder {
        public RowBankColumnBankgroup() { super("row-bank-column-bankgroup", List.of(BANK_GROUP, COLUMN, BANK, ROW)); }
    }
}
