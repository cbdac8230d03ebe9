package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshemu.tensor.DType.FP32;
import static org.meshemu.tensor.DType.INT8;
import static org.meshemu.tensor.DType.TERNARY;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.aicore.CoreSpec;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.Scenario;

/**
 * One decode step of each tiny model, on a 2 x 2 mesh (where the collectives' messages never share a
 * link at once: no contention), spends in every operator exactly {@link DecodeStepSchedule}'s time: the
 * embedding, every row-split projection (experts included), sequence mixing (retention, attention over
 * the KV cache), the lead's own operators (norms and their weights' loads, rotations, gates,
 * quantisation, residual adds, routing), the greedy head and the token's output; no operator that takes
 * time is left without its closed form. The report's per-operator times sum the lead core's spans over
 * every block and layer, so one decode step's share is the difference between runs of 2 and 1 decode
 * steps (both layers have the same shapes; the attention's cost depends on the position, that of the
 * second decode step). Each chain of operators starts where every core is idle (the lead ran the
 * operators before it alone). See docs/TIMING.md ("A decode step's operators").
 */
class DecodeStepClosedFormTest {
    static final int LAYERS = 2;
    @TempDir Path out;

    /** The expected cycles of one decode step by operator. */
    private static final class Expected {
        final Map<String, Long> cycles = new TreeMap<>();

        void perLayer(String op, long c) { cycles.merge(op, LAYERS * c, Long::sum); }

        void once(String op, long c) { cycles.merge(op, c, Long::sum); }
    }

    private static Scenario.Hardware hardware(String scenario) {
        return Scenarios.shipped(scenario, "hardware.noc.width=2", "hardware.noc.height=2").scenario().hardware();
    }

    private Map<String, Long> run(String scenario, int steps) {
        RunReport r = Scenarios.run(Scenarios.shipped(scenario, "hardware.noc.width=2", "hardware.noc.height=2",
                "workload.decodeSteps=" + steps, "run.payload=timing"), out.resolve(scenario + steps));
        return r.generation().perOperatorPs();
    }

    /** Checks every expected operator against the report's share of one decode step. */
    private void check(String scenario, Scenario.Hardware hw, Expected expected) {
        Map<String, Long> one = run(scenario, 1), two = run(scenario, 2), step = new TreeMap<>();
        two.forEach((op, ps) -> step.put(op, (ps - one.getOrDefault(op, 0L)) / hw.get(CoreSpec.class).cyclePs()));
        expected.cycles.forEach((op, cycles) -> assertEquals(cycles, step.get(op), scenario + " " + op + " in " + step));
        // every operator that takes time in a decode step has its closed form here: their sum is the step
        step.forEach((op, cycles) -> assertTrue(cycles == 0 || expected.cycles.containsKey(op), scenario + ": no closed form for " + op));
    }

    /** What every family shares: the embedding (vocab 128 x 64), the greedy head over it, the token's output. */
    private static void tokenEnds(Scenario.Hardware hw, Expected e) {
        e.once("embed", new DecodeStepSchedule(hw).embed("token", 64));
        e.once("lm_head", new DecodeStepSchedule(hw).greedy("final norm", 128, 64));
        e.once("output", hw.get(CoreSpec.class).instructionOverheadCycles() + TreeGemvClosedForm.access(hw, 4)); // reshape, store the int32 token
        e.once("token", 0);
    }

    private static long norm(Scenario.Hardware hw, int n) {              // RMSNorm of x [n] times its weight [n]
        return DecodeStepSchedule.vectorCycles(hw, 2L * n, 3, 8L * n, 4L * n);
    }

    private static long layerNorm(Scenario.Hardware hw, int n) {         // LayerNorm of x [n] with weight and bias [n]
        return DecodeStepSchedule.vectorCycles(hw, 3L * n, 4, 12L * n, 4L * n);
    }

    private static long rotate(Scenario.Hardware hw, int n) {
        return DecodeStepSchedule.vectorCycles(hw, n, 3, 4L * n, 4L * n);
    }

    private static long add(Scenario.Hardware hw, int n) {               // elementwise a + b of [n]: n vector elements; a, b and the sum in SRAM
        return DecodeStepSchedule.vectorCycles(hw, n, 1, 8L * n, 4L * n);
    }

    private static long gate(Scenario.Hardware hw, int n) {              // silu(a) b or relu(a)^2 b of [n] each
        return DecodeStepSchedule.vectorCycles(hw, 2L * n, 2, 8L * n, 4L * n);
    }

    /**
     * Attention over the KV cache of the step at position {@code pos}, 4 query heads over 2 KV heads of 16, one KV head
     * per unit on cores 0 and 2: the lead slices each unit's q [32], k and v [16] and sends them to core 2; each unit
     * loads the cached k and v rows of positions [0, pos) (64 bytes each), stores this token's, and attends
     * (2 x 2 passes over q and the pos + 1 keys and values); core 2 sends its o [32] and the lead joins the two.
     */
    private static long attention(Scenario.Hardware hw, DecodeStepSchedule s, int pos) {
        long row = TreeGemvClosedForm.access(hw, 64);
        long attend = DecodeStepSchedule.vectorCycles(hw, 32 + 2 * 16 * (pos + 1), 4, 128 + 2 * 64 * (pos + 1), 128);
        return s.mixing(new int[] {0, 2}, new long[] {DecodeStepSchedule.vectorCycles(hw, 32, 1, 128, 128),
                DecodeStepSchedule.vectorCycles(hw, 16, 1, 64, 64), DecodeStepSchedule.vectorCycles(hw, 16, 1, 64, 64)},
                new long[] {128, 64, 64}, 2L * pos * row + 2 * row + attend, 128, DecodeStepSchedule.vectorCycles(hw, 64, 1, 256, 256));
    }

    /** The decode step the report's difference measures: the second, at the prompt's length (3) + 1. */
    static final int MEASURED_POSITION = 4;

    @Test
    void retnetDecodeStep() {
        Scenario.Hardware hw = hardware("retnet-tiny-mesh");
        Expected e = new Expected();
        // the attention block as one chain, from retention_layer_norm on: a is new
        DecodeStepSchedule block = new DecodeStepSchedule(hw);
        e.perLayer("q_proj", block.projection("a", 64, 64, FP32, FP32));
        e.perLayer("k_proj", block.projection("a", 64, 64, FP32, FP32));  // a is on every core already
        e.perLayer("k_scale", block.leadVector(64, 1, 256, 256));
        e.perLayer("v_proj", block.projection("a", 128, 64, FP32, FP32));
        e.perLayer("rotate", block.lead(rotate(hw, 64)) + block.lead(rotate(hw, 64)));   // q and k
        // recurrent retention, one head per core: the lead slices each head's q, k [16] and v [32] and sends them; each
        // core loads its head's state S [32 x 16], updates it (S keep + v k^T / sqrt(c'), 3 passes over S, k, v), reads
        // o = S q (2 passes over S, q), stores S and sends o [32]; the lead joins the four
        long sliceQk = DecodeStepSchedule.vectorCycles(hw, 16, 1, 64, 64), sliceV = DecodeStepSchedule.vectorCycles(hw, 32, 1, 128, 128);
        long state = TreeGemvClosedForm.access(hw, 2048);
        long unit = state + DecodeStepSchedule.vectorCycles(hw, 512 + 16 + 32, 3, 4 * (512 + 16 + 32), 2048)
                + DecodeStepSchedule.vectorCycles(hw, 512 + 16, 2, 4 * (512 + 16), 128) + state;
        e.perLayer("retention", block.mixing(new int[] {0, 1, 2, 3}, new long[] {sliceQk, sliceQk, sliceV}, new long[] {64, 64, 128}, unit, 128,
                DecodeStepSchedule.vectorCycles(hw, 128, 1, 512, 512)));
        e.perLayer("group_norm", block.leadVector(128, 3, 512, 512));
        // a is still on every core: each starts g_proj when it has sent its head's output
        e.perLayer("g_proj", block.projection("a", 128, 64, FP32, FP32));
        e.perLayer("out_proj", new DecodeStepSchedule(hw).projection("x", 64, 128, FP32, FP32));
        DecodeStepSchedule ffn = new DecodeStepSchedule(hw);              // after final_layer_norm
        e.perLayer("fc1", ffn.projection("b", 128, 64, FP32, FP32));
        e.perLayer("ffn_gate", ffn.projection("b", 128, 64, FP32, FP32));
        e.perLayer("fc2", new DecodeStepSchedule(hw).projection("z", 64, 128, FP32, FP32));
        // the lead's own operators: one instruction each, nothing to wait for
        e.perLayer("retention_layer_norm", norm(hw, 64));
        e.perLayer("final_layer_norm", norm(hw, 64));
        e.perLayer("const", 2 * TreeGemvClosedForm.access(hw, 256));      // each norm's weight, loaded from the lead's bank
        e.perLayer("swish_gate", gate(hw, 128));
        e.perLayer("swish_glu", gate(hw, 128));
        e.perLayer("residual", 2 * add(hw, 64));
        e.once("layer_norm", norm(hw, 64));                               // the head's
        e.once("const", TreeGemvClosedForm.access(hw, 256));
        tokenEnds(hw, e);
        check("retnet-tiny-mesh", hw, e);
    }

    /** A BitLinear: the lut-gemm projection, then the lead's dequantise (int32 acc and the fp32 scale in, fp32 out, 2 passes) under the same name. */
    private static long bitLinear(DecodeStepSchedule s, String x, int rows, int cols) {
        return s.projection(x, rows, cols, TERNARY, INT8) + s.leadVector(rows + 1, 2, 4L * rows + 4, 4L * rows);
    }

    /** BitNet's activation quantisation of x [n]: the abs-max scale, then x to int8 by it. */
    private static long quantise(Scenario.Hardware hw, int n) {
        return DecodeStepSchedule.vectorCycles(hw, n, 1, 4L * n, 4) + DecodeStepSchedule.vectorCycles(hw, n + 1, 2, 4L * n + 4, n);
    }

    @Test
    void bitnetDecodeStep() {
        Scenario.Hardware hw = hardware("bitnet-tiny-mesh");
        Expected e = new Expected();
        DecodeStepSchedule qkv = new DecodeStepSchedule(hw);
        e.perLayer("q_proj", bitLinear(qkv, "qa", 64, 64));
        e.perLayer("k_proj", bitLinear(qkv, "qa", 32, 64));               // 2 KV heads of 16
        e.perLayer("v_proj", bitLinear(qkv, "qa", 32, 64));
        e.perLayer("rope", qkv.lead(rotate(hw, 64)) + qkv.lead(rotate(hw, 32)));
        e.perLayer("attention", attention(hw, qkv, MEASURED_POSITION));
        e.perLayer("o_proj", bitLinear(new DecodeStepSchedule(hw), "qo", 64, 64));
        DecodeStepSchedule glu = new DecodeStepSchedule(hw);
        e.perLayer("gate_proj", bitLinear(glu, "qm", 128, 64));
        e.perLayer("up_proj", bitLinear(glu, "qm", 128, 64));
        e.perLayer("down_proj", bitLinear(new DecodeStepSchedule(hw), "qz", 64, 128));
        e.perLayer("input_layernorm", norm(hw, 64));
        e.perLayer("attn_sub_norm", norm(hw, 64));
        e.perLayer("post_attention_layernorm", norm(hw, 64));
        e.perLayer("ffn_sub_norm", norm(hw, 128));
        e.perLayer("const", 3 * TreeGemvClosedForm.access(hw, 256) + TreeGemvClosedForm.access(hw, 512));
        e.perLayer("quantise", 3 * quantise(hw, 64) + quantise(hw, 128));
        e.perLayer("relu2_glu", gate(hw, 128));
        e.perLayer("residual", 2 * add(hw, 64));
        e.once("norm", norm(hw, 64));
        e.once("const", TreeGemvClosedForm.access(hw, 256));
        tokenEnds(hw, e);
        check("bitnet-tiny-mesh", hw, e);
    }

    @Test
    void phimoeDecodeStep() {
        Scenario.Hardware hw = hardware("phimoe-tiny-mesh");
        Expected e = new Expected();
        DecodeStepSchedule qkv = new DecodeStepSchedule(hw);
        e.perLayer("q_proj", qkv.projection("a", 64, 64, FP32, FP32));
        e.perLayer("k_proj", qkv.projection("a", 32, 64, FP32, FP32));
        e.perLayer("v_proj", qkv.projection("a", 32, 64, FP32, FP32));
        e.perLayer("rope", qkv.lead(rotate(hw, 64)) + qkv.lead(rotate(hw, 32)));
        e.perLayer("attention", attention(hw, qkv, MEASURED_POSITION));          // the sliding window (6) holds every position yet
        e.perLayer("o_proj", new DecodeStepSchedule(hw).projection("o", 64, 64, FP32, FP32));
        // the router and the sliced experts: every expert split by rows over the cores, the routed one's block picked by
        // an indexed load at the index sliced from the routing and broadcast; m stays on the cores from the router on
        DecodeStepSchedule moe = new DecodeStepSchedule(hw);
        e.perLayer("router", moe.projection("m", 4, 64, FP32, FP32));
        e.perLayer("sparsemixer", moe.leadVector(4, 4, 16, 16));
        for (String expert : new String[] {"e1", "e2"}) {
            e.perLayer("sparsemixer", moe.leadVector(1, 1, 4, 4));        // the expert's index: a slice of the routing
            e.perLayer("expert_w1", moe.projection("m", 96, 64, FP32, FP32, expert));
            e.perLayer("expert_w3", moe.projection("m", 96, 64, FP32, FP32, expert));
            e.perLayer("swiglu", moe.leadVector(192, 2, 768, 384));
            e.perLayer("expert_w2", moe.projection("z of " + expert, 64, 96, FP32, FP32, expert));
        }
        e.perLayer("moe_mix", moe.leadVector(132, 2, 528, 256));         // y1 w1 + y2 w2 from y1, y2 [64] and the routing [4]
        e.perLayer("input_layernorm", layerNorm(hw, 64));
        e.perLayer("post_attention_layernorm", layerNorm(hw, 64));
        e.perLayer("const", 4 * TreeGemvClosedForm.access(hw, 256));      // each norm's weight and bias
        e.perLayer("residual", 2 * add(hw, 64));
        e.once("norm", layerNorm(hw, 64));
        e.once("const", 2 * TreeGemvClosedForm.access(hw, 256));
        tokenEnds(hw, e);
        check("phimoe-tiny-mesh", hw, e);
    }
}
