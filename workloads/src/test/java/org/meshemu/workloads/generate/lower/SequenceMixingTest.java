package org.meshemu.workloads.generate.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.Program;
import org.meshemu.aicore.VectorOp;
import org.meshemu.workloads.fused.RetentionPrompt;
import org.meshemu.workloads.fused.RetentionUpdate;
import org.meshemu.workloads.generate.ExpertPlacements;
import org.meshemu.workloads.generate.Graph;
import org.meshemu.workloads.generate.Mappings;
import org.meshemu.workloads.generate.Mixer;

/**
 * Sequence mixing runs spread over the cores with its state in their own banks, never gathered on the lead:
 * retention heads (and, with more cores than heads, blocks of a head's value rows) and attention's key/value
 * groups each on their own core, which loads and stores its part of the state; the lead only sends the rows
 * and joins the outputs. (The numbers are checked end to end against the reference in GenerateTest.)
 */
class SequenceMixingTest {
    static final int HEADS = 4, DK = 4, DV = 8, T = 3;

    /** Per core: the vector ops of one kind it runs. */
    static <V extends VectorOp> Map<Integer, List<V>> ops(List<Program> programs, Class<V> kind) {
        Map<Integer, List<V>> by = new TreeMap<>();
        for (int c = 0; c < programs.size(); c++) {
            for (Instruction in : programs.get(c).instructions()) {
                if (in instanceof Instruction.Vector v && kind.isInstance(v.op())) by.computeIfAbsent(c, k -> new ArrayList<>()).add(kind.cast(v.op()));
            }
        }
        return by;
    }

    static long count(Program p, Class<? extends Instruction> kind) {
        return p.instructions().stream().filter(kind::isInstance).count();
    }

    /** A prompt block of T tokens, then one decode step, through one retention layer of 4 heads. */
    static List<Program> retention(int cores, int chunk) {
        Graph g = new Graph();
        Graph.Val q = block(g, "q", HEADS * DK, T), k = block(g, "k", HEADS * DK, T), v = block(g, "v", HEADS * DV, T);
        g.mix("retention", new Mixer.PromptRetention(HEADS, DK, DV, new float[HEADS], chunk), "L0", q, k, v);
        Mixer.RetentionStep step = new Mixer.RetentionStep(false, new float[HEADS], new float[HEADS]);
        g.mix("retention", new Mixer.RecurrentRetention(HEADS, DK, DV, List.of(step)), "L0",
                block(g, "q1", HEADS * DK, 1), block(g, "k1", HEADS * DK, 1), block(g, "v1", HEADS * DV, 1));
        Lowering l = new Lowering(cores, cores, 4, 1, false, Mappings.named("row-split"), ExpertPlacements.named("sliced"), "lut");
        l.lower(g);
        return l.programs();   // Program.of checks every register's shape against its use
    }

    static Graph.Val block(Graph g, String name, int rows, int cols) {
        return g.vector(name, new VectorOp.Reshape(rows, cols), g.constant(name, null, rows * cols));
    }

    @Test
    void moreCoresThanHeadsSplitEachHeadsStateByValueRowsOverEveryCore() {
        List<Program> programs = retention(16, 0);
        Map<Integer, List<RetentionPrompt>> prompt = ops(programs, RetentionPrompt.class);
        Map<Integer, List<RetentionUpdate>> update = ops(programs, RetentionUpdate.class);
        assertEquals(16, prompt.size(), "16 units: 4 heads x 4 blocks of 2 value rows, one per core");
        assertEquals(prompt.keySet(), update.keySet(), "decoding runs where the prompt left the state");
        for (int c = 0; c < 16; c++) {
            assertEquals(1, prompt.get(c).getFirst().heads());
            assertEquals(DV / 4, prompt.get(c).getFirst().dv());
            assertEquals(DV / 4, update.get(c).getFirst().dv());
            assertEquals(2, count(programs.get(c), Instruction.Store.class), "core " + c + " stores its state after the prompt and the step");
            int constants = c == 0 ? 6 : 0;   // the lead also loads the test's six inputs
            assertEquals(1, count(programs.get(c), Instruction.Load.class) - constants, "core " + c + " loads its own state for the step");
        }
    }

    /**
     * A head's q, k and v go from the lead to the first core of the head's team only, and down a tree inside the
     * team; its outputs come back gathered: per mixing, the lead sends 3 values to each of the 3 other teams and
     * 3 down two tree levels of its own team (4 cores), and receives 3 teams' outputs and 2 of its own team's.
     */
    @Test
    void aHeadsInputsReachItsTeamOnceAndItsOutputsReturnGathered() {
        Program lead = retention(16, 0).getFirst();
        assertEquals(2 * (3 * 3 + 3 * 2), count(lead, Instruction.Send.class), "two mixings (prompt, step)");
        assertEquals(2 * (3 + 2), count(lead, Instruction.Recv.class));
    }

    @Test
    void fewerCoresThanHeadsTakeRangesOfWholeHeads() {
        List<Program> programs = retention(2, 0);
        Map<Integer, List<RetentionPrompt>> prompt = ops(programs, RetentionPrompt.class);
        assertEquals(List.of(0, 1), List.copyOf(prompt.keySet()));
        assertEquals(2, prompt.get(1).getFirst().heads());
        assertEquals(DV, prompt.get(1).getFirst().dv());
    }

    @Test
    void aChunkwisePromptKeepsWholeHeadsAndDecodingFollowsItsLayout() {
        List<Program> programs = retention(16, 2);
        Map<Integer, List<RetentionPrompt>> prompt = ops(programs, RetentionPrompt.class);
        assertEquals(List.of(0, 4, 8, 12), List.copyOf(prompt.keySet()), "one head per unit, spread evenly");
        assertEquals(prompt.keySet(), ops(programs, RetentionUpdate.class).keySet());
        ops(programs, RetentionUpdate.class).values().forEach(u -> assertEquals(DV, u.getFirst().dv()));
    }

    @Test
    void attentionRunsByKeyValueGroupWithItsCacheRowsInThatCoresBanks() {
        int heads = 4, kvHeads = 2, hd = 4;
        Graph g = new Graph();
        for (int pos = 0; pos < 2; pos++) {    // a block of T at position 0, then one token at T
            int t = pos == 0 ? T : 1, at = pos == 0 ? 0 : T;
            g.mix("attention", new Mixer.CachedAttention(heads, kvHeads, hd, 0, at), "L0.kv",
                    block(g, "q" + pos, heads * hd, t), block(g, "k" + pos, kvHeads * hd, t), block(g, "v" + pos, kvHeads * hd, t));
        }
        Lowering l = new Lowering(16, 16, 4, 1, false, Mappings.named("row-split"), ExpertPlacements.named("sliced"), "lut");
        l.lower(g);
        List<Program> programs = l.programs();
        Map<Integer, List<VectorOp.Attention>> attention = ops(programs, VectorOp.Attention.class);
        assertEquals(List.of(0, 8), List.copyOf(attention.keySet()), "two key/value groups, spread evenly");
        for (int c : attention.keySet()) {
            assertEquals(2, attention.get(c).getFirst().heads());
            assertEquals(1, attention.get(c).getFirst().kvHeads());
            assertEquals(2 * (T + 1), count(programs.get(c), Instruction.Store.class), "core " + c + " keeps k and v of its group for every position");
        }
        assertEquals(2 * T, count(programs.get(8), Instruction.Load.class), "the decode step reads the group's cache from its own banks");
        assertTrue(ops(programs, VectorOp.Attention.class).get(0).stream().allMatch(a -> a.heads() == 2));
    }
}
