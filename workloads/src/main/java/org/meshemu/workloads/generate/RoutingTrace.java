package org.meshemu.workloads.generate;

import java.util.SplittableRandom;
import org.meshemu.workloads.fused.SoftmaxGate;

/**
 * Timing mode's routing decisions drawn once, at planning, from the scenario seed ({@code workload.routing:
 * {kind: zipf}}): each decision is a pure function of (seed, layer, sequence, position), so it is the same
 * whatever core, thread, partition or node runs it.
 *
 * <p>Skew: experts are ranked by a permutation each layer redraws every {@code driftEvery} positions (the
 * epoch floor(position / driftEvery); driftEvery 0 keeps one ranking); the expert of rank r is chosen with
 * probability proportional to 1 / (r + 1)^exponent (exponent 0: uniform). A token's k experts are drawn one
 * after another, each from the same law over the ranks left (a token's experts are distinct). A threshold gate's
 * decision ({@link #route(int, int, int, SoftmaxGate)}) draws the gate's probabilities instead, each expert's share
 * scaled by its rank's weight, and lets the gate choose a variable number of experts from them.
 */
public final class RoutingTrace {
    private final long seed;
    private final int experts;
    private final int driftEvery;
    private final double[] cumulative;   // cumulative weight of ranks 0..r

    public RoutingTrace(long seed, int experts, GenerateSpec.Routing routing) {
        if (experts < 2) throw new IllegalArgumentException("routing needs at least 2 experts, got " + experts);
        this.seed = seed;
        this.experts = experts;
        this.driftEvery = routing.driftEvery();
        cumulative = new double[experts];
        double sum = 0;
        for (int r = 0; r < experts; r++) cumulative[r] = sum += Math.pow(r + 1, -routing.exponent());
    }

    /**
     * The experts {@code gate} activates for the token of {@code sequence} at {@code position} in {@code layer}: a
     * threshold gate's drawn probabilities, else as many experts as the gate has slots, drawn in turn. The one rule
     * for the lowering's traced decisions and the placement policy's forecast, so that both see the same routes.
     */
    public int[] route(int layer, int sequence, int position, org.meshemu.aicore.VectorOp.FusedDecision gate) {
        if (gate instanceof SoftmaxGate s && s.dynamic()) return route(layer, sequence, position, s);
        return route(layer, sequence, position, gate.out(java.util.List.of(org.meshemu.aicore.Shape.vector(experts))).rows() / 2);
    }

    /** The two distinct experts of the token of {@code sequence} at {@code position} in {@code layer} (a top-2 gate). */
    public int[] route(int layer, int sequence, int position) {
        return route(layer, sequence, position, 2);
    }

    /** The {@code k} distinct experts of the token of {@code sequence} at {@code position} in {@code layer}, in draw order. */
    public int[] route(int layer, int sequence, int position, int k) {
        if (k < 1 || k > experts) throw new IllegalArgumentException(k + " experts per token out of " + experts);
        int[] ranking = ranking(layer, driftEvery == 0 ? 0 : position / driftEvery);
        SplittableRandom random = new SplittableRandom(mix(seed, 1, layer, sequence, position));
        boolean[] taken = new boolean[experts];
        double left = cumulative[experts - 1];
        int[] chosen = new int[k];
        for (int i = 0; i < k; i++) {
            int r = rank(random.nextDouble() * left, taken);
            taken[r] = true;
            left -= weight(r);
            chosen[i] = ranking[r];
        }
        return chosen;
    }

    /**
     * The experts a threshold {@code gate} activates for the token of {@code sequence} at {@code position} in
     * {@code layer}, most probable first: the gate's probabilities drawn with each expert's share scaled by its
     * rank's weight ({@link SoftmaxGate#drawn}), from a stream of their own.
     */
    public int[] route(int layer, int sequence, int position, SoftmaxGate gate) {
        int[] ranking = ranking(layer, driftEvery == 0 ? 0 : position / driftEvery);
        double[] law = new double[experts];
        for (int r = 0; r < experts; r++) law[ranking[r]] = weight(r);
        float[] decision = gate.drawn(law, new SplittableRandom(mix(seed, 3, layer, sequence, position)));
        int k = 0;
        while (k < gate.slots() && decision[2 * k] != SoftmaxGate.EMPTY) k++;
        int[] chosen = new int[k];
        for (int i = 0; i < k; i++) chosen[i] = (int) decision[2 * i];
        return chosen;
    }

    private double weight(int rank) {
        return cumulative[rank] - (rank == 0 ? 0 : cumulative[rank - 1]);
    }

    /** The rank whose cumulative interval (with the ranks {@code taken} removed) holds {@code u}. */
    private int rank(double u, boolean[] taken) {
        double below = 0;
        int last = -1;
        for (int r = 0; r < experts; r++) {
            if (taken[r]) continue;
            double w = weight(r);
            if (u < below + w) return r;
            below += w;
            last = r;
        }
        return last;   // u at the very top (rounding): the last rank left
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
