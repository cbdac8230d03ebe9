package org.meshemu.workloads.generate;

import java.util.List;
import org.meshemu.scenario.Named;
import org.meshemu.scenario.Registry;
import org.meshemu.workloads.checkpoint.ConfigJson;
import org.meshemu.workloads.checkpoint.ModelConfig;
import org.meshemu.workloads.checkpoint.ModelWeights;
import org.meshemu.workloads.checkpoint.TensorSource;
import org.meshemu.workloads.checkpoint.WeightLayout;
import org.meshemu.workloads.reference.ReferenceModel;
import org.meshemu.workloads.reference.RetentionForm;

/**
 * A model family, everything the emulator knows of it in one place: its HF config, its checkpoint's tensors,
 * its plain-Java reference and its forward pass as graph operators. Registered by its HF {@code model_type}
 * (the scenario's {@code model.family}) in {@link #REGISTRY}: a family is one class implementing this and a
 * line in {@code META-INF/services/org.meshemu.workloads.generate.ModelFamily}; the checkpoint loader, the
 * random checkpoint, the reference and the generate workload find it there.
 *
 * <p>Contract: {@link #parseConfig} returns a config whose {@link ModelConfig#modelType} is {@link #name};
 * the other methods are given only this family's configs and weights.
 */
public interface ModelFamily extends Named {
    Registry<ModelFamily> REGISTRY = Registry.of(ModelFamily.class, "model.family");

    /** The scenario and HF name: "retnet", "bitnet", "phimoe", "phi3". */
    @Override
    String name();

    /** The family's config record from config.json's keys (model_type already checked), refusing what it cannot run. */
    ModelConfig parseConfig(ConfigJson config);

    /** Declares every tensor of a checkpoint of {@code config}, in file order: what a random checkpoint holds. */
    void layout(ModelConfig config, WeightLayout layout);

    /**
     * The complete weights of {@code config} from {@code tensors}, every tensor checked for presence, type and
     * shape; {@code values} false checks the headers only and returns shape-only weights (timing mode).
     */
    ModelWeights load(ModelConfig config, TensorSource tensors, boolean values);

    /** The plain-Java forward pass over these weights; RetNet's prompt is in {@code retentionForm}, chunks of {@code chunkSize}. */
    ReferenceModel reference(ModelWeights weights, RetentionForm retentionForm, int chunkSize);

    /** The same with a mixture of experts' {@code gate} (workload.gate); families without experts ignore it. */
    default ReferenceModel reference(ModelWeights weights, RetentionForm retentionForm, int chunkSize, GenerateSpec.Gate gate) {
        return reference(weights, retentionForm, chunkSize);
    }

    /**
     * A forward pass over these weights; {@code full}: weights carry numbers (else timing mode); {@code spec}
     * the generation's options a family may read (RetNet's prompt form and chunk size, the batch, timing mode's
     * routing); {@code seed} the scenario's seed, for what a forward draws at planning (a routing trace).
     */
    Forward forward(ModelWeights weights, boolean full, GenerateSpec spec, long seed);

    /**
     * Whether this family's weights are held as the checkpoint holds them ({@link org.meshemu.tensor.Stored}:
     * mapped from a file, shared by the reference and the banks' tiles), rather than widened to fp32 arrays.
     */
    default boolean holdsWeightsAsStored() { return false; }

    /** Throws a {@link org.meshemu.scenario.FieldException} naming the workload field this family cannot run as given. */
    default void check(GenerateSpec spec) {}

    /** As {@link #check(GenerateSpec)}, once the weights are read, for what depends on the model's {@code config} too (a gate's experts per token). */
    default void check(GenerateSpec spec, ModelConfig config) {}

    /**
     * One model's blocks of tokens. Contract: blocks come in position order (the prompt's blocks from
     * position 0, then one block per decoded token) and the forward keeps whatever per-position
     * bookkeeping it needs (retention scales, cache length). With {@code workload.batch} B > 1 a block
     * holds the same T positions of each of the B sequences, sequence-major (column b T + t is sequence b's
     * token at pos + t), and each sequence keeps its own state; a family that cannot batch refuses B > 1 in
     * {@link #check}.
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
