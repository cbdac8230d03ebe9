package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitMixTest {
    @Test
    void drawsWhatSplittableRandomDraws() {
        for (long seed : new long[] {0, 1, -7, 0x6D657368656D75L * 0x9E3779B97F4A7C15L + 12345}) {
            SplittableRandom jdk = new SplittableRandom(seed);
            SplitMix ours = new SplitMix(seed);
            for (int i = 0; i < 2_000; i++) {
                switch (i % 6) {
                    case 0 -> assertEquals(jdk.nextLong(), ours.nextLong());
                    case 1 -> assertEquals(jdk.nextInt(), ours.nextInt());
                    case 2 -> assertEquals(jdk.nextInt(1 + i), ours.nextInt(1 + i));
                    case 3 -> assertEquals(jdk.nextDouble(), ours.nextDouble());
                    case 4 -> assertEquals(jdk.nextInt(3, 1000 + i), ours.nextInt(3, 1000 + i));
                    default -> assertEquals(jdk.nextLong(1L << 40), ours.nextLong(1L << 40));
                }
            }
        }
    }

    @Test
    void resumesFromItsState() {
        SplitMix a = new SplitMix(42);
        for (int i = 0; i < 17; i++) a.nextInt(10);
        SplitMix b = new SplitMix(a.state());
        for (int i = 0; i < 100; i++) assertEquals(a.nextLong(), b.nextLong());
    }

    /**
     * Neighbouring seeds and neighbouring indices give unrelated streams: no value of one stream's first
     * 1,000 draws is among another's (seeding with seed * gamma + index made seed 2's stream seed 1's
     * shifted by one draw, so nearly all were).
     */
    @Test
    void neighbouringSeedsAndIndicesShareNoDraws() {
        Set<Long> seen = new HashSet<>();
        int streams = 0;
        for (long seed = 0; seed < 4; seed++) {
            for (long index = 0; index < 4; index++) {
                SplitMix r = new SplitMix(SplitMix.streamState(seed, index));
                for (int i = 0; i < 1_000; i++) seen.add(r.nextLong());
                streams++;
            }
        }
        assertEquals(streams * 1_000, seen.size(), "distinct draws");
    }
}
