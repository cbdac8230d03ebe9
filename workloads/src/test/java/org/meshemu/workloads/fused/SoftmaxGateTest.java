package org.meshemu.workloads.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.meshemu.tensor.Tile;

/** The softmax gates' selection rule, the mixture of K slots, and a traced decision's slots. */
class SoftmaxGateTest {
    /** Logits ln 1, ln 2, ln 3, ln 4: probabilities 0.1, 0.2, 0.3, 0.4. */
    private static final float[] LOGITS = {0f, (float) Math.log(2), (float) Math.log(3), (float) Math.log(4)};

    @Test
    void theThresholdGateTakesEveryExpertAtOrAboveTheThresholdMostProbableFirstAtLeastOneAtMostMaxK() {
        float[] r = new SoftmaxGate(4, 0.25f).route(LOGITS);
        assertEquals(List.of(3f, 2f, -1f, -1f), List.of(r[0], r[2], r[4], r[6]), "0.4 and 0.3 pass 0.25; 0.2 stops the rest");
        assertEquals(0.4f, r[1], 1e-6f);
        assertEquals(0.3f, r[3], 1e-6f);
        assertEquals(0f, r[5]);
        float[] one = new SoftmaxGate(4, 0.5f).route(LOGITS);
        assertEquals(3f, one[0], "nothing reaches 0.5: the argmax alone");
        assertEquals(-1f, one[2]);
        float[] capped = new SoftmaxGate(2, 0.05f).route(LOGITS);
        assertArrayEquals(new float[] {3f, 2f}, new float[] {capped[0], capped[2]}, "all four pass 0.05; maxK 2 keeps the top two");
    }

    @Test
    void topKFillsEverySlotAndTiesGoToTheLowerIndex() {
        float[] r = new SoftmaxGate(3, 0f).route(new float[] {1f, 2f, 2f, 0f});
        assertArrayEquals(new float[] {1f, 2f, 0f}, new float[] {r[0], r[2], r[4]});
        float[] p = SoftmaxGate.softmax(new float[] {1f, 2f, 2f, 0f});
        assertEquals(p[1], r[1]);
        assertEquals(p[0], r[5], "weights are the probabilities, not renormalised");
    }

    @Test
    void theMixtureAddsFilledSlotsInOrderAndTwoSlotsAreTheTopTwoMixBitForBit() {
        float[] y1 = {1.1f, -2.3f}, y2 = {0.7f, 5.9f}, y3 = {100f, 100f};
        float[] route = {2f, 0.3f, 0f, 0.6f};
        float[] two = MixExperts.mix(new float[][] {y1, y2}, route);
        for (int i = 0; i < 2; i++) assertEquals(y1[i] * 0.3f + y2[i] * 0.6f, two[i], 0f);
        float[] dynamic = MixExperts.mix(new float[][] {y1, y2, null}, new float[] {2f, 0.3f, 0f, 0.6f, -1f, 0f});
        assertArrayEquals(two, dynamic, 0f, "an empty slot is skipped and its input never read");
        float[] three = MixExperts.mix(new float[][] {y1, y2, y3}, new float[] {2f, 0.3f, 0f, 0.6f, 1f, 0.1f});
        for (int i = 0; i < 2; i++) assertEquals(two[i] + y3[i] * 0.1f, three[i], 0f);
    }

    @Test
    void aDrawnThresholdDecisionVariesItsKAndATracedOneFillsItsSlots() {
        SoftmaxGate gate = new SoftmaxGate(4, 0.2f);
        SplittableRandom random = new SplittableRandom(3);
        boolean[] seen = new boolean[5];
        for (int i = 0; i < 200; i++) {
            float[] d = gate.draw(List.of(Tile.fp32(8, 1, new float[8])), random).data();
            int k = 0;
            while (k < 4 && d[2 * k] != SoftmaxGate.EMPTY) k++;
            seen[k] = true;
            for (int j = k; j < 4; j++) assertEquals(SoftmaxGate.EMPTY, d[2 * j]);
        }
        assertTrue(!seen[0] && seen[1] && seen[2], "at least one expert, and k varies");
        float[] traced = new TracedGate(gate, List.of(5, 1)).draw(List.of(Tile.fp32(8, 1, new float[8])), random).data();
        assertArrayEquals(new float[] {5f, 0.5f, 1f, 0.5f, -1f, 0f, -1f, 0f}, traced);
    }
}
