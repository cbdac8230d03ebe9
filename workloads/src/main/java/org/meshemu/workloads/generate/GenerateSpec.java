package org.meshemu.workloads.generate;

import java.util.List;
import org.meshemu.scenario.Check;
import org.meshemu.scenario.FieldException;

/**
 * The {@code generate} workload section: greedy generation from a prompt.
 *
 * @param prompt      prompt token ids (checked against the model's vocabulary when the model is known)
 * @param decodeSteps tokens generated after the prompt
 * @param prefillBlock the prompt runs in blocks of at most this many tokens (0: one block)
 * @param retention   RetNet's prompt form (parallel, recurrent, chunkwise), on the emulator and in the reference
 * @param chunkSize   the chunkwise form's chunk size
 * @param mapping     the projection mapping strategy ({@link Mappings})
 * @param bitLinear   how ternary weights are multiplied ({@link TernaryProducts}): lut or dequantise
 * @param experts     where a mixture of experts' weights live ({@link ExpertPlacements}): sliced, grouped or expert-parallel
 * @param batch       sequences decoded together; sequence b's prompt is {@link #promptIds(int, int) the prompt with every id
 *                    shifted by b}, and every block holds the same positions of all sequences side by side
 * @param routing     how a mixture of experts routes in timing mode ({@link Routing}); full payload always runs the gate
 * @param placementPolicy which core groups hold which experts under expert-parallel, block by block ({@link Policy})
 * @param gate        a mixture of experts' gate ({@link Gate}): the family's own (sparsemixer), softmax top-k or threshold
 */
public record GenerateSpec(List<Integer> prompt, int decodeSteps, int prefillBlock, String retention, int chunkSize, String mapping, String bitLinear,
                           String experts, int batch, Routing routing, Policy placementPolicy, Gate gate) {
    public static final List<String> FORMS = List.of("recurrent", "parallel", "chunkwise");

    /**
     * Timing mode's routing decisions. {@code gate}: drawn uniformly by the routing core from its seeded stream
     * (two distinct experts). {@code zipf}: a seeded trace drawn at planning from the scenario seed
     * ({@link RoutingTrace}): expert popularity follows a Zipf law of {@code exponent} over a ranking of the experts
     * that each layer redraws every {@code driftEvery} positions (0: never).
     */
    public record Routing(String kind, double exponent, int driftEvery) {
        public static final List<String> KINDS = List.of("gate", "zipf");

        public Routing {
            Check.oneOf("kind", kind, KINDS);
            if (!(exponent >= 0) || Double.isInfinite(exponent)) throw new FieldException("exponent", exponent, "a finite number >= 0");
            Check.atLeast("driftEvery", driftEvery, 0);
        }

        public boolean traced() { return kind.equals("zipf"); }
    }

    /**
     * Expert placement policy of {@code experts: expert-parallel} ({@link PlacementPolicies}): {@code kind} linear,
     * round-robin or flexmoe; the cores divide into {@code groups} groups of consecutive cores (0: one per expert);
     * a group's banks hold at most {@code slots} experts at once (0: its homes only); flexmoe rebalances before every
     * {@code every}-th decode step.
     */
    public record Policy(String kind, int groups, int slots, int every) {
        public Policy {
            Check.oneOf("kind", kind, PlacementPolicies.REGISTRY.names());
            Check.atLeast("groups", groups, 0);
            Check.atLeast("slots", slots, 0);
            Check.atLeast("every", every, 1);
        }

        /** The policy that places experts as expert-parallel always did: one group per expert, expert e on group e. */
        public boolean isDefault() { return kind.equals("linear") && groups == 0 && slots == 0; }
    }

    /**
     * A mixture of experts' gate (docs/MODELS.md section 2, "Gates"). {@code sparsemixer}: the family's own top-2
     * (GRIN's). {@code top-k}: softmax over the router logits, the k = num_experts_per_tok most probable experts,
     * weighted by their probabilities. {@code threshold}: the same softmax, every expert whose probability is at
     * least {@code threshold}, most probable first, at most {@code maxK} and at least one (the argmax): a variable
     * number of experts per token, as EvoMoE's dense-to-sparse gate ends in. {@code threshold} and {@code maxK}
     * apply to {@code threshold} only.
     */
    public record Gate(String kind, double threshold, int maxK) {
        public static final List<String> KINDS = List.of("sparsemixer", "top-k", "threshold");

        public Gate {
            Check.oneOf("kind", kind, KINDS);
            if (!(threshold > 0 && threshold <= 1)) throw new FieldException("threshold", threshold, "a probability in (0, 1]");
            Check.atLeast("maxK", maxK, 1);
        }

        /** Whether tokens may activate different numbers of experts. */
        public boolean dynamic() { return kind.equals("threshold"); }
    }

    public GenerateSpec {
        Check.present("prompt", prompt);
        if (prompt.isEmpty()) throw new FieldException("prompt", "[]", "at least one token id");
        prompt = List.copyOf(prompt);
        Check.atLeast("decodeSteps", decodeSteps, 0);
        Check.atLeast("prefillBlock", prefillBlock, 0);
        Check.oneOf("retention", retention, FORMS);
        Check.atLeast("chunkSize", chunkSize, 1);
        Check.oneOf("mapping", mapping, Mappings.REGISTRY.names());
        Check.oneOf("bitLinear", bitLinear, TernaryProducts.REGISTRY.names());
        Check.oneOf("experts", experts, ExpertPlacements.REGISTRY.names());
        Check.atLeast("batch", batch, 1);
        Check.present("routing", routing);
        Check.present("placementPolicy", placementPolicy);
        Check.present("gate", gate);
    }

    /** The prompt's blocks: [start, end) token ranges of at most prefillBlock tokens. */
    public List<int[]> promptBlocks() {
        int n = prompt.size(), b = prefillBlock == 0 ? n : prefillBlock;
        List<int[]> blocks = new java.util.ArrayList<>();
        for (int s = 0; s < n; s += b) blocks.add(new int[] {s, Math.min(n, s + b)});
        return blocks;
    }

    public int[] promptIds() {
        return prompt.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Sequence b's prompt: every id of the prompt plus b, modulo the vocabulary (sequence 0's is the prompt itself). */
    public int[] promptIds(int sequence, int vocab) {
        return prompt.stream().mapToInt(t -> (t + sequence) % vocab).toArray();
    }
}
