package org.meshemu.aicore;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshemu.scenario.InputException;
import org.meshemu.tensor.DType;

class ProgramTest {
    // Two 8x8 fp32 inputs (256 B each) and their 8x8 product (256 B): 768 bytes of buffers.
    final Program gemm = Program.of(List.of(
            new Instruction.Load(0, 0, 0, 8, 8, DType.FP32),
            new Instruction.Load(1, 0, 256, 8, 8, DType.FP32),
            new Instruction.Gemm(0, 1, 2, false),
            new Instruction.Store(2, 0, 512)));

    @Test
    void aPrefetchedTileHoldsItsSramFromTheIssue() {
        // the next layer's weights (slot 3) are prefetched before the gemm that reads slot 1: both weight tiles live at once
        Program prefetching = Program.of(List.of(
                new Instruction.Load(0, 0, 0, 8, 8, DType.FP32),
                new Instruction.Load(1, 0, 256, 8, 8, DType.FP32),
                new Instruction.Prefetch(3, 0, 512, 8, 8, DType.FP32),
                new Instruction.Gemm(0, 1, 2, false),
                new Instruction.Gemm(2, 3, 0, false)));
        assertEquals(4 * 256, prefetching.footprintBytes());
        assertEquals(3, Instruction.write(prefetching.instructions().get(2)));
        assertEquals(0, Instruction.reads(prefetching.instructions().get(2)).length, "a prefetch reads no slot");
        assertThrows(IllegalArgumentException.class, () -> Program.of(List.of(new Instruction.Gemm(0, 3, 1, false),
                new Instruction.Prefetch(3, 0, 0, 8, 8, DType.FP32))), "a slot is read before its prefetch");
    }

    @Test
    void footprintIsThePeakOfTheTilesLiveAtOnce() {
        assertEquals(768, gemm.footprintBytes(), "both inputs and the product are live at the gemm");
        Program overwrite = Program.of(List.of(
                new Instruction.Load(0, 0, 0, 4, 4, DType.FP32),
                new Instruction.Load(0, 0, 0, 8, 8, DType.FP32)));
        assertEquals(256, overwrite.footprintBytes(), "an overwritten tile is gone");
        // a big tile dead before a small one is written in another slot, and the other way round
        Program oneAfterTheOther = Program.of(List.of(
                new Instruction.Load(0, 0, 0, 8, 8, DType.FP32),
                new Instruction.Store(0, 0, 0),
                new Instruction.Load(1, 0, 0, 2, 2, DType.FP32),
                new Instruction.Store(1, 0, 0),
                new Instruction.Load(0, 0, 0, 2, 2, DType.FP32),
                new Instruction.Load(1, 0, 0, 8, 8, DType.FP32),
                new Instruction.Store(1, 0, 0),
                new Instruction.Store(0, 0, 0)));
        assertEquals(256 + 16, oneAfterTheOther.footprintBytes(), "sized by slot it would be 2 x 256");
        Program kept = Program.of(List.of(
                new Instruction.Load(0, 0, 0, 8, 8, DType.FP32),
                new Instruction.Load(1, 0, 0, 8, 8, DType.FP32),
                new Instruction.Store(1, 0, 0),
                new Instruction.Store(0, 0, 0)));
        assertEquals(512, kept.footprintBytes(), "a tile read later is live in between");
    }

    @Test
    void aWriteThatMayBeSkippedDoesNotEndTheTileBeforeItAndAnAccumulationIsInPlace() {
        Program guarded = Program.of(List.of(
                new Instruction.Load(0, 0, 0, 1, 1, DType.INT32),        // the selector
                new Instruction.Load(1, 0, 0, 8, 8, DType.FP32),         // a result ...
                new Instruction.Skip(0, 1, 1),
                new Instruction.Load(1, 0, 0, 8, 8, DType.FP32),         // ... that only some paths overwrite
                new Instruction.Load(2, 0, 0, 8, 8, DType.FP32),
                new Instruction.Gemm(1, 2, 3, false)));
        assertEquals(4 * 256, guarded.footprintBytes(), "both candidates for slot 1, slot 2 and the product (the selector is dead)");
        Program accumulate = Program.of(List.of(
                new Instruction.Load(0, 0, 0, 8, 8, DType.FP32),
                new Instruction.Load(1, 0, 0, 8, 8, DType.FP32),
                new Instruction.Gemm(0, 1, 2, false),
                new Instruction.Gemm(0, 1, 2, true)));
        assertEquals(3 * 256, accumulate.footprintBytes(), "the accumulator is updated in place, not copied");
    }

    /** Temporaries of successive guarded blocks reuse one slot: each read sees its own block's tile only. */
    @Test
    void aSlotReusedBlockAfterBlockHoldsOneTileAtATime() {
        List<Instruction> code = new java.util.ArrayList<>(List.of(new Instruction.Load(0, 0, 0, 1, 1, DType.INT32)));   // the selector
        for (int block = 0; block < 10; block++) {
            code.add(new Instruction.Skip(0, block, 2));
            code.add(new Instruction.Load(1, 0, 0, 8, 8, DType.FP32));                                                    // the block's temporary
            code.add(new Instruction.Store(1, 0, 256));
        }
        assertEquals(4 + 256, Program.of(code).footprintBytes(), "the selector and one block's temporary, not ten");
    }

    @Test
    void sramCapacityIsEnforcedAtTheByte() {
        assertDoesNotThrow(() -> gemm.checkFits(768, "core(0,0)"));
        InputException e = assertThrows(InputException.class, () -> gemm.checkFits(767, "core(0,0)"));
        assertTrue(e.getMessage().startsWith("hardware.core.sramKiB"), e.getMessage());
        assertTrue(e.getMessage().contains("core(0,0) needs 768 bytes"), e.getMessage());
    }

    @Test
    void readingASlotBeforeWritingItIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Program.of(List.of(new Instruction.Send(3, 1, 0))));
        assertTrue(e.getMessage().contains("reads slot 3 before it is written"), e.getMessage());
    }

    @Test
    void gemmShapesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> Program.of(List.of(
                new Instruction.Load(0, 0, 0, 8, 4, DType.FP32),
                new Instruction.Load(1, 0, 0, 8, 4, DType.FP32),
                new Instruction.Gemm(0, 1, 2, false))));
    }
}
