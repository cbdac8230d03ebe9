package org.meshemu.noc;

import java.util.Arrays;
import org.meshemu.scenario.Named;
import org.meshemu.scenario.Registry;

/**
 * A separable allocator (Dally and Towles, ch. 19; BookSim2's allocators): matches requesters to
 * resources, each at most once, with one round-robin arbiter per requester and per resource whose
 * pointers are the only state. Decisions depend only on the request matrix and the pointers, so
 * on simulated state alone. Registered by scenario name ({@code hardware.noc.vc.allocator}).
 * <ul>
 *   <li>{@code separable-input-first}: each requester picks one of its requests, then each
 *       resource picks one of the requesters that picked it; both pointers move past a grant.</li>
 *   <li>{@code islip}: each resource grants one requester, each requester accepts one grant;
 *       pointers move past an accepted grant, in the first iteration only (McKeown's iSLIP).</li>
 * </ul>
 * Further iterations match the requesters and resources left unmatched.
 */
abstract class Allocator {
    final int requesters, resources, iterations;
    private final boolean[][] request;
    /**
     * Requests per requester and per resource: a router asks for a few of its (ports x VCs)^2 pairs a cycle,
     * so the arbiters skip the rows and columns nobody asked for (the full scan took 40% of a vc-router run),
     * and clearing and resetting touch only what was asked and granted (filling the arrays whole took 9%).
     */
    final int[] rowRequests, columnRequests;
    private int[] asked = new int[16]; // the requests since the last clear, as requester * resources + resource
    private int askedCount;
    /** The resource granted to each requester, -1 for none; valid after {@link #allocate()}. */
    final int[] grant;
    final int[] requesterPointer, resourcePointer;
    final int[] owner; // the requester granted each resource, -1 for none
    private final int[] matched; // the requesters granted in this allocation, matchedCount of them
    private int matchedCount;

    Allocator(int requesters, int resources, int iterations) {
        this.requesters = requesters;
        this.resources = resources;
        this.iterations = iterations;
        this.request = new boolean[requesters][resources];
        this.rowRequests = new int[requesters];
        this.columnRequests = new int[resources];
        this.grant = new int[requesters];
        this.owner = new int[resources];
        this.matched = new int[Math.min(requesters, resources)];
        this.requesterPointer = new int[requesters];
        this.resourcePointer = new int[resources];
        Arrays.fill(grant, -1);
        Arrays.fill(owner, -1);
    }

    /** An allocator of one kind; a factory, as every router has its own arbiters' pointers. */
    public interface Factory extends Named {
        Allocator create(int requesters, int resources, int iterations);
    }

    /** Allocators by scenario name. */
    static final Registry<Factory> REGISTRY = Registry.of(Factory.class, "hardware.noc.vc.allocator");

    /** Requester {@code r} asks for resource {@code s} in this allocation. */
    void request(int r, int s) {
        if (request[r][s]) return;
        request[r][s] = true;
        rowRequests[r]++;
        columnRequests[s]++;
        if (askedCount == asked.length) asked = Arrays.copyOf(asked, 2 * askedCount);
        asked[askedCount++] = r * resources + s;
    }

    /** Forgets every request. */
    void clear() {
        for (int k = 0; k < askedCount; k++) {
            int r = asked[k] / resources, s = asked[k] % resources;
            request[r][s] = false;
            rowRequests[r] = 0;
            columnRequests[s] = 0;
        }
        askedCount = 0;
    }

    /** Matches the current requests; the result is in {@link #grant}. */
    void allocate() {
        for (int k = 0; k < matchedCount; k++) { // the last allocation's grants: every other entry is -1 already
            int r = matched[k];
            owner[grant[r]] = -1;
            grant[r] = -1;
        }
        matchedCount = 0;
        for (int it = 0; it < iterations; it++) iterate(it == 0);
    }

    abstract void iterate(boolean first);

    boolean free(int requester, int resource) {
        return request[requester][resource] && grant[requester] < 0 && owner[resource] < 0;
    }

    void match(int requester, int resource) {
        grant[requester] = resource;
        owner[resource] = requester;
        matched[matchedCount++] = requester;
    }

    /** The first index from {@code pointer} on (cyclically) in 0..n-1 for which {@code ok} holds, or -1. */
    static int roundRobin(int pointer, int n, java.util.function.IntPredicate ok) {
        for (int k = 0; k < n; k++) {
            int i = (pointer + k) % n;
            if (ok.test(i)) return i;
        }
        return -1;
    }

    static final class InputFirst extends Allocator {
        /** {@code separable-input-first}. */
        public static final class Provider implements Factory {
            @Override public String name() { return "separable-input-first"; }

            @Override public Allocator create(int requesters, int resources, int iterations) { return new InputFirst(requesters, resources, iterations); }
        }

        private final int[] pick;

        InputFirst(int requesters, int resources, int iterations) {
            super(requesters, resources, iterations);
            pick = new int[requesters];
        }

        @Override
        void iterate(boolean first) {
            // the round-robin scans are written out: one shared helper taking a predicate is a megamorphic call per element
            for (int r = 0; r < requesters; r++) {
                pick[r] = -1;
                if (grant[r] >= 0 || rowRequests[r] == 0) continue;
                for (int k = 0, s = requesterPointer[r]; k < resources; k++, s = s + 1 == resources ? 0 : s + 1) {
                    if (free(r, s)) {
                        pick[r] = s;
                        break;
                    }
                }
            }
            for (int s = 0; s < resources; s++) {
                if (columnRequests[s] == 0 || owner[s] >= 0) continue; // nobody picked it, or it is taken
                int r = -1;
                for (int k = 0, q = resourcePointer[s]; k < requesters; k++, q = q + 1 == requesters ? 0 : q + 1) {
                    if (pick[q] == s && free(q, s)) {
                        r = q;
                        break;
                    }
                }
                if (r < 0) continue;
                match(r, s);
                requesterPointer[r] = (s + 1) % resources;
                resourcePointer[s] = (r + 1) % requesters;
            }
        }
    }

    static final class Islip extends Allocator {
        /** {@code islip}. */
        public static final class Provider implements Factory {
            @Override public String name() { return "islip"; }

            @Override public Allocator create(int requesters, int resources, int iterations) { return new Islip(requesters, resources, iterations); }
        }

        // per requester, in one iteration: the offered resource first from its pointer (the one it accepts), -1 for none
        private final int[] accept, acceptDistance;

        Islip(int requesters, int resources, int iterations) {
            super(requesters, resources, iterations);
            accept = new int[requesters];
            acceptDistance = new int[requesters];
            Arrays.fill(accept, -1);
        }

        @Override
        void iterate(boolean first) {
            // the round-robin scans are written out: one shared helper taking a predicate is a megamorphic call per element
            for (int s = 0; s < resources; s++) {
                if (columnRequests[s] == 0 || owner[s] >= 0) continue;
                for (int k = 0, q = resourcePointer[s]; k < requesters; k++, q = q + 1 == requesters ? 0 : q + 1) {
                    if (free(q, s)) {
                        // q accepts the offer first from its pointer, cyclically: keep the nearest one so far
                        int distance = s >= requesterPointer[q] ? s - requesterPointer[q] : s - requesterPointer[q] + resources;
                        if (accept[q] < 0 || distance < acceptDistance[q]) {
                            accept[q] = s;
                            acceptDistance[q] = distance;
                        }
                        break;
                    }
                }
            }
            for (int r = 0; r < requesters; r++) {
                int s = accept[r];
                if (s < 0) continue;
                accept[r] = -1;
                match(r, s);
                if (first) {
                    requesterPointer[r] = (s + 1) % resources;
                    resourcePointer[s] = (r + 1) % requesters;
                }
            }
        }
    }
}
