package org.meshemu.workloads.generate;

import org.meshemu.workloads.checkpoint.ModelWeights;

/**
 * A model family as the emulator runs it: the forward pass of one token step written as graph
 * operators. Registered by name in {@link Families} (the HF {@code model_type}).
 */
public interface ModelFamily {
    /** The scenario and HF name: "retnet", "bitnet", "phimoe". */
    String name();

    /** A forward pass over these weights; {@code full}: weights carry numbers (else timing mode). */
    Forward forward(ModelWeights weights, boolean full);

    /**
     * One model's token steps. Contract: calls come in position order 0, 1, 2, ... and the forward
     * keeps whatever per-position bookkeeping it needs (retention scales, cache length).
     */
    interface Forward {
        /**
         * Emits one token through every layer at position {@code pos} and returns the final hidden
         * state [H]; {@code callLength} is the length of the HF forward call the token belongs to
         * (the prompt's length while prefilling, pos + 1 when decoding; RoPE scaling may depend on it).
         */
        Graph.Val step(Graph g, Token token, int pos, int callLength);

        /** Emits the final norm and the LM head: logits [V] from the hidden state. */
        Graph.Val head(Graph g, Graph.Val hidden);
    }

    /** The token fed at a step: a fixed prompt id, or the 1x1 index value of the previous argmax. */
    record Token(int id, Graph.Val index) {
        static Token of(int id) { return new Token(id, null); }

        static Token of(Graph.Val index) { return new Token(-1, index); }

        Graph.Val embed(Graph g, Graph.Weight table) {
            return index == null ? g.embed(table, id) : g.embed(table, index);
        }
    }
}
