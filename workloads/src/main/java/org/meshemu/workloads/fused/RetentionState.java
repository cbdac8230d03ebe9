package org.meshemu.workloads.fused;

import java.util.List;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;

/**
 * The recurrent state S [heads * dv, dk] a prompt block leaves (inputs k [heads * dk, T], v [heads * dv, T]),
 * as {@link RetentionMath#stateAfter}: one decayed k^T v product per head on the matrix unit.
 */
public record RetentionState(int heads, int dk, int dv, float[] logDecay) implements VectorOp.Fused {
    public Shape out(List<Shape> in) {
        VectorOp.fits(this, in, in.get(0).rows() == heads * dk && in.get(1).rows() == heads * dv && in.get(0).cols() == in.get(1).cols());
        return new Shape(heads * dv, dk, DType.FP32);
    }
    public int passes() { return 1; }
    public int arity() { return 2; }
    public long matrixFlops(List<Shape> in) { return 2L * heads * in.get(0).cols() * dk * dv; }

    public float[] compute(List<Tile> in, Shape out) {
        float[] st = new float[out.elements()];
        int block = dv * dk;
        for (int h = 0; h < heads; h++) {
            float[] sh = RetentionMath.stateAfter(RetentionMath.head(in.get(0), h, dk), RetentionMath.head(in.get(1), h, dv), logDecay[h]);
            System.arraycopy(sh, 0, st, h * block, block);
        }
        return st;
    }
}
