package org.meshemu.workloads.fused;

import java.util.List;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorMath;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.Tile;

/** o_h = S_h q_h for every head (inputs S [heads * dv, dk], q [heads * dk]); output [heads * dv]. */
public record RetentionRead(int heads) implements VectorOp.Fused {
    public Shape out(List<Shape> in) { return Shape.vector(in.get(0).rows()); }
    public int passes() { return 2; }
    public int arity() { return 2; }

    public float[] compute(List<Tile> in, Shape out) {
        Tile st = in.get(0);
        int dk = st.cols(), dv = st.rows() / heads;
        float[] s = st.data(), q = in.get(1).data(), r = new float[st.rows()];
        for (int i = 0; i < r.length; i++) r[i] = VectorMath.dot(s, i * dk, q, (i / dv) * dk, dk);
        return r;
    }
}
