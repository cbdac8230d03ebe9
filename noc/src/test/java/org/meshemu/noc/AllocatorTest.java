package org.meshemu.noc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The separable allocators: a match, at most one grant per requester and resource, round-robin fairness. */
class AllocatorTest {

    static Allocator withRequests(String name, int iterations, boolean[][] requests) {
        Allocator a = Allocator.REGISTRY.named(name).create(requests.length, requests[0].length, iterations);
        for (int r = 0; r < requests.length; r++) {
            for (int s = 0; s < requests[r].length; s++) if (requests[r][s]) a.request(r, s);
        }
        return a;
    }

    @Test
    void oneIterationOfIslipCanLeaveAMatchThatASecondFinds() {
        // Both requesters want resource 0, requester 1 also wants 1. One iSLIP iteration: resource 0
        // grants requester 0, resource 1 grants requester 1: both accepted.
        boolean[][] req = {{true, false}, {true, true}};
        Allocator one = withRequests("islip", 1, req);
        one.allocate();
        assertArrayEquals(new int[] {0, 1}, one.grant);
        // Resource pointers start at 0 for all: with {{1,1},{1,0}} both resources grant requester 0,
        // which accepts resource 0; requester 1 is left unmatched after one iteration, matched by two.
        boolean[][] conflict = {{true, true}, {true, false}};
        Allocator single = withRequests("islip", 1, conflict);
        single.allocate();
        assertArrayEquals(new int[] {0, -1}, single.grant);
        Allocator two = withRequests("islip", 2, conflict);
        two.allocate();
        assertArrayEquals(new int[] {0, -1}, two.grant, "resource 1 is free but requester 1 does not want it");
    }

    @Test
    void roundRobinServesContendersInTurn() {
        for (String name : new String[] {"islip", "separable-input-first"}) {
            boolean[][] all = {{true}, {true}, {true}};
            Allocator a = withRequests(name, 1, all);
            int[] winners = new int[6];
            for (int k = 0; k < 6; k++) {
                a.allocate();
                for (int r = 0; r < 3; r++) if (a.grant[r] == 0) winners[k] = r;
            }
            assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, winners, name);
        }
    }

    @Test
    void inputFirstGrantsEachRequesterAtMostOneResource() {
        Allocator a = withRequests("separable-input-first", 1, new boolean[][] {{true, true, true}});
        a.allocate();
        assertEquals(0, a.grant[0]);
        a.allocate();
        assertEquals(1, a.grant[0], "the requester's pointer moved past its last grant");
    }

    /**
     * An allocator as the textbook states it (Dally and Towles; McKeown for iSLIP), with plain scans
     * over the whole request matrix: the allocators, which keep only what was asked and granted, must
     * decide the same, cycle after cycle.
     */
    abstract static class Textbook {
        final int requesters, resources;
        final int[] requesterPointer, resourcePointer;
        private final int iterations;

        Textbook(int requesters, int resources, int iterations) {
            this.requesters = requesters;
            this.resources = resources;
            this.iterations = iterations;
            requesterPointer = new int[requesters];
            resourcePointer = new int[resources];
        }

        /** The grants for {@code request}, moving the pointers as the allocator does. */
        int[] allocate(boolean[][] request) {
            int[] grant = new int[requesters], owner = new int[resources];
            java.util.Arrays.fill(grant, -1);
            java.util.Arrays.fill(owner, -1);
            for (int it = 0; it < iterations; it++) iterate(request, grant, owner, it == 0);
            return grant;
        }

        abstract void iterate(boolean[][] request, int[] grant, int[] owner, boolean first);

        /** The first index from {@code pointer} on, cyclically over {@code n}, for which {@code wanted} holds; -1 if none. */
        static int firstFrom(int pointer, int n, java.util.function.IntPredicate wanted) {
            for (int k = 0; k < n; k++) {
                int i = (pointer + k) % n;
                if (wanted.test(i)) return i;
            }
            return -1;
        }

        /** Grants resource {@code s} to requester {@code r}, moving both pointers one past the other if {@code movePointers}. */
        void match(int r, int s, int[] grant, int[] owner, boolean movePointers) {
            grant[r] = s;
            owner[s] = r;
            if (movePointers) {
                requesterPointer[r] = (s + 1) % resources;
                resourcePointer[s] = (r + 1) % requesters;
            }
        }
    }

    /** iSLIP: each free resource offers itself to one requester, each requester accepts one offer; pointers move in the first iteration. */
    static final class TextbookIslip extends Textbook {
        TextbookIslip(int requesters, int resources, int iterations) { super(requesters, resources, iterations); }

        @Override
        void iterate(boolean[][] request, int[] grant, int[] owner, boolean first) {
            int[] offered = new int[resources];
            for (int s = 0; s < resources; s++) {
                int resource = s;
                offered[s] = owner[s] >= 0 ? -1 : firstFrom(resourcePointer[s], requesters, q -> request[q][resource] && grant[q] < 0);
            }
            for (int r = 0; r < requesters; r++) {
                if (grant[r] >= 0) continue;
                int requester = r;
                int s = firstFrom(requesterPointer[r], resources, t -> offered[t] == requester);
                if (s >= 0) match(r, s, grant, owner, first);
            }
        }
    }

    /** Separable input-first: each requester picks one free resource, each resource grants one picker; pointers move on every grant. */
    static final class TextbookInputFirst extends Textbook {
        TextbookInputFirst(int requesters, int resources, int iterations) { super(requesters, resources, iterations); }

        @Override
        void iterate(boolean[][] request, int[] grant, int[] owner, boolean first) {
            int[] pick = new int[requesters];
            for (int r = 0; r < requesters; r++) {
                int requester = r;
                pick[r] = grant[r] >= 0 ? -1 : firstFrom(requesterPointer[r], resources, t -> request[requester][t] && owner[t] < 0);
            }
            for (int s = 0; s < resources; s++) {
                if (owner[s] >= 0) continue;
                int resource = s;
                int r = firstFrom(resourcePointer[s], requesters, q -> pick[q] == resource && grant[q] < 0);
                if (r >= 0) match(r, s, grant, owner, true);
            }
        }
    }

    /**
     * Sizes: a mesh router's switch (5 x 5), its VC allocator with 8 VCs (40 x 40), and allocators
     * whose bit sets span several words, square and not (7 ports x 16 VCs; 130 x 70), or end on a
     * word's boundary (64 x 128).
     */
    @ParameterizedTest(name = "{0} {2} x {3}")
    @CsvSource({"islip, 11, 40, 40", "separable-input-first, 12, 40, 40", "islip, 13, 5, 5", "separable-input-first, 14, 5, 5",
            "islip, 15, 112, 112", "separable-input-first, 16, 112, 112", "islip, 17, 130, 70", "separable-input-first, 18, 70, 130",
            "islip, 19, 64, 128", "separable-input-first, 20, 128, 64"})
    void decidesAsTheTextbookStatesItCycleAfterCycle(String name, long seed, int requesters, int resources) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int iterations = 1; iterations <= 3; iterations++) {
            Allocator a = Allocator.REGISTRY.named(name).create(requesters, resources, iterations);
            Textbook textbook = name.equals("islip") ? new TextbookIslip(requesters, resources, iterations)
                    : new TextbookInputFirst(requesters, resources, iterations);
            for (int cycle = 0; cycle < 500; cycle++) {
                double density = random.nextDouble() * 0.2;
                boolean[][] request = new boolean[requesters][resources];
                a.clear();
                for (int r = 0; r < requesters; r++) {
                    for (int s = 0; s < resources; s++) {
                        if (random.nextDouble() < density) {
                            request[r][s] = true;
                            a.request(r, s);
                        }
                    }
                }
                a.allocate();
                assertArrayEquals(textbook.allocate(request), a.grant, "iterations " + iterations + ", cycle " + cycle);
                // the granted list (what a router applies) is exactly the requesters with a grant, each once, and owns its resource
                java.util.Set<Integer> listed = new java.util.HashSet<>();
                for (int k = 0; k < a.granted(); k++) {
                    int r = a.grantedRequester(k);
                    assertEquals(true, listed.add(r), "requester " + r + " listed twice");
                    assertEquals(r, a.owner[a.grant[r]]);
                }
                assertEquals(java.util.stream.IntStream.range(0, requesters).filter(r -> a.grant[r] >= 0).boxed().collect(java.util.stream.Collectors.toSet()),
                        listed);
                assertArrayEquals(textbook.requesterPointer, a.requesterPointer);
                assertArrayEquals(textbook.resourcePointer, a.resourcePointer);
            }
        }
    }
}
