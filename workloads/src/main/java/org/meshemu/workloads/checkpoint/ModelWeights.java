package org.meshemu.workloads.checkpoint;

/**
 * The complete, shape-checked weights of one model, in fp32 (ternary weights stay packed).
 *
 * <p>Contract: every array has exactly the size its config implies; linear weights are row-major [out, in].
 * Arrays are shared with the loader: treat them as immutable.
 */
public sealed interface ModelWeights permits RetNetWeights, PhiMoeWeights, BitNetWeights {
    ModelConfig config();
}
