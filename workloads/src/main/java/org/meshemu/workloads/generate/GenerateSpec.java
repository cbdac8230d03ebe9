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
 * @param experts     where a mixture of experts' weights live ({@link ExpertPlacements}): sliced or grouped
 */
public record GenerateSpec(List<Integer> prompt, int decodeSteps, int prefillBlock, String retention, int chunkSize, String mapping, String bitLinear,
                           String experts) {
    public static final List<String> FORMS = List.of("recurrent", "parallel", "chunkwise");

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
}
