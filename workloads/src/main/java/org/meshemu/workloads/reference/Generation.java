package org.meshemu.workloads.reference;

/**
 * The outcome of a greedy generation.
 *
 * @param logits [1 + decodeSteps][vocab]: row 0 after the prompt, row i after the i-th generated token was fed
 * @param tokens [1 + decodeSteps]: tokens[i] = first argmax of logits[i]; tokens[0 .. decodeSteps) were fed back
 *               as decode inputs, the last one is the next token that would be fed
 */
public record Generation(float[][] logits, int[] tokens) {

    /** The logits after feeding {@code token} at {@code position}, advancing the model's cache. */
    @FunctionalInterface
    interface TokenStep {
        float[] logitsAfter(int token, int position);
    }

    /** One token through a cached model: position {@code pos} of a forward call of length {@code callLength}. */
    @FunctionalInterface
    public interface CachedStep {
        float[] logitsAfter(int token, int pos, int callLength);
    }

    /**
     * Prefill token by token (each prompt token as part of one call of length T, as HF prefills), then greedy
     * decoding where each decode call has length pos + 1. The caller's step owns a fresh cache.
     */
    public static Generation tokenByToken(int[] prompt, int decodeSteps, int vocab, CachedStep step) {
        checkPrompt(prompt, decodeSteps, vocab);
        float[] logits = null;
        for (int t = 0; t < prompt.length; t++) {
            logits = step.logitsAfter(prompt[t], t, prompt.length);
        }
        return greedy(logits, prompt.length, decodeSteps, (tok, pos) -> step.logitsAfter(tok, pos, pos + 1));
    }

    /** Greedy decoding shared by the families: argmax (first maximum), feed back, repeat. */
    static Generation greedy(float[] promptLogits, int promptLength, int decodeSteps, TokenStep step) {
        float[][] logits = new float[decodeSteps + 1][];
        int[] tokens = new int[decodeSteps + 1];
        logits[0] = promptLogits;
        tokens[0] = Ops.argmax(promptLogits);
        for (int i = 1; i <= decodeSteps; i++) {
            logits[i] = step.logitsAfter(tokens[i - 1], promptLength + i - 1);
            tokens[i] = Ops.argmax(logits[i]);
        }
        return new Generation(logits, tokens);
    }

    static void checkPrompt(int[] prompt, int decodeSteps, int vocab) {
        if (prompt.length == 0 || decodeSteps < 0) {
            throw new IllegalArgumentException("need a non-empty prompt and decodeSteps >= 0, got "
                    + prompt.length + " tokens and " + decodeSteps + " steps");
        }
        for (int t : prompt) {
            if (t < 0 || t >= vocab) {
                throw new IllegalArgumentException("prompt token " + t + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
    }
}
