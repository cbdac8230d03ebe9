package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.Scenario;
import org.meshemu.tensor.DType;

/**
 * One decode step of each tiny model, on a 2 x 2 mesh (where every edge of the collectives' tree is
 * one hop on a link of its own: no contention), spends in each projection whose input is broadcast
 * afresh exactly {@link RowSplitClosedForm}'s time per layer. The report's per-operator times sum
 * the lead core's spans over every block and layer, so one decode step's share is the difference
 * between runs of 2 and 1 decode steps. Operators not checked here (projections that reuse an input
 * already on the cores, which the other cores start before the lead has finished the operator
 * before; sequence mixing; the experts; the greedy head; the lead's vector operators) are listed
 * in docs/TIMING.md.
 */
class DecodeStepClosedFormTest {
    @TempDir Path out;

    /** A projection by its operator name and its weight's rows and columns. */
    private record Projection(String op, int rows, int cols) {}

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("retnet-tiny-mesh", DType.FP32, DType.FP32, new Projection[] {
                        new Projection("q_proj", 64, 64), new Projection("out_proj", 64, 128),
                        new Projection("fc1", 128, 64), new Projection("fc2", 64, 128)}),
                Arguments.of("bitnet-tiny-mesh", DType.TERNARY, DType.INT8, new Projection[] {
                        new Projection("q_proj", 64, 64), new Projection("o_proj", 64, 64),
                        new Projection("gate_proj", 128, 64), new Projection("down_proj", 64, 128)}),
                Arguments.of("phimoe-tiny-mesh", DType.FP32, DType.FP32, new Projection[] {
                        new Projection("q_proj", 64, 64), new Projection("router", 4, 64)}));
    }

    private Map<String, Long> perOperator(String scenario, int steps) {
        LoadedScenario s = Scenarios.shipped(scenario, "hardware.noc.width=2", "hardware.noc.height=2", "workload.decodeSteps=" + steps,
                "run.payload=timing");
        RunReport r = Scenarios.run(s, out.resolve(scenario + steps));
        return r.generation().perOperatorPs();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void freshlyBroadcastProjectionsTakeTheClosedForm(String scenario, DType weight, DType x, Projection[] projections) {
        Scenario.Hardware hw = Scenarios.shipped(scenario, "hardware.noc.width=2", "hardware.noc.height=2").scenario().hardware();
        Map<String, Long> one = perOperator(scenario, 1), two = perOperator(scenario, 2);
        int layers = 2;
        for (Projection p : projections) {
            long span = RowSplitClosedForm.cycles(hw, p.rows(), p.cols(), weight, x);
            if (weight == DType.TERNARY) {
                // the BitLinear's dequantise (int32 acc and the fp32 scale in, fp32 out, 2 passes) carries the same op name
                span += RowSplitClosedForm.vector(hw, p.rows() + 1, 2, 4L * p.rows() + 4, 4L * p.rows());
            }
            assertEquals(layers * span * hw.cyclePs(), two.get(p.op()) - one.get(p.op()), scenario + " " + p.op());
        }
    }
}
