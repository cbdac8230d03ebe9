package org.meshemu.workloads.fused;

import java.util.List;
import java.util.random.RandomGenerator;
import org.meshemu.aicore.Shape;
import org.meshemu.tensor.Tile;
import org.meshemu.aicore.VectorOp;

/**
 * {@link Sparsemixer}'s routing with timing mode's decision fixed at planning: experts {@code first} and
 * {@code second} of a seeded routing trace, weights 1/2 (weights scale values only, never timing). With values
 * it computes the gate exactly as {@link Sparsemixer#route}.
 */
public record TracedSparsemixer(float jitterEps, int first, int second) implements VectorOp.FusedDecision {
    public TracedSparsemixer {
        if (first < 0 || second < 0 || first == second) throw new IllegalArgumentException("a traced routing needs two distinct experts, got " + first + ", " + second);
    }

    public Shape out(List<Shape> in) { return Shape.vector(4); }
    public int passes() { return 4; }
    public int arity() { return 1; }

    public float[] compute(List<Tile> in, Shape out) {
        return Sparsemixer.route(in.get(0).data(), jitterEps);
    }

    /** The traced decision; the core's stream is not read. */
    public Tile draw(List<Tile> in, RandomGenerator random) {
        return Tile.fp32(4, 1, new float[] {first, 0.5f, second, 0.5f});
    }
}
