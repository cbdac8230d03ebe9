package org.meshemu.aicore;

import org.meshemu.tensor.DType;

/**
 * The core's tile instruction set. Operands are SRAM buffer slots (small integers); a slot holds
 * one tile at a time. Every instruction has a fixed issue overhead; see {@link CoreTiming} for the
 * cost of each. Loads, stores and receives block the core until their data is there; sends do
 * not (the network interface takes the tile), nor do prefetches (a transfer the core's DMA runs).
 */
public sealed interface Instruction {

    /**
     * Starts reading the rows x cols tile at {@code address} of bank {@code bank} into slot {@code dst}
     * and goes on without waiting: a DMA transfer that overlaps what follows. The core has one memory
     * transfer in flight: until the tile is in, a later memory instruction (load, store, prefetch) or one
     * that reads or writes {@code dst} waits for it.
     */
    record Prefetch(int dst, int bank, long address, int rows, int cols, DType dtype) implements Instruction {}

    /** The slots {@code in} reads (an accumulating gemm reads its accumulator). */
    static int[] reads(Instruction in) {
        return switch (in) {
            case Load l -> new int[0];
            case Prefetch p -> new int[0];
            case LoadIndexed l -> new int[] {l.index()};
            case Store s -> new int[] {s.src()};
            case Send s -> new int[] {s.src()};
            case Recv r -> new int[0];
            case Gemm g -> g.accumulate() ? new int[] {g.a(), g.b(), g.c()} : new int[] {g.a(), g.b()};
            case Elementwise e -> new int[] {e.a(), e.b()};
            case Reduce r -> new int[] {r.src()};
            case Vector v -> {
                int[] r = new int[v.srcs().size()];
                for (int i = 0; i < r.length; i++) r[i] = v.srcs().get(i);
                yield r;
            }
            case LutGemm g -> new int[] {g.w(), g.x()};
            case Mark m -> new int[0];
            case Count c -> new int[0];
            case Skip k -> new int[] {k.index()};
        };
    }

    /** The slot {@code in} writes, or -1. */
    static int write(Instruction in) {
        return switch (in) {
            case Load l -> l.dst();
            case Prefetch p -> p.dst();
            case LoadIndexed l -> l.dst();
            case Store s -> -1;
            case Send s -> -1;
            case Recv r -> r.dst();
            case Gemm g -> g.c();
            case Elementwise e -> e.dst();
            case Reduce r -> r.dst();
            case Vector v -> v.dst();
            case LutGemm g -> g.c();
            case Mark m -> -1;
            case Count c -> -1;
            case Skip k -> -1;
        };
    }

    /** slot {@code dst} := the rows x cols tile at {@code address} of the core's bank {@code bank}. */
    record Load(int dst, int bank, long address, int rows, int cols, DType dtype) implements Instruction {}

    /** Writes slot {@code src} to {@code address} of bank {@code bank}; completes when the bank acknowledges. */
    record Store(int src, int bank, long address) implements Instruction {}

    /** Sends slot {@code src} to core {@code destination} over the NoC, tagged {@code tag}. */
    record Send(int src, int destination, int tag) implements Instruction {}

    /** Waits for the rows x cols tile tagged {@code tag} from core {@code source}, into slot {@code dst}. */
    record Recv(int dst, int source, int tag, int rows, int cols, DType dtype) implements Instruction {}

    /** slot c := (accumulate ? c : 0) + a . b, an fp32 matrix product on the matrix unit. */
    record Gemm(int a, int b, int c, boolean accumulate) implements Instruction {}

    /** slot dst := a (op) b element by element, on the vector unit. */
    record Elementwise(Op op, int a, int b, int dst) implements Instruction {}

    /** slot dst := the sum of slot src over {@code axis}, on the vector unit. */
    record Reduce(int src, int dst, Axis axis) implements Instruction {}

    /** slot dst := {@code op} of the input slots, on the vector unit (norms, activations, rotations, attention, a workload's fused operators, ...). */
    record Vector(VectorOp op, java.util.List<Integer> srcs, int dst) implements Instruction {
        public Vector {
            srcs = java.util.List.copyOf(srcs);
            if (op.arity() >= 0 ? srcs.size() != op.arity() : srcs.isEmpty()) {
                throw new IllegalArgumentException(op + " takes " + op.arity() + " inputs, got " + srcs);
            }
        }

        public Vector(VectorOp op, int dst, Integer... srcs) {
            this(op, java.util.List.of(srcs), dst);
        }
    }

    /**
     * slot c := w . x with ternary weights w [m x k] (values -1, 0, 1) and int8 activations x [k x n],
     * accumulated exactly in int32 (BitNet's LUT-GEMM); the result [m x n] is an int32 tile.
     */
    record LutGemm(int w, int x, int c) implements Instruction {}

    /**
     * slot dst := the tile at {@code base + i * stride} of bank {@code bank}, where i is the index in the
     * 1 x 1 slot {@code index} (0 <= i < count): a data-dependent address in a static program (the next
     * token's embedding row, a chosen expert's weights). In timing mode the slot holds no number and i
     * comes from the core's seeded random stream (a seeded trace).
     */
    record LoadIndexed(int dst, int bank, long base, long stride, int count, int index, int rows, int cols, DType dtype)
            implements Instruction {}

    /**
     * Skips the next {@code count} instructions unless the 1 x 1 slot {@code index} holds {@code value}: a
     * forward-only predicated block, so a static program can take part in data-dependent work (the group
     * of cores holding a routed expert computes, every other group passes over the same code). The
     * index is a value computed or drawn earlier (in timing mode the seeded decision), never timing.
     */
    record Skip(int index, int value, int count) implements Instruction {
        public Skip {
            if (count < 1) throw new IllegalArgumentException("skip of " + count + " instructions: must be >= 1");
        }
    }

    /**
     * Costs nothing; records the simulated time in the core's report: counter {@code at:label} the time
     * it executed and {@code span:label} the sum of times since the previous mark (the critical-path time
     * of what came between), which the workload turns into TTFT and the per-operator breakdown.
     */
    record Mark(String label) implements Instruction {}

    /**
     * Costs nothing; adds 1 to the core's report counter {@code count:label}: how often a guarded block ran
     * (tokens an expert processed), for a workload's report section.
     */
    record Count(String label) implements Instruction {}

    /** Elementwise operations. */
    enum Op { ADD, MUL }

    /** {@code ROWS}: sum down each column, giving 1 x cols; {@code COLS}: sum along each row, giving rows x 1. */
    enum Axis { ROWS, COLS }
}
