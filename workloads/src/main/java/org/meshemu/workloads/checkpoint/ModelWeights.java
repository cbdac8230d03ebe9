package org.meshemu.workloads.checkpoint;

/**
 * The complete, shape-checked weights of one model, in fp32 (ternary weights stay packed).
 *
 * <p>Contract: every array has exactly the size its config implies; linear weights are row-major [out, in].
 * Arrays are shared with the loader: treat them as immutable. Shape-only weights ({@link #hasValues} false,
 * for timing mode) have been checked against the config just the same but hold no numbers: every array is
 * null and ternary projections carry no bytes, so a full-size model costs no memory. Whether an optional
 * tensor is present is then read from the config, never from a null array.
 */
public interface ModelWeights {
    ModelConfig config();

    /** False for shape-only weights. */
    boolean hasValues();
}
