package org.meshemu.workloads.generate.lower;

import java.util.ArrayList;
import java.util.List;

/**
 * The one tree every collective of the {@link Lowering} follows (broadcast, spread, scatter, gather,
 * tree reduction), over the cores [first, first + p) numbered chip-major ({@code coresPerChip} to a
 * chip). It is hierarchical: first a binomial tree over each chip's on-chip positions, rooted at the
 * range's first core on that chip, then a binomial tree over those chip roots. A chip therefore sends
 * (gather, reduce) or receives (broadcast, scatter) one message over the chip links per collective,
 * where a binomial tree over the global index would cross chips at many levels once a chip's core
 * count is not a power of two. With power-of-two chips and an aligned range it is exactly the binomial
 * tree by core index.
 *
 * <p>Every subtree is a contiguous run of positions, so a gather concatenates blocks in core-index
 * order and a reduction's sum order is fixed by position, never by timing.
 *
 * @param hops leaves first: the order of a gather or reduction; {@link #downward} is the broadcast order
 */
public record CollectiveTree(List<Hop> hops) {

    /**
     * An edge between positions (offsets from the range's first core): {@code child}'s subtree is the
     * positions [child, end). Upward the child sends that subtree's block to {@code parent}, which
     * then holds [parent, end); downward the parent sends it to the child.
     */
    public record Hop(int parent, int child, int end) {}

    public static CollectiveTree over(int first, int p, int coresPerChip) {
        // chipStart[k]: the first position on the range's k-th chip; chipStart[chips] = p
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            if (i == 0 || (first + i) % coresPerChip == 0) starts.add(i);
        }
        int chips = starts.size();
        int[] chipStart = new int[chips + 1];
        for (int k = 0; k < chips; k++) chipStart[k] = starts.get(k);
        chipStart[chips] = p;

        List<Hop> hops = new ArrayList<>();
        int widest = 0;
        for (int k = 0; k < chips; k++) widest = Math.max(widest, chipStart[k + 1] - chipStart[k]);
        for (int s = 1; s < widest; s <<= 1) {
            for (int k = 0; k < chips; k++) {
                int[] positions = new int[chipStart[k + 1] - chipStart[k] + 1];
                for (int i = 0; i < positions.length; i++) positions[i] = chipStart[k] + i;
                level(positions, s, hops);
            }
        }
        for (int s = 1; s < chips; s <<= 1) level(chipStart, s, hops);
        return new CollectiveTree(List.copyOf(hops));
    }

    /**
     * One level (stride s) of the binomial tree over n members whose subtrees start at bounds[0..n)
     * (bounds[n] is the end): member i (i mod 2s == 0) takes member i + s's subtree.
     */
    private static void level(int[] bounds, int s, List<Hop> hops) {
        int n = bounds.length - 1;
        for (int i = 0; i + s < n; i += 2 * s) hops.add(new Hop(bounds[i], bounds[i + s], bounds[Math.min(i + 2 * s, n)]));
    }

    /** The hops root first: the order of a broadcast or scatter. */
    List<Hop> downward() {
        return hops.reversed();
    }

    /** Whether {@code h} is the last hop upward, the one that completes the root's result. */
    boolean completes(Hop h) {
        return h.equals(hops.getLast());
    }
}
