package org.meshemu.workloads.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** MoE-CAP's S-MBU and S-MFU ({@link MoeReport#cap}) on a small case worked out by hand. */
class MoeReportTest {
    /**
     * A model of 1000 dense parameters, experts of 300, hidden 10, one layer, qDim 8, kvDim 4, no window; a batch of
     * 2; two decode steps at positions 3 and 4 (so 4 and 5 visible keys), activating 2 then 1 distinct experts over the
     * batch, with 3 then 2 expert passes (tokens x their experts); 2 us for both; peaks 1e10 B/s and 1e10 FLOP/s.
     * <pre>
     * bytes, step 1: 4 (1000 + 2 x 10 + 2 x 300) + 4 x 2 x 1 x 2 x 4 x 4 = 6480 + 256 = 6736
     * bytes, step 2: 4 (1000 + 2 x 10 + 1 x 300) + 4 x 2 x 1 x 2 x 4 x 5 = 5280 + 320 = 5600
     * S-MBU = (6736 + 5600) B / 2e-6 s / 1e10 B/s = 12336 / 20000 = 0.6168
     * FLOPs, step 1: 2 x 2 x 1000 + 2 x 3 x 300 + 4 x 2 x 1 x 8 x 4 = 4000 + 1800 + 256 = 6056
     * FLOPs, step 2: 2 x 2 x 1000 + 2 x 2 x 300 + 4 x 2 x 1 x 8 x 5 = 4000 + 1200 + 320 = 5520
     * S-MFU = (6056 + 5520) / 2e-6 s / 1e10 FLOP/s = 11576 / 20000 = 0.5788
     * </pre>
     */
    @Test
    void sMbuAndSMfuOfASmallCaseByHand() {
        MoeReport.StepCost cost = new MoeReport.StepCost(1000, 300, 10, 2, 1, 8, 4, 0);
        assertEquals(6736, cost.bytes(2, 3), 0);
        assertEquals(5600, cost.bytes(1, 4), 0);
        assertEquals(6056, cost.flops(3, 3), 0);
        assertEquals(5520, cost.flops(2, 4), 0);
        double[] cap = MoeReport.cap(cost, new long[] {2, 1}, new long[] {3, 2}, new int[] {3, 4}, 2_000_000, 1e10, 1e10);
        assertArrayEquals(new double[] {0.6168, 0.5788}, cap, 1e-12);
    }

    @Test
    void theSlidingWindowCapsTheKeysReadAndNoDecodeStepsGiveZero() {
        MoeReport.StepCost windowed = new MoeReport.StepCost(1000, 300, 10, 2, 1, 8, 4, 4);
        assertEquals(4, windowed.visible(3));
        assertEquals(4, windowed.visible(9), "at most the window");
        assertArrayEquals(new double[] {0, 0}, MoeReport.cap(windowed, new long[0], new long[0], new int[0], 0, 1e10, 1e10));
    }
}
