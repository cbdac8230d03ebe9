package org.meshemu.workloads.fused;

import java.util.List;
import java.util.random.RandomGenerator;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.Tile;

/**
 * A gate ({@link Sparsemixer}, {@link SoftmaxGate}) with timing mode's decision fixed at planning: the {@code experts}
 * of a seeded routing trace, in slot order, each weighted 1 / their number (weights scale values only, never timing);
 * slots past them are empty. With values it computes the gate itself, so its cost and numerics are the gate's.
 */
public record TracedGate(VectorOp.FusedDecision gate, List<Integer> experts) implements VectorOp.FusedDecision {
    public TracedGate {
        experts = List.copyOf(experts);
        if (experts.isEmpty() || experts.stream().distinct().count() != experts.size() || experts.stream().anyMatch(e -> e < 0)) {
            throw new IllegalArgumentException("a traced routing needs distinct experts, got " + experts);
        }
    }

    public Shape out(List<Shape> in) { return gate.out(in); }
    public int passes() { return gate.passes(); }
    public int arity() { return gate.arity(); }

    public float[] compute(List<Tile> in, Shape out) {
        return gate.compute(in, out);
    }

    /** The traced decision; the core's stream is not read. */
    public Tile draw(List<Tile> in, RandomGenerator random) {
        int slots = gate.out(List.of(Shape.vector(in.get(0).elements()))).rows() / 2;
        if (experts.size() > slots) throw new IllegalStateException(experts.size() + " traced experts for " + slots + " slots");
        float[] route = new float[2 * slots];
        for (int k = 0; k < slots; k++) {
            route[2 * k] = k < experts.size() ? experts.get(k) : SoftmaxGate.EMPTY;
            route[2 * k + 1] = k < experts.size() ? 1f / experts.size() : 0f;
        }
        return Tile.fp32(2 * slots, 1, route);
    }
}
