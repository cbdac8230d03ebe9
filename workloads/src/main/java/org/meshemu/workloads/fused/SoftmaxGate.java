package org.meshemu.workloads.fused;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.Tile;

/**
 * MoE routing by a softmax over the router logits r [E] (docs/MODELS.md section 2, "Gates"): [e_1, p_1, ..., e_K, p_K]
 * with K = {@code slots}, experts in descending probability (the lower index first on a tie). Slot 1 always holds the
 * argmax; slot k > 1 holds the next expert if its probability is at least {@code threshold}, else it and every later
 * slot are empty (expert -1, weight 0). Threshold 0 is softmax top-K (every slot filled); a threshold in (0, 1] with
 * {@code slots} = maxK is the threshold gate, a variable number of experts per token. Weights are the probabilities,
 * not renormalised over the chosen experts.
 */
public record SoftmaxGate(int slots, float threshold) implements VectorOp.FusedDecision {
    /** The expert index of an empty slot: no group's guard matches it. */
    public static final int EMPTY = -1;

    public SoftmaxGate {
        if (slots < 1 || !(threshold >= 0 && threshold <= 1)) throw new IllegalArgumentException("a softmax gate of " + slots + " slots, threshold " + threshold);
    }

    /** Whether a slot after the first may stay empty (a threshold gate). */
    public boolean dynamic() { return threshold > 0 && slots > 1; }

    public Shape out(List<Shape> in) { return Shape.vector(2 * slots); }
    public int passes() { return 3 + slots; }   // max, exp and sum, divide; one pass per slot to find the next expert
    public int arity() { return 1; }

    public float[] compute(List<Tile> in, Shape out) {
        return route(in.get(0).data());
    }

    /** The routing of logits {@code r}: softmax, then {@link #select}. */
    public float[] route(float[] r) {
        return select(softmax(r));
    }

    /**
     * In timing mode, with no logits: the probabilities drawn as p_e ~ X_e, X_e independent Exp(1) (a uniform
     * point of the simplex: every expert equally likely, every ordering equally likely), then {@link #select}.
     */
    public Tile draw(List<Tile> in, RandomGenerator random) {
        double[] weight = new double[in.get(0).elements()];
        Arrays.fill(weight, 1);
        return Tile.fp32(2 * slots, 1, drawn(weight, random));
    }

    /**
     * A decision drawn from probabilities p_e ~ weight_e X_e, X_e independent Exp(1) (the law's weights scale each
     * expert's share; timing mode's routing trace passes its Zipf weights), normalised, then {@link #select}.
     */
    public float[] drawn(double[] weight, RandomGenerator random) {
        double[] x = new double[weight.length];
        double sum = 0;
        for (int e = 0; e < x.length; e++) sum += x[e] = weight[e] * -Math.log(1 - random.nextDouble());
        float[] p = new float[x.length];
        for (int e = 0; e < x.length; e++) p[e] = (float) (x[e] / sum);
        return select(p);
    }

    /** Softmax in fp32: m = max r, e_j = exp(r_j - m), summed in index order, p_j = e_j / sum. */
    public static float[] softmax(float[] r) {
        float m = r[0];
        for (float v : r) m = Math.max(m, v);
        float[] p = new float[r.length];
        float sum = 0f;
        for (int j = 0; j < r.length; j++) sum += p[j] = (float) Math.exp(r[j] - m);
        for (int j = 0; j < r.length; j++) p[j] /= sum;
        return p;
    }

    /** The slots from probabilities {@code p}: the argmax, then further experts in descending order while p >= threshold. */
    public float[] select(float[] p) {
        float[] route = new float[2 * slots];
        for (int k = 0; k < slots; k++) route[2 * k] = EMPTY;
        boolean[] taken = new boolean[p.length];
        for (int k = 0; k < Math.min(slots, p.length); k++) {
            int best = -1;
            for (int j = 0; j < p.length; j++) if (!taken[j] && (best < 0 || p[j] > p[best])) best = j;
            if (k > 0 && !(p[best] >= threshold)) break;
            taken[best] = true;
            route[2 * k] = best;
            route[2 * k + 1] = p[best];
        }
        return route;
    }
}
