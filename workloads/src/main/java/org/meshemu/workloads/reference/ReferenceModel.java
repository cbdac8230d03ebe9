package org.meshemu.workloads.reference;

import org.meshemu.workloads.checkpoint.Checkpoint;
import org.meshemu.workloads.checkpoint.ModelWeights;

/**
 * A plain-Java forward pass of one model, the oracle the emulator's outputs are checked against.
 *
 * <p>Contract: {@link #generate} is deterministic and side-effect free (each call starts from an empty cache):
 * the prompt is prefilled, then {@code decodeSteps} tokens are chosen greedily and fed back.
 */
public interface ReferenceModel {

    Generation generate(int[] prompt, int decodeSteps);

    /**
     * The reference of the weights' family ({@code ModelFamily#reference}); RetNet uses {@code retentionForm}
     * with chunk size {@code chunkSize} (ignored by the other families).
     */
    static ReferenceModel of(ModelWeights weights, RetentionForm retentionForm, int chunkSize) {
        return Checkpoint.family(weights.config()).reference(weights, retentionForm, chunkSize);
    }

    /** The same with a mixture of experts' {@code gate} ({@code workload.gate}). */
    static ReferenceModel of(ModelWeights weights, RetentionForm retentionForm, int chunkSize, org.meshemu.workloads.generate.GenerateSpec.Gate gate) {
        return Checkpoint.family(weights.config()).reference(weights, retentionForm, chunkSize, gate);
    }
}
