package org.meshemu.workloads.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The random checkpoint's counter-based stream makes, at any position, the draw {@link SplittableRandom} makes
 * there in sequence: the values of every random checkpoint (and of every scenario with random weights) are
 * those drawn in sequence before the stream was made random-access.
 */
class RandomCheckpointStreamTest {
    @Test
    void drawKIsSplittableRandomsKthDraw() {
        for (long seed : new long[] {0, 1, 7, -3, Long.MAX_VALUE, 0x9e3779b97f4a7c15L}) {
            SplittableRandom sequential = new SplittableRandom(seed);
            RandomCheckpoint.Stream stream = new RandomCheckpoint.Stream(seed);
            for (long k = 0; k < 10_000; k++) {
                assertEquals(sequential.nextDouble(), stream.uniform(k), "seed " + seed + ", draw " + k);
            }
        }
    }
}
