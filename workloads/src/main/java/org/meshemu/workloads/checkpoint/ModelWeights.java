package org.meshemu.workloads.checkpoint;

/**
 * The complete, shape-checked weights of one model: fp32 arrays, or matrices held as the checkpoint holds them
 * ({@link org.meshemu.tensor.Stored}: bf16, packed ternary, mapped from the file) for the families that keep them so.
 *
 * <p>Contract: every array has exactly the size its config implies; linear weights are row-major [out, in].
 * Arrays are shared with the loader: treat them as immutable. Shape-only weights ({@link #hasValues} false,
 * for timing mode) have been checked against the config just the same but hold no numbers: every array is
 * null (or a null Stored) and ternary projections carry no bytes, so a full-size model costs no memory. Whether an optional
 * tensor is present is then read from the config, never from a null array.
 */
public interface ModelWeights {
    ModelConfig config();

    /** False for shape-only weights. */
    boolean hasValues();
}
