package org.meshemu.workloads.generate;

import java.util.SplittableRandom;

/**
 * Timing mode's routing decisions drawn once, at planning, from the scenario seed ({@code workload.routing:
 * {kind: zipf}}): each decision is a pure function of (seed, layer, sequence, position), so it is the same
 * whatever core, thread, partition or node runs it.
 *
 * <p>Skew: experts are ranked by a permutation each layer redraws every {@code driftEvery} positions (the
 * epoch floor(position / driftEvery); driftEvery 0 keeps one ranking); the expert of rank r is chosen with
 * probability proportional to 1 / (r + 1)^exponent (exponent 0: uniform). A token's second expert is drawn
 * from the same law over the ranks left after its first (top-2 experts are distinct).
 */
public final class RoutingTrace {
    private final long seed;
    private final int experts;
    private final int driftEvery;
    private final double[] cumulative;   // cumulative weight of ranks 0..r

    public RoutingTrace(long seed, int experts, GenerateSpec.Routing routing) {
        if (experts < 2) throw new IllegalArgumentException("top-2 routing needs at least 2 experts, got " + experts);
        this.seed = seed;
        this.experts = experts;
        this.driftEvery = routing.driftEvery();
        cumulative = new double[experts];
        double sum = 0;
        for (int r = 0; r < experts; r++) cumulative[r] = sum += Math.pow(r + 1, -routing.exponent());
    }

    /** The two distinct experts of the token of {@code sequence} at {@code position} in {@code layer}. */
    public int[] route(int layer, int sequence, int position) {
        int[] ranking = ranking(layer, driftEvery == 0 ? 0 : position / driftEvery);
        SplittableRandom random = new SplittableRandom(mix(seed, 1, layer, sequence, position));
        int r1 = rank(random.nextDouble() * cumulative[experts - 1], -1);
        double firstWeight = cumulative[r1] - (r1 == 0 ? 0 : cumulative[r1 - 1]);
        int r2 = rank(random.nextDouble() * (cumulative[experts - 1] - firstWeight), r1);
        return new int[] {ranking[r1], ranking[r2]};
    }

    /** The rank whose cumulative interval (with rank {@code skipped} removed) holds {@code u}. */
    private int rank(double u, int skipped) {
        double below = 0;
        for (int r = 0; r < experts; r++) {
            if (r == skipped) continue;
            double w = cumulative[r] - (r == 0 ? 0 : cumulative[r - 1]);
            if (u < below + w) return r;
            below += w;
        }
        return skipped == experts - 1 ? experts - 2 : experts - 1;   // u at the very top (rounding): the last rank left
    }

    /** Expert of each rank in a layer's epoch: a seeded Fisher-Yates shuffle. */
    private int[] ranking(int layer, int epoch) {
        int[] order = new int[experts];
        for (int e = 0; e < experts; e++) order[e] = e;
        SplittableRandom random = new SplittableRandom(mix(seed, 2, layer, epoch, 0));
        for (int i = experts - 1; i > 0; i--) {
            int j = random.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** A seed for one stream from the scenario seed and the stream's coordinates. */
    private static long mix(long seed, int stream, int a, int b, int c) {
        long h = seed;
        for (long v : new long[] {stream, a, b, c}) h = (h ^ v) * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        return h;
    }
}
