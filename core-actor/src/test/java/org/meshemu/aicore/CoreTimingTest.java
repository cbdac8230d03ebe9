package org.meshemu.aicore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshemu.tensor.DType;

/** One rule per test, probed at n-1 and n: a unit's throughput boundary adds exactly one cycle. */
class CoreTimingTest {
    static final int O = 3;
    /** SRAM so wide it never binds, except in the SRAM tests. */
    final CoreTiming timing = timing(1 << 20);

    static CoreTiming timing(int sramBytesPerCycle) {
        return new CoreTiming(1000, Map.of(DType.FP32, 256, DType.BF16, 1024, DType.INT8, 2048), 16, O, sramBytesPerCycle, 4, 512);
    }

    static Shape s(int rows, int cols, DType t) {
        return new Shape(rows, cols, t);
    }

    long gemm(CoreTiming t, int m, int n, int k, DType dtype) {
        return t.cycles(new Instruction.Gemm(0, 1, 2, false), List.of(s(m, k, dtype), s(k, n, dtype)), s(m, n, Kernels.gemmType(dtype, dtype)));
    }

    @Test
    void gemmTakesOverheadPlusFlopsOverTheFp32RateRoundedUp() {
        // 2 m n k = 256 flops fit one cycle; one more multiply-add (2 flops) needs a second.
        assertEquals(O + 1, gemm(timing, 1, 1, 128, DType.FP32));
        assertEquals(O + 2, gemm(timing, 1, 1, 129, DType.FP32));
        assertEquals(O + 256, gemm(timing, 32, 32, 32, DType.FP32));
    }

    @Test
    void gemmRunsAtTheRateOfItsOperandsDtype() {
        assertEquals(O + 1, gemm(timing, 1, 1, 512, DType.BF16));   // 1024 flops
        assertEquals(O + 2, gemm(timing, 1, 1, 513, DType.BF16));
        assertEquals(O + 1, gemm(timing, 1, 1, 1024, DType.INT8));  // 2048 flops
        assertEquals(O + 2, gemm(timing, 1, 1, 1025, DType.INT8));
    }

    @Test
    void aMixedProductRunsAtTheWiderOperandsRate() {
        assertEquals(DType.FP32, CoreTiming.matrixType(DType.BF16, DType.FP32));
        assertEquals(DType.INT8, CoreTiming.matrixType(DType.TERNARY, DType.INT8));
        assertEquals(O + 2, timing.cycles(new Instruction.Gemm(0, 1, 2, false), List.of(s(1, 129, DType.BF16), s(129, 1, DType.FP32)),
                s(1, 1, DType.FP32)));
    }

    @Test
    void aGemmOnADtypeWithoutARateFailsNamingTheField() {
        var e = assertThrows(IllegalStateException.class, () -> gemm(timing, 1, 1, 1, DType.FP16));
        assertTrue(e.getMessage().contains("hardware.core.matrixFlopsPerCycle has no fp16 rate"), e.getMessage());
        var load = assertThrows(org.meshemu.scenario.InputException.class, () -> Program.of(List.of(
                new Instruction.Load(0, 0, 0, 2, 2, DType.FP16), new Instruction.Gemm(0, 0, 1, false))).checkRunsOn(timing, "core(1,2)"));
        assertEquals("hardware.core.matrixFlopsPerCycle.fp16: missing: core(1,2) runs a gemm on fp16 operands; rates given: [bf16, fp32, int8]",
                load.getMessage());
    }

    @Test
    void vectorInstructionsTakeOverheadPlusElementsTimesPassesOverLanesRoundedUp() {
        var add = new Instruction.Elementwise(Instruction.Op.ADD, 0, 1, 2);
        assertEquals(O + 1, timing.cycles(add, List.of(s(16, 1, DType.FP32), s(16, 1, DType.FP32)), s(16, 1, DType.FP32)));
        assertEquals(O + 2, timing.cycles(add, List.of(s(17, 1, DType.FP32), s(17, 1, DType.FP32)), s(17, 1, DType.FP32)));
        var silu = new Instruction.Vector(new VectorOp.SiluMul(), 2, 0, 1); // 2 passes over 2 inputs
        assertEquals(O + 2, timing.cycles(silu, List.of(s(8, 1, DType.FP32), s(8, 1, DType.FP32)), s(8, 1, DType.FP32)));
        assertEquals(O + 3, timing.cycles(silu, List.of(s(9, 1, DType.FP32), s(8, 1, DType.FP32)), s(8, 1, DType.FP32)));
    }

    @Test
    void anInstructionTakesAtLeastItsSramBytesOverTheSramBandwidth() {
        CoreTiming narrow = timing(64);
        var add = new Instruction.Elementwise(Instruction.Op.ADD, 0, 1, 2);
        // 16 fp32 elements: 1 vector cycle; 3 x 64 bytes moved = 3 SRAM cycles at 64 B/cycle, 4 at 63
        List<Shape> in = List.of(s(16, 1, DType.FP32), s(16, 1, DType.FP32));
        assertEquals(O + 3, narrow.cycles(add, in, s(16, 1, DType.FP32)));
        assertEquals(O + 4, timing(63).cycles(add, in, s(16, 1, DType.FP32)));
        // a 16 x 16 fp32 gemm: 32 compute cycles; 3 KiB moved = 48 SRAM cycles at 64 B/cycle
        assertEquals(O + 48, gemm(narrow, 16, 16, 16, DType.FP32));
        // compute wins again once it is the longer: 3 KiB at 128 B/cycle = 24 < 32
        assertEquals(O + 32, gemm(timing(128), 16, 16, 16, DType.FP32));
    }

    @Test
    void aReshapeMovesNoDataAndCostsTheOverheadAlone() {
        var view = new Instruction.Vector(new VectorOp.Reshape(4, 4), 1, 0);
        assertEquals(O, timing(1).cycles(view, List.of(s(16, 1, DType.FP32)), s(4, 4, DType.FP32)));
    }

    @Test
    void lutTableTakesTwoToTheGMinusOneEntriesPerGroupOnTheVectorUnit() {
        // g = 4: 8 entries per group; 16 lanes. k = 8 is 2 groups = 16 entries = 1 cycle; k = 9 is 3 groups = 2 cycles
        assertEquals(1, timing.lutTableCycles(8, 1));
        assertEquals(2, timing.lutTableCycles(9, 1));
        assertEquals(2, timing.lutTableCycles(8, 2)); // per activation column
        assertEquals(1, timing.lutGroups(4));
        assertEquals(2, timing.lutGroups(5));
    }

    @Test
    void lutLookupsAreTwoPlanesPerGroupPerOutputOverTheLookupRate() {
        // k = 4: one group; 2 planes: 256 rows = 512 lookups = 1 cycle, 257 rows = 2 cycles
        assertEquals(1, timing.lutLookupCycles(256, 4, 1));
        assertEquals(2, timing.lutLookupCycles(257, 4, 1));
        assertEquals(2, timing.lutLookupCycles(256, 5, 1)); // a second (padded) group
    }

    @Test
    void lutGemmIsOverheadPlusTablePlusLookupsOrTheSramBytes() {
        var lut = new Instruction.LutGemm(0, 1, 2);
        List<Shape> in = List.of(s(256, 128, DType.TERNARY), s(128, 1, DType.INT8));
        // 32 groups: table 32 x 8 / 16 = 16 cycles; lookups 256 x 32 x 2 / 512 = 32 cycles
        assertEquals(O + 16 + 32, timing.cycles(lut, in, s(256, 1, DType.INT32)));
        // SRAM: 8 KiB of weights + 128 + 1 KiB out = 9344 bytes; at 194 B/cycle 49 cycles > 48, at 195 48
        assertEquals(O + 49, timing(194).cycles(lut, in, s(256, 1, DType.INT32)));
        assertEquals(O + 48, timing(195).cycles(lut, in, s(256, 1, DType.INT32)));
    }

    @Test
    void widenIsOneVectorPassPlusItsBytes() {
        var widen = new Instruction.Vector(new VectorOp.Widen(DType.INT8), 1, 0);
        // 64 x 64 ternary = 1 KiB in, 4 KiB out: 256 vector cycles (5 SRAM cycles at 1024 B/cycle)
        assertEquals(O + 256, timing(1024).cycles(widen, List.of(s(64, 64, DType.TERNARY)), s(64, 64, DType.INT8)));
        assertEquals(O + 257, timing(1024).cycles(widen, List.of(s(4097, 1, DType.TERNARY)), s(4097, 1, DType.INT8)));
    }

    @Test
    void cyclesBecomePicosecondsAtTheClockPeriod() {
        assertEquals(7_000, timing.ps(7));
        assertEquals(755 * 4, new CoreTiming(755, Map.of(), 1, 0, 1, 1, 1).ps(4));
    }
}
