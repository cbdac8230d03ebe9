package org.meshemu.aicore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** One rule per test, probed at n-1 and n: a unit's throughput boundary adds exactly one cycle. */
class CoreTimingTest {
    final CoreTiming timing = new CoreTiming(1000, 256, 16, 3);

    @Test
    void gemmTakesOverheadPlusFlopsOverThroughputRoundedUp() {
        // 2 m n k = 256 flops fit one cycle; one more multiply-add (2 flops) needs a second.
        assertEquals(3 + 1, timing.gemmCycles(1, 1, 128));
        assertEquals(3 + 2, timing.gemmCycles(1, 1, 129));
        assertEquals(3 + 256, timing.gemmCycles(32, 32, 32));
    }

    @Test
    void vectorInstructionsTakeOverheadPlusElementsOverLanesRoundedUp() {
        assertEquals(3 + 1, timing.vectorCycles(16));
        assertEquals(3 + 2, timing.vectorCycles(17));
        assertEquals(3 + 1, timing.vectorCycles(1));
    }

    @Test
    void cyclesBecomePicosecondsAtTheClockPeriod() {
        assertEquals(7_000, timing.ps(7));
        assertEquals(755 * 4, new CoreTiming(755, 1, 1, 0).ps(4));
    }
}
