package org.meshemu.dram.mapping;

import java.util.EnumSet;
import java.util.List;

/**
 * An address mapping that slices the burst index (address / burstBytes) into bit fields in a
 * fixed order, lowest field first. The order is the whole scheme: {@code COLUMN, BANK, ROW}
 * keeps sequential addresses in one row; {@code BANK, COLUMN, ROW} spreads consecutive bursts
 * over banks.
 *
 * <p>{@link Field#BANK} alone is the flat bank index (bank group in its low bits, so adjacent
 * flat banks sit in different groups); if the order also lists {@link Field#BANK_GROUP}, then
 * {@code BANK} means the bank within its group. The row field absorbs all remaining high bits
 * modulo the row count, which makes out-of-range addresses wrap.
 */
public final class BitSliceMapping implements AddressMapping {

    /** An address field a scheme may place. */
    public enum Field { COLUMN, BANK, BANK_GROUP, ROW }

    private final String name;
    private final Geometry geometry;
    private final List<Field> lowToHigh;
    private final int burstShift;

    /**
     * @param name      registry name
     * @param geometry  field sizes
     * @param lowToHigh fields from least to most significant; must contain COLUMN, BANK and ROW
     *                  once each, optionally BANK_GROUP, and end with ROW
     */
    public BitSliceMapping(String name, Geometry geometry, List<Field> lowToHigh) {
        EnumSet<Field> seen = EnumSet.noneOf(Field.class);
        for (Field f : lowToHigh) {
            if (!seen.add(f)) {
                throw new IllegalArgumentException(name + ": field " + f + " listed twice in " + lowToHigh);
            }
        }
        if (!seen.containsAll(EnumSet.of(Field.COLUMN, Field.BANK, Field.ROW))
                || lowToHigh.get(lowToHigh.size() - 1) != Field.ROW) {
            throw new IllegalArgumentException(name + ": order must contain COLUMN, BANK, ROW and end with ROW, got "
                    + lowToHigh);
        }
        this.name = name;
        this.geometry = geometry;
        this.lowToHigh = List.copyOf(lowToHigh);
        this.burstShift = Integer.numberOfTrailingZeros(geometry.burstBytes());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DramAddress decode(long address) {
        if (address < 0) {
            throw new IllegalArgumentException("address: must be >= 0, got " + address);
        }
        long rest = address >>> burstShift;
        boolean separateGroups = lowToHigh.contains(Field.BANK_GROUP);
        int column = 0;
        int bankField = 0;
        int group = 0;
        int row = 0;
        for (Field f : lowToHigh) {
            int size = switch (f) {
                case COLUMN -> geometry.columns();
                case BANK -> separateGroups ? geometry.banksPerGroup() : geometry.banksPerGroup() * geometry.bankGroups();
                case BANK_GROUP -> geometry.bankGroups();
                case ROW -> geometry.rows();
            };
            int value = (int) (rest & (size - 1)); // size is a power of two
            rest >>>= Integer.numberOfTrailingZeros(size);
            switch (f) {
                case COLUMN -> column = value;
                case BANK -> bankField = value;
                case BANK_GROUP -> group = value;
                case ROW -> row = value;
            }
        }
        if (separateGroups) {
            return new DramAddress(group, bankField, row, column);
        }
        return new DramAddress(bankField % geometry.bankGroups(), bankField / geometry.bankGroups(), row, column);
    }

    @Override
    public int burstsLeftInRow(long address) {
        // Column bits lowest: the next bursts stay in this row of this bank until the column wraps.
        return lowToHigh.get(0) == Field.COLUMN ? geometry.columns() - decode(address).column() : 1;
    }

    @Override
    public String toString() {
        return name + lowToHigh;
    }
}
