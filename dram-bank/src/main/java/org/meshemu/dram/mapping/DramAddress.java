package org.meshemu.dram.mapping;

/**
 * The coordinates of one burst inside a channel, as decoded by an {@link AddressMapping}.
 *
 * @param bankGroup bank group, {@code 0 <= bankGroup < bankGroups}
 * @param bank      bank within its group, {@code 0 <= bank < banksPerGroup}
 * @param row       row within the bank
 * @param column    burst-granular column within the row ({@code 0 <= column < columnsPerRow})
 */
public record DramAddress(int bankGroup, int bank, int row, int column) {

    /** Flat bank index used for per-bank state: groups are interleaved, {@code bank * groups + bankGroup}. */
    public int flatBank(int bankGroups) {
        return bank * bankGroups + bankGroup;
    }
}
