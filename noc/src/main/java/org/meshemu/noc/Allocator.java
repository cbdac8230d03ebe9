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
    /**
     * The requests as bit sets, one per resource over the requesters ({@code column}) and one per
     * requester over the resources ({@code row}), {@code requesterWords} and {@code resourceWords}
     * longs each: a round-robin scan is then a few word operations from the pointer, not a test per
     * element (the element-wise scans took a third of a vc-router run, docs/PERFORMANCE.md).
     */
    final int requesterWords, resourceWords;
    private final long[] column, row;
    private final long[] requested; // the resources somebody asked for
    final long[] asking; // the requesters that asked for something
    private int[] asked = new int[16]; // the requests since the last clear, as (requester, resource) pairs
    private int askedCount;
    /** The resource granted to each requester, -1 for none; valid after {@link #allocate()}. */
    final int[] grant;
    final int[] requesterPointer, resourcePointer;
    final int[] owner; // the requester granted each resource, -1 for none
    // the requesters not granted and the resources not taken in this allocation, as bit sets
    final long[] openRequesters, openResources;
    private final int[] matched; // the requesters granted in this allocation, matchedCount of them
    private int matchedCount;

    Allocator(int requesters, int resources, int iterations) {
        this.requesters = requesters;
        this.resources = resources;
        this.iterations = iterations;
        this.requesterWords = words(requesters);
        this.resourceWords = words(resources);
        this.column = new long[resources * requesterWords];
        this.row = new long[requesters * resourceWords];
        this.requested = new long[resourceWords];
        this.asking = new long[requesterWords];
        this.openRequesters = new long[requesterWords];
        this.openResources = new long[resourceWords];
        this.grant = new int[requesters];
        this.owner = new int[resources];
        this.matched = new int[Math.min(requesters, resources)];
        this.requesterPointer = new int[requesters];
        this.resourcePointer = new int[resources];
        Arrays.fill(grant, -1);
        Arrays.fill(owner, -1);
    }

    private static int words(int bits) { return (bits + 63) >>> 6; }

    /** An allocator of one kind; a factory, as every router has its own arbiters' pointers. */
    public interface Factory extends Named {
        Allocator create(int requesters, int resources, int iterations);
    }

    /** Allocators by scenario name. */
    static final Registry<Factory> REGISTRY = Registry.of(Factory.class, "hardware.noc.vc.allocator");

    /** Requester {@code r} asks for resource {@code s} in this allocation. */
    void request(int r, int s) {
        int c = s * requesterWords + (r >>> 6);
        if ((column[c] & 1L << r) != 0) return;
        column[c] |= 1L << r;
        row[r * resourceWords + (s >>> 6)] |= 1L << s;
        requested[s >>> 6] |= 1L << s;
        asking[r >>> 6] |= 1L << r;
        if (2 * askedCount == asked.length) asked = Arrays.copyOf(asked, 2 * asked.length);
        asked[2 * askedCount] = r;
        asked[2 * askedCount + 1] = s;
        askedCount++;
    }

    /** Forgets every request. */
    void clear() {
        for (int k = 0; k < askedCount; k++) {
            int r = asked[2 * k], s = asked[2 * k + 1];
            column[s * requesterWords + (r >>> 6)] = 0;
            row[r * resourceWords + (s >>> 6)] = 0;
            requested[s >>> 6] = 0;
            asking[r >>> 6] = 0;
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
        Arrays.fill(openRequesters, -1L);
        Arrays.fill(openResources, -1L);
        for (int it = 0; it < iterations; it++) iterate(it == 0);
    }

    abstract void iterate(boolean first);

    /** The requesters granted in the last allocation: {@code granted()} of them, in no particular order. */
    int granted() { return matchedCount; }

    int grantedRequester(int k) { return matched[k]; }

    /** The next resource after {@code s} that somebody asked for, or -1; from {@code s} = -1 the first. */
    final int nextRequested(int s) {
        int from = s + 1, w = from >>> 6;
        if (w >= resourceWords) return -1;
        long word = requested[w] & -1L << from;
        while (word == 0) {
            if (++w == resourceWords) return -1;
            word = requested[w];
        }
        return (w << 6) + Long.numberOfTrailingZeros(word);
    }

    /** The first open requester asking for resource {@code s}, cyclically from {@code pointer}; -1 if none. */
    final int firstRequester(int s, int pointer) {
        return firstFrom(column, s * requesterWords, openRequesters, requesterWords, pointer);
    }

    /** The first open resource requester {@code r} asks for, cyclically from {@code pointer}; -1 if none. */
    final int firstResource(int r, int pointer) {
        return firstFrom(row, r * resourceWords, openResources, resourceWords, pointer);
    }

    /**
     * The first index i, cyclically from {@code from}, whose bit is set both in {@code bits} (the
     * {@code words} longs at {@code offset}) and in {@code mask}; -1 if none.
     */
    static int firstFrom(long[] bits, int offset, long[] mask, int words, int from) {
        int start = from >>> 6;
        long head = bits[offset + start] & mask[start];
        long word = head & -1L << from; // the start word from the pointer on (shifts take the low six bits)
        for (int w = start; ; ) {
            if (word != 0) return (w << 6) + Long.numberOfTrailingZeros(word);
            if (++w == words) break;
            word = bits[offset + w] & mask[w];
        }
        for (int w = 0; w < start; w++) { // wrapped around: the words before the pointer's
            word = bits[offset + w] & mask[w];
            if (word != 0) return (w << 6) + Long.numberOfTrailingZeros(word);
        }
        word = head & ~(-1L << from); // the start word below the pointer
        return word == 0 ? -1 : (start << 6) + Long.numberOfTrailingZeros(word);
    }

    void match(int requester, int resource) {
        grant[requester] = resource;
        owner[resource] = requester;
        openRequesters[requester >>> 6] &= ~(1L << requester);
        openResources[resource >>> 6] &= ~(1L << resource);
        matched[matchedCount++] = requester;
    }

    static final class InputFirst extends Allocator {
        /** {@code separable-input-first}. */
        public static final class Provider implements Factory {
            @Override public String name() { return "separable-input-first"; }

            @Override public Allocator create(int requesters, int resources, int iterations) { return new InputFirst(requesters, resources, iterations); }
        }

        private final int[] pick; // per requester, the resource it picked in this iteration, -1 for none
        private final long[] pickedBy; // per resource, the requesters that picked it (a bit set, as a column)

        InputFirst(int requesters, int resources, int iterations) {
            super(requesters, resources, iterations);
            pick = new int[requesters];
            pickedBy = new long[resources * requesterWords];
            Arrays.fill(pick, -1);
        }

        @Override
        void iterate(boolean first) {
            // each open requester that asked picks the first open resource it asks for from its pointer
            for (int w = 0; w < openRequesters.length; w++) {
                for (long open = openRequesters[w] & asking[w]; open != 0; open &= open - 1) {
                    int r = (w << 6) + Long.numberOfTrailingZeros(open);
                    int s = firstResource(r, requesterPointer[r]);
                    if (s < 0) continue;
                    pick[r] = s;
                    pickedBy[s * requesterWords + w] |= 1L << r;
                }
            }
            // each picked resource grants the first of its pickers from its pointer
            for (int s = nextRequested(-1); s >= 0; s = nextRequested(s)) {
                if (owner[s] >= 0) continue;
                int r = firstFrom(pickedBy, s * requesterWords, openRequesters, requesterWords, resourcePointer[s]);
                if (r < 0) continue;
                match(r, s);
                requesterPointer[r] = (s + 1) % resources;
                resourcePointer[s] = (r + 1) % requesters;
            }
            for (int w = 0; w < requesterWords; w++) {
                for (long a = asking[w]; a != 0; a &= a - 1) {
                    int r = (w << 6) + Long.numberOfTrailingZeros(a);
                    if (pick[r] < 0) continue;
                    pickedBy[pick[r] * requesterWords + w] = 0;
                    pick[r] = -1;
                }
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
        private final int[] offered; // the requesters with an offer in this iteration, offeredCount of them
        private int offeredCount;

        Islip(int requesters, int resources, int iterations) {
            super(requesters, resources, iterations);
            accept = new int[requesters];
            acceptDistance = new int[requesters];
            offered = new int[requesters];
            Arrays.fill(accept, -1);
        }

        @Override
        void iterate(boolean first) {
            // each free resource offers itself to the first open requester asking for it from its pointer
            for (int s = nextRequested(-1); s >= 0; s = nextRequested(s)) {
                if (owner[s] >= 0) continue;
                int q = firstRequester(s, resourcePointer[s]);
                if (q < 0) continue;
                // q accepts the offer first from its pointer, cyclically: keep the nearest one so far
                int distance = s >= requesterPointer[q] ? s - requesterPointer[q] : s - requesterPointer[q] + resources;
                if (accept[q] < 0) {
                    offered[offeredCount++] = q;
                } else if (distance >= acceptDistance[q]) {
                    continue;
                }
                accept[q] = s;
                acceptDistance[q] = distance;
            }
            for (int k = 0; k < offeredCount; k++) {
                int r = offered[k], s = accept[r];
                accept[r] = -1;
                match(r, s);
                if (first) {
                    requesterPointer[r] = (s + 1) % resources;
                    resourcePointer[s] = (r + 1) % requesters;
                }
            }
            offeredCount = 0;
        }
    }
}
