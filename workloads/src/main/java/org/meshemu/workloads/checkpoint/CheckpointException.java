package org.meshemu.workloads.checkpoint;

import org.meshemu.scenario.InputException;

/**
 * A checkpoint or config that cannot be used as given: a bad-input error, never a bug.
 *
 * <p>The message is one line and names the file and, where there is one, the tensor or key, e.g.
 * {@code model.safetensors: tensor 'lm_head.weight': shape [64, 32] does not match config.json (expected [128, 32])}.
 */
public final class CheckpointException extends InputException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message, (Throwable) null);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }

    static CheckpointException tensor(String file, String tensor, String problem) {
        return new CheckpointException(file + ": tensor '" + tensor + "': " + problem);
    }
}
