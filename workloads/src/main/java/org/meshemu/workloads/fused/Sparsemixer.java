package org.meshemu.workloads.fused;

import java.util.List;
import java.util.random.RandomGenerator;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.Tile;

/**
 * MoE top-2 routing by sparsemixer: [e1, w1, e2, w2] from router logits r (experts as exact small floats), as
 * {@link #route}. A decision: in timing mode two distinct uniform experts are drawn, with weights 1/2 (they
 * scale values only, never timing).
 */
public record Sparsemixer(float jitterEps) implements VectorOp.FusedDecision {
    public Shape out(List<Shape> in) { return Shape.vector(4); }
    public int passes() { return 4; }
    public int arity() { return 1; }

    public float[] compute(List<Tile> in, Shape out) {
        return route(in.get(0).data(), jitterEps);
    }

    public Tile draw(List<Tile> in, RandomGenerator random) {
        int n = in.get(0).elements();
        int e1 = random.nextInt(n);
        int e2 = n == 1 ? e1 : random.nextInt(n - 1);
        if (n > 1 && e2 >= e1) e2++;
        return Tile.fp32(4, 1, new float[] {e1, 0.5f, e2, 0.5f});
    }

    /**
     * GRIN/Phi-MoE sparsemixer at inference: {e1, w1, e2, w2} (expert indices as floats). e1 = first argmax of
     * r, m1 = r[e1]; expert j stays in the first softmax unless (m1 - r_j) / max(|r_j|, m1) > 2 eps;
     * w1 = 1 / sum_kept exp(r_j - m1). Then e1 is removed, e2/m2 likewise over the rest. No renormalisation;
     * 0/0 = NaN and NaN > t is false, so such an expert is kept.
     */
    public static float[] route(float[] r, float jitterEps) {
        float threshold = 2 * jitterEps;
        int e1 = 0;
        for (int j = 1; j < r.length; j++) {
            if (r[j] > r[e1]) {
                e1 = j;
            }
        }
        float w1 = 1f / keptExpSum(r, r[e1], threshold, -1);
        int e2 = e1 == 0 ? 1 : 0;
        for (int j = 0; j < r.length; j++) {
            if (j != e1 && r[j] > r[e2]) {
                e2 = j;
            }
        }
        float w2 = 1f / keptExpSum(r, r[e2], threshold, e1);
        return new float[] {e1, w1, e2, w2};
    }

    /** sum over j != excluded of exp(r_j - m), skipping experts the sparsity mask drops. */
    private static float keptExpSum(float[] r, float m, float threshold, int excluded) {
        float sum = 0f;
        for (int j = 0; j < r.length; j++) {
            boolean masked = (m - r[j]) / Math.max(Math.abs(r[j]), m) > threshold;
            if (j != excluded && !masked) {
                sum += (float) Math.exp(r[j] - m);
            }
        }
        return sum;
    }
}
