package org.meshemu.dram.mapping;

/**
 * The field sizes an address mapping slices an address into; all are powers of two.
 *
 * @param burstBytes    bytes per burst: the lowest, untranslated address bits
 * @param columns       bursts per row
 * @param bankGroups    bank groups per channel
 * @param banksPerGroup banks per group
 * @param rows          rows per bank
 */
public record Geometry(int burstBytes, int columns, int bankGroups, int banksPerGroup, int rows) {

    public Geometry {
        for (int size : new int[] {burstBytes, columns, bankGroups, banksPerGroup, rows}) {
            if (size < 1 || Integer.bitCount(size) != 1) {
                throw new IllegalArgumentException("geometry field sizes must be powers of two: " + this);
            }
        }
    }
}
