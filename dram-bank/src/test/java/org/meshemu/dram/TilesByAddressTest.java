package org.meshemu.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.meshemu.tensor.Tile;

/** A bank's tiles by address hold what a map would, whatever the addresses' alignment and however many are added. */
class TilesByAddressTest {
    private static Tile tile(int i) { return Tile.fp32(1, 1, new float[] {i}); }

    @Test
    void holdsTheInitialTilesAndWhatIsPutLikeAMap() {
        Map<Long, Tile> initial = new HashMap<>();
        for (int i = 0; i < 1000; i++) initial.put((long) i << 20, tile(i)); // aligned, as a bank's tiles are
        TilesByAddress tiles = new TilesByAddress(initial);
        Map<Long, Tile> expected = new HashMap<>(initial);
        Random random = new Random(7);
        for (int k = 0; k < 20_000; k++) { // replace some, add more than the first capacity holds
            long address = random.nextBoolean() ? (long) random.nextInt(3000) << 20 : random.nextInt(1 << 30);
            Tile t = tile(k);
            tiles.put(address, t);
            expected.put(address, t);
        }
        assertEquals(expected.size(), tiles.size());
        expected.forEach((address, t) -> assertSame(t, tiles.get(address), "address " + address));
        for (int k = 0; k < 1000; k++) {
            long absent = (long) (3000 + k) << 20;
            if (!expected.containsKey(absent)) assertNull(tiles.get(absent));
        }
    }

    @Test
    void anEmptyBankHoldsNothingAndTakesTiles() {
        TilesByAddress tiles = new TilesByAddress(Map.of());
        assertNull(tiles.get(0));
        Tile t = tile(1);
        tiles.put(0, t);
        assertSame(t, tiles.get(0));
        assertEquals(1, tiles.size());
    }

    @Test
    void aNegativeAddressIsRefused() {
        TilesByAddress tiles = new TilesByAddress(Map.of());
        assertThrows(IllegalArgumentException.class, () -> tiles.put(-1, tile(0)));
    }
}
