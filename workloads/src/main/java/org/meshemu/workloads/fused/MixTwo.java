package org.meshemu.workloads.fused;

import java.util.List;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;

/** y1 * w1 + y2 * w2 with the weights of a routing [e1, w1, e2, w2] ({@link Sparsemixer}; inputs y1, y2, route). */
public record MixTwo() implements VectorOp.Fused {
    public Shape out(List<Shape> in) { return new Shape(in.get(0).rows(), in.get(0).cols(), DType.FP32); }
    public int passes() { return 2; }
    public int arity() { return 3; }

    public float[] compute(List<Tile> in, Shape out) {
        float[] y1 = in.get(0).data(), y2 = in.get(1).data(), route = in.get(2).data(), r = new float[y1.length];
        for (int i = 0; i < r.length; i++) r[i] = y1[i] * route[1] + y2[i] * route[3];
        return r;
    }
}
