package org.meshemu.workloads.fused;

import java.util.List;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;

/**
 * The mixture y_1 w_1 + y_2 w_2 + ... of a routing [e_1, w_1, ..., e_K, w_K] ({@link Sparsemixer}, {@link SoftmaxGate};
 * inputs y_1 .. y_K, route): the terms added in slot order, the first term alone to start (no 0 + ...), empty slots
 * (expert {@link SoftmaxGate#EMPTY}) skipped, so their inputs are never read for values. The reference mixes with
 * {@link #mix} too.
 */
public record MixExperts(int slots) implements VectorOp.Fused {
    public MixExperts {
        if (slots < 1) throw new IllegalArgumentException("a mixture of " + slots + " experts");
    }

    public Shape out(List<Shape> in) { return new Shape(in.get(0).rows(), in.get(0).cols(), DType.FP32); }
    public int passes() { return 2; }
    public int arity() { return slots + 1; }

    public float[] compute(List<Tile> in, Shape out) {
        float[][] y = new float[slots][];
        float[] route = in.get(slots).data();
        for (int k = 0; k < slots; k++) if (route[2 * k] != SoftmaxGate.EMPTY) y[k] = in.get(k).data();
        return mix(y, route);
    }

    /** sum over the filled slots k, in slot order, of y[k] * w_k (y[k] of an empty slot is not read). */
    public static float[] mix(float[][] y, float[] route) {
        float[] r = new float[y[0].length];
        for (int i = 0; i < r.length; i++) r[i] = y[0][i] * route[1];
        for (int k = 1; 2 * k < route.length; k++) {
            if (route[2 * k] == SoftmaxGate.EMPTY) continue;
            float w = route[2 * k + 1];
            for (int i = 0; i < r.length; i++) r[i] += y[k][i] * w;
        }
        return r;
    }
}
