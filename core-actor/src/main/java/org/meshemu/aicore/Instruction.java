package org.meshemu.aicore;

import org.meshemu.tensor.DType;

/**
 * The core's tile instruction set. Operands are SRAM buffer slots (small integers); a slot holds
 * one tile at a time. Every instruction has a fixed issue overhead; see {@link CoreTiming} for the
 * cost of each. Loads, stores and receives block the core until their data is there; sends do
 * not (the network interface takes the tile).
 */
public sealed interface Instruction {

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

    /** Elementwise operations. */
    enum Op { ADD, MUL }

    /** {@code ROWS}: sum down each column, giving 1 x cols; {@code COLS}: sum along each row, giving rows x 1. */
    enum Axis { ROWS, COLS }
}
