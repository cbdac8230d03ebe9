package org.meshemu.workloads.generate.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CollectiveTreeTest {
    /** The binomial tree by position alone: at stride s, position i (i mod 2s == 0) takes [i + s, i + 2s). */
    private static List<CollectiveTree.Hop> binomial(int p) {
        List<CollectiveTree.Hop> hops = new ArrayList<>();
        for (int s = 1; s < p; s <<= 1) {
            for (int i = 0; i + s < p; i += 2 * s) hops.add(new CollectiveTree.Hop(i, i + s, Math.min(i + 2 * s, p)));
        }
        return hops;
    }

    @Test
    void onPowerOfTwoChipsItIsTheBinomialTreeByCoreIndex() {
        for (int perChip : new int[] {1, 2, 4, 8}) {
            for (int chips = 1; chips <= 5; chips++) {
                int p = chips * perChip;
                assertEquals(binomial(p), CollectiveTree.over(0, p, perChip).hops(), chips + " chips of " + perChip);
            }
        }
    }

    @Test
    void everyCoreJoinsOnceAndEverySubtreeIsAContiguousRun() {
        for (int[] c : new int[][] {{0, 18, 9}, {5, 11, 3}, {7, 2, 9}, {0, 1, 4}, {3, 20, 6}}) {
            int first = c[0], p = c[1], perChip = c[2];
            CollectiveTree tree = CollectiveTree.over(first, p, perChip);
            Set<Integer> children = new HashSet<>();
            int[] held = new int[p];                         // upward: position i holds [i, held[i])
            for (int i = 0; i < p; i++) held[i] = i + 1;
            for (CollectiveTree.Hop h : tree.hops()) {
                assertTrue(children.add(h.child()), "position " + h.child() + " joins twice");
                assertEquals(h.child(), held[h.parent()], "the parent holds the run just below its child's " + h);
                assertEquals(h.end(), held[h.child()], "the child holds its whole subtree " + h);
                held[h.parent()] = h.end();
            }
            assertEquals(p - 1, children.size());
            assertEquals(p, held[0], "the root ends with every position");
            if (p > 1) assertTrue(tree.completes(tree.hops().getLast()));
        }
    }
}
