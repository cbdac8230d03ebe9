package org.meshemu.workloads.checkpoint;

/**
 * The head layout of a grouped-query attention model (Phi-MoE, BitNet): query heads, key/value heads
 * and the head size, from which the projection widths follow.
 */
public interface AttentionShape {
    int numAttentionHeads();

    int numKeyValueHeads();

    int headDim();

    /** Width of the query projection: heads x head size. */
    default int qDim() {
        return numAttentionHeads() * headDim();
    }

    /** Width of the key and value projections: kv heads x head size. */
    default int kvDim() {
        return numKeyValueHeads() * headDim();
    }
}
