package org.meshemu.workloads.generate;

import java.util.List;
import org.meshemu.workloads.checkpoint.ModelWeights;

/**
 * A model family as the emulator runs it: the forward pass of one block of tokens written as graph
 * operators. Registered by name in {@link Families} (the HF {@code model_type}).
 */
public interface ModelFamily {
    /** The scenario and HF name: "retnet", "bitnet", "phimoe". */
    String name();

    /**
     * A forward pass over these weights; {@code full}: weights carry numbers (else timing mode); {@code spec}
     * the generation's options a family may read (RetNet's prompt form and chunk size).
     */
    Forward forward(ModelWeights weights, boolean full, GenerateSpec spec);

    /** Throws a {@link org.meshemu.scenario.FieldException} naming the workload field this family cannot run as given. */
    default void check(GenerateSpec spec) {}

    /**
     * One model's blocks of tokens. Contract: blocks come in position order (the prompt's blocks from
     * position 0, then one block per decoded token) and the forward keeps whatever per-position
     * bookkeeping it needs (retention scales, cache length).
     */
    interface Forward {
        /**
         * Emits a block of T tokens through every layer, the first at position {@code pos}, and returns the
         * final hidden states [H, T]: activations are [n, T] tiles, so each projection is one GEMM for the
         * whole block (a prompt's prefill) and per-token operators work column by column. {@code callLength}
         * is the length of the HF forward call the block belongs to (the prompt's length while prefilling,
         * pos + 1 when decoding; RoPE scaling may depend on it).
         */
        Graph.Val block(Graph g, List<Token> tokens, int pos, int callLength);

        /**
         * Emits the final norm and the greedy LM head ({@link Graph#greedy}): the logits [V] of the hidden state
         * [H] become row {@code row} of output {@code logits}; returns the chosen token (1 x 1).
         */
        Graph.Val head(Graph g, Graph.Val hidden, int row);
    }

    /** The token fed at a step: a fixed prompt id, or the 1x1 index value of the previous argmax. */
    record Token(int id, Graph.Val index) {
        static Token of(int id) { return new Token(id, null); }

        static Token of(Graph.Val index) { return new Token(-1, index); }

        Graph.Val embed(Graph g, Graph.Weight table) {
            return index == null ? g.embed(table, id) : g.embed(table, index);
        }

        /** The block's embedding rows side by side, [H, T]. */
        static Graph.Val embed(Graph g, Graph.Weight table, List<Token> tokens) {
            return g.stack("embed", tokens.stream().map(t -> t.embed(g, table)).toList());
        }
    }
}
