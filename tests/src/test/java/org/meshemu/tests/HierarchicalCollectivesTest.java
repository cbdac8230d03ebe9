package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.Program;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.workloads.generate.ExpertPlacements;
import org.meshemu.workloads.generate.Graph;
import org.meshemu.workloads.generate.Mappings;
import org.meshemu.workloads.generate.lower.Lowering;

/**
 * The lowering's collectives go within each chip, then across chips: one projection y = W x (x a block
 * of 3 token columns on the lead core) lowered onto chips x cores-per-chip sends its chip-crossing
 * messages only between the chips' first cores, one each way over each edge of a tree of the chips
 * (scatter or broadcast down, reduction or gather up), 2 (chips - 1) in all. A binomial tree over the
 * global core index crosses chips at several levels once a chip's core count is not a power of two,
 * and a serial scatter sends one message per core, so either would fail here.
 */
class HierarchicalCollectivesTest {
    private static final int TOKENS = 3;

    @ParameterizedTest(name = "{0} on {1} chips of {2} cores")
    @CsvSource({"tree-reduce, 2, 9", "tree-reduce, 4, 3", "tree-reduce, 4, 4", "row-split, 2, 9", "row-split, 4, 3", "row-split, 4, 4"})
    void eachChipTreeEdgeCarriesOneMessageEachWay(String mapping, int chips, int perChip) {
        List<Program> programs = lowered(mapping, chips, perChip);
        Map<String, Integer> crossings = new HashMap<>();             // "from chip>to chip" -> messages
        for (int core = 0; core < programs.size(); core++) {
            for (Instruction in : programs.get(core).instructions()) {
                if (!(in instanceof Instruction.Send s) || s.destination() / perChip == core / perChip) continue;
                assertTrue(core % perChip == 0 && s.destination() % perChip == 0,
                        "core " + core + " -> " + s.destination() + ": only the chips' first cores talk across chips");
                crossings.merge(core / perChip + ">" + s.destination() / perChip, 1, Integer::sum);
            }
        }
        assertEquals(2 * (chips - 1), crossings.values().stream().mapToInt(Integer::intValue).sum(), crossings.toString());
        crossings.forEach((edge, n) -> {
            String[] ab = edge.split(">");
            assertEquals(1, n, edge + " in " + crossings);
            assertEquals(1, crossings.get(ab[1] + ">" + ab[0]), "the reverse of " + edge + " in " + crossings);
        });
    }

    @ParameterizedTest(name = "on {0} chips of {1} cores")
    @CsvSource({"1, 16", "4, 4", "2, 9"})
    void theLeadScattersByTreeLevelsNotCoreByCore(int chips, int perChip) {
        long leadSends = lowered("tree-reduce", chips, perChip).getFirst().instructions().stream().filter(i -> i instanceof Instruction.Send).count();
        assertEquals(levels(chips) + levels(perChip), leadSends, "one send per tree level (the lead only receives in the reduction)");
    }

    private static int levels(int n) {
        return 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    /** One projection lowered onto every core (row-split: W [40, 8], tree-reduce: W [8, 40]; full-length splits either way). */
    private static List<Program> lowered(String mapping, int chips, int perChip) {
        int rows = mapping.equals("row-split") ? 40 : 8, cols = 48 - rows;
        Graph g = new Graph();
        Graph.Val x = g.vector("tokens", new VectorOp.Reshape(cols, TOKENS), g.constant("x", null, cols * TOKENS));   // [cols, T]
        g.matvec("y", new Graph.Weight("w", rows, cols, DType.FP32, null), x);                                         // [rows, T]
        Lowering l = new Lowering(chips * perChip, perChip, perChip, 1, false, Mappings.named(mapping), ExpertPlacements.named("sliced"), "lut");
        l.lower(g);
        return l.programs();   // Program.of checks every received block's shape against its use
    }
}
