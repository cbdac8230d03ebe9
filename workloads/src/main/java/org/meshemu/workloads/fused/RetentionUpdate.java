package org.meshemu.workloads.fused;

import java.util.List;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;

/**
 * Recurrent retention state update of all heads: S [heads * dv, dk] := first ? v k^T : S keep_h + v k^T / sqNew_h
 * per head h (inputs first ? (k, v) : (S, k, v)); k is [heads * dk], v [heads * dv]; as {@link RetentionMath#updateInPlace}.
 */
public record RetentionUpdate(int heads, int dk, int dv, boolean first, float[] keep, float[] sqNew) implements VectorOp.Fused {
    public Shape out(List<Shape> in) { return new Shape(heads * dv, dk, DType.FP32); }
    public int passes() { return first ? 1 : 3; }
    public int arity() { return first ? 2 : 3; }

    public float[] compute(List<Tile> in, Shape out) {
        float[] s = first ? new float[heads * dv * dk] : in.get(0).data().clone();
        float[] k = in.get(first ? 0 : 1).data(), v = in.get(first ? 1 : 2).data();
        for (int h = 0; h < heads; h++) {
            RetentionMath.updateInPlace(s, h * dv * dk, v, h * dv, k, h * dk, dv, dk, first, keep[h], sqNew[h]);
        }
        return s;
    }
}
