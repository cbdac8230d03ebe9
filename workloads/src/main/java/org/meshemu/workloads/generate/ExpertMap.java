package org.meshemu.workloads.generate;

import java.util.List;

/**
 * Where each expert of one layer lives during one block (a prompt block or a decode step) under
 * {@code expert-parallel}: the groups holding a copy of its weights ({@code replicas[e]}, its home first), and
 * the weight copies a {@link PlacementPolicy} makes just before the block ({@link Move}).
 *
 * <p>A replicated expert's tokens are split by token index: token i of the block goes to
 * {@code replicas[e][i mod replicas[e].length]} ({@link #server}), fixed at planning, so programs stay static
 * and every replica computes the same bits.
 *
 * @param block    the block's label ({@code prompt.0}, {@code step.3}, ...), for the per-group token counters
 * @param groups   core groups the system's cores are divided into (consecutive cores, chip-major)
 * @param replicas per expert, the groups holding it
 * @param moves    expert weights copied from one group to another before this block
 */
public record ExpertMap(String block, int groups, int[][] replicas, List<Move> moves) {
    /** Expert {@code expert}'s weights copied from group {@code from}'s banks to group {@code to}'s. */
    public record Move(int expert, int from, int to) {}

    public ExpertMap {
        moves = List.copyOf(moves);
    }

    /** Every expert on its one home group, nothing moved. */
    public static ExpertMap homes(String block, int groups, int[] home) {
        int[][] replicas = new int[home.length][];
        for (int e = 0; e < home.length; e++) replicas[e] = new int[] {home[e]};
        return new ExpertMap(block, groups, replicas, List.of());
    }

    public int experts() { return replicas.length; }

    /** The group that runs expert {@code expert} for token {@code token} of the block. */
    public int server(int expert, int token) {
        int[] r = replicas[expert];
        return r[token % r.length];
    }
}
