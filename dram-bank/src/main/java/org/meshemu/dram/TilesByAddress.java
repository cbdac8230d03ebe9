package org.meshemu.dram;

import java.util.Arrays;
import java.util.Map;
import org.meshemu.kernel.SplitMix;
import org.meshemu.tensor.Tile;

/**
 * A bank's tiles by address: open addressing with linear probing over two arrays, addresses as
 * plain longs, 12 bytes a slot and at most half full (24-48 bytes a tile). A {@code HashMap<Long,
 * Tile>} took about 44 bytes a tile (an entry and a boxed address, each its own object, and a table
 * slot) and tile addresses, multiples of a large power of two, crowded its buckets into trees; a
 * read here probes one slot of each array, mostly the first, and touches no other object (docs/PERFORMANCE.md, "A bank's
 * tiles"). Not thread-safe: one bank's.
 */
final class TilesByAddress {
    private static final long EMPTY = -1; // addresses are >= 0

    private long[] addresses;
    private Tile[] tiles;
    private int size;

    /** The tiles of {@code initial}, copied. */
    TilesByAddress(Map<Long, Tile> initial) {
        int capacity = Integer.highestOneBit(Math.max(1, initial.size() * 2 - 1)) << 1; // at most half full, 2 slots at least
        addresses = new long[capacity];
        tiles = new Tile[capacity];
        Arrays.fill(addresses, EMPTY);
        initial.forEach(this::put);
    }

    /** The tile at {@code address}, or null. */
    Tile get(long address) {
        int mask = addresses.length - 1;
        for (int i = slot(address, mask); ; i = (i + 1) & mask) {
            long a = addresses[i];
            if (a == address) return tiles[i];
            if (a == EMPTY) return null;
        }
    }

    /** Stores {@code tile} at {@code address}, replacing what was there. */
    void put(long address, Tile tile) {
        if (address < 0) throw new IllegalArgumentException("address: must be >= 0, got " + address);
        int mask = addresses.length - 1;
        int i = slot(address, mask);
        while (addresses[i] != EMPTY && addresses[i] != address) i = (i + 1) & mask;
        if (addresses[i] == address) { // a write over a tile
            tiles[i] = tile;
            return;
        }
        if (2 * (size + 1) > addresses.length) { // a new address would fill more than half
            grow();
            put(address, tile);
            return;
        }
        addresses[i] = address;
        tiles[i] = tile;
        size++;
    }

    int size() { return size; }

    private void grow() {
        long[] oldAddresses = addresses;
        Tile[] oldTiles = tiles;
        addresses = new long[oldAddresses.length * 2];
        tiles = new Tile[oldTiles.length * 2];
        Arrays.fill(addresses, EMPTY);
        size = 0;
        for (int i = 0; i < oldAddresses.length; i++) if (oldAddresses[i] != EMPTY) put(oldAddresses[i], oldTiles[i]);
    }

    /** The home slot: the address's bits mixed, so aligned addresses spread. */
    private static int slot(long address, int mask) { return (int) SplitMix.mix(address) & mask; }
}
