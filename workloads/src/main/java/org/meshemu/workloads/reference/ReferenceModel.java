package org.meshemu.workloads.reference;

import org.meshemu.workloads.checkpoint.BitNetWeights;
import org.meshemu.workloads.checkpoint.ModelWeights;
import org.meshemu.workloads.checkpoint.PhiMoeWeights;
import org.meshemu.workloads.checkpoint.RetNetWeights;

/**
 * A plain-Java forward pass of one model, the oracle the emulator's outputs are checked against.
 *
 * <p>Contract: {@link #generate} is deterministic and side-effect free (each call starts from an empty cache):
 * the prompt is prefilled, then {@code decodeSteps} tokens are chosen greedily and fed back.
 */
public interface ReferenceModel {

    Generation generate(int[] prompt, int decodeSteps);

    /**
     * The reference for any family's weights; RetNet uses {@code retentionForm} with chunk size
     * {@code chunkSize} (ignored by the other families).
     */
    static ReferenceModel of(ModelWeights weights, RetentionForm retentionForm, int chunkSize) {
        return switch (weights) {
            case RetNetWeights w -> new RetNetReference(w, retentionForm, chunkSize);
            case PhiMoeWeights w -> new PhiMoeReference(w);
            case BitNetWeights w -> new BitNetReference(w);
        };
    }
}
