package org.meshemu.workloads.fused;

import java.util.List;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;

/**
 * Retention of a whole prompt block in the parallel ({@code chunk} 0) or chunkwise (chunk size {@code chunk})
 * form, every head (inputs q, k [heads * dk, T], v [heads * dv, T]; output [heads * dv, T]), as
 * {@link RetentionMath}. Its products (q k^T and A v per head or chunk, the chunks' k^T v) run on the matrix
 * unit, the decay mask and normalisation on the vector lanes.
 */
public record RetentionPrompt(int heads, int dk, int dv, float[] logDecay, int chunk) implements VectorOp.Fused {
    public Shape out(List<Shape> in) {
        int t = in.get(0).cols();
        VectorOp.fits(this, in, in.get(0).rows() == heads * dk && in.get(1).rows() == heads * dk && in.get(2).rows() == heads * dv
                && in.get(1).cols() == t && in.get(2).cols() == t);
        return new Shape(heads * dv, t, DType.FP32);
    }
    public int passes() { return 3; }
    public int arity() { return 3; }
    /** Mask, abs-sum and divide over each head's score matrix (T x T, or T x B per chunk). */
    public long work(List<Shape> in) {
        long t = in.get(0).cols(), span = chunk == 0 ? t : Math.min(chunk, t);
        return passes() * heads * t * span;
    }
    /** Parallel: q k^T and A v, T x T each; chunkwise: the same per chunk plus q R and k^T v against the dk x dv state. */
    public long matrixFlops(List<Shape> in) {
        long t = in.get(0).cols();
        if (chunk == 0) return 2L * heads * t * t * (dk + dv);
        long chunks = Math.ceilDiv(t, chunk);
        return 2L * heads * chunks * ((long) chunk * chunk * (dk + dv) + 2L * chunk * dk * dv);
    }

    public float[] compute(List<Tile> in, Shape out) {
        int cols = in.get(0).cols();
        float[] o = new float[out.elements()];
        for (int h = 0; h < heads; h++) {
            float[][] q = RetentionMath.head(in.get(0), h, dk), k = RetentionMath.head(in.get(1), h, dk), v = RetentionMath.head(in.get(2), h, dv);
            float[][] oh = chunk == 0 ? RetentionMath.parallel(q, k, v, logDecay[h]) : RetentionMath.chunkwise(q, k, v, logDecay[h], chunk);
            for (int t = 0; t < cols; t++) {
                for (int i = 0; i < dv; i++) o[(h * dv + i) * cols + t] = oh[t][i];
            }
        }
        return o;
    }
}
