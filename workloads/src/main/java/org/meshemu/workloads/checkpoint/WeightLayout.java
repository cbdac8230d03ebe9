package org.meshemu.workloads.checkpoint;

/**
 * The tensors a family's checkpoint holds, declared one by one in file order: what a random checkpoint
 * draws ({@link RandomCheckpoint}) and what its shape-only weights are checked against. Each kind says how
 * the random values are drawn: linear weights N(0, 1/in), embeddings N(0, 1), norm weights 1 + N(0, 0.1^2),
 * biases N(0, 0.02^2), ternary projections offline-quantised from N(0, 1/in) master weights and packed.
 *
 * <p>Contract: the order of calls is part of the random checkpoint's format (one stream of draws), so a
 * family declares its tensors in a fixed order and never changes it.
 */
public interface WeightLayout {
    /** An F32 linear weight [rows, cols] (row-major [out, in]). */
    void linear(String name, int rows, int cols);

    /** An F32 embedding table [rows, cols]. */
    void embedding(String name, int rows, int cols);

    /** An F32 norm weight [n]. */
    void norm(String name, int n);

    /** An F32 bias [n]. */
    void bias(String name, int n);

    /** A packed ternary projection: {@code prefix.weight} U8 [rows/4, cols] and {@code prefix.weight_scale} F32 [1]. */
    void ternary(String prefix, int rows, int cols);
}
