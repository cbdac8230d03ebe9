package org.meshemu.workloads.linalg;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.VectorOp;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.Named;
import org.meshemu.scenario.Registry;
import org.meshemu.tensor.DType;
import org.meshemu.workloads.mesh.MeshRing;

/**
 * The registry of ways to sum the GEMV's partials along each mesh row, by the scenario name
 * {@code workload.reduction}: the {@link Reduction}s listed in
 * {@code META-INF/services/org.meshemu.workloads.linalg.GemvReductions$Reduction}. Contract: every
 * core of a row computes its partial W_ij x_j, the reduction sums them, column 0 stores the row's
 * slice of y, and the order of every floating-point sum is fixed by column (or ring) index.
 */
public final class GemvReductions {
    /** Emits one core's whole program: its partial, its part of the row's reduction, and the store if it holds y. */
    public interface Reduction extends Named {
        void emit(MeshGemv.Core core);

        /** Fails naming {@code source} and the field when the reduction cannot cut the partials of {@code rows} over height x width cores. */
        default void check(String source, int rows, int height, int width) {}
    }

    public static final Registry<Reduction> REGISTRY = Registry.of(Reduction.class, "workload.reduction");

    private GemvReductions() {}

    /** The partial W_ij x_j into slot Y, the whole block at once. */
    private static void partial(MeshGemv.Core core) {
        core.loadWeights();
        core.loadVector();
        core.emit(new Instruction.Gemm(MeshGemv.W, MeshGemv.X, MeshGemv.Y, false));
    }

    private static void receiveAndAdd(MeshGemv.Core core, int from, int tag) {
        core.emit(new Instruction.Recv(MeshGemv.PARTIAL, from, tag, core.blockRows(), 1, DType.FP32));
        core.emit(new Instruction.Elementwise(Instruction.Op.ADD, MeshGemv.Y, MeshGemv.PARTIAL, MeshGemv.Y));
    }

    /**
     * {@code tree}: MeshGEMV's reduction, a binary tree over the column index (level l: column j with
     * j mod 2^(l+1) = 2^l sends to j - 2^l), log2(width) levels of at most width/2 hops.
     */
    public static final class Tree implements Reduction {
        @Override public String name() { return "tree"; }

        @Override
        public void emit(MeshGemv.Core core) {
            partial(core);
            int j = core.column;
            boolean sent = false;
            for (int level = 0, stride = 1; stride < core.width() && !sent; level++, stride <<= 1) {
                if (j % (2 * stride) == stride) {
                    core.emit(new Instruction.Send(MeshGemv.Y, core.node - stride, level));
                    sent = true;
                } else if (j % (2 * stride) == 0 && j + stride < core.width()) {
                    receiveAndAdd(core, core.node + stride, level);
                }
            }
            if (j == 0) core.storeY(MeshGemv.Y);
        }
    }

    /**
     * {@code central}: every column sends its partial to column 0, which receives them one by one in
     * column order and adds each: width - 1 receives in series at one core, the rest idle.
     */
    public static final class Central implements Reduction {
        @Override public String name() { return "central"; }

        @Override
        public void emit(MeshGemv.Core core) {
            partial(core);
            if (core.column != 0) {
                core.emit(new Instruction.Send(MeshGemv.Y, core.endpoint(0), 0));
                return;
            }
            for (int j = 1; j < core.width(); j++) receiveAndAdd(core, core.endpoint(j), 0);
            core.storeY(MeshGemv.Y);
        }
    }

    /**
     * {@code ring}: a ring all-reduce along each row (reduce-scatter then all-gather) on the row's
     * {@link MeshRing}, so ring neighbours are at most two hops apart. The partial is cut into width
     * chunks; in step t of the reduce-scatter ring position q sends chunk q - t on and adds the chunk
     * q - t - 1 it receives to its own, so after width - 1 steps it holds chunk q + 1 summed; the
     * all-gather passes the summed chunks round in width - 1 more steps. Every core ends with the
     * row's y (an all-reduce, as a next layer on the row would need it); column 0 joins the chunks and
     * stores them. Chunk c is summed in ring order from position c.
     */
    public static final class Ring implements Reduction {
        /** The slots of the chunks, after the slots every reduction uses. */
        private static final int CHUNK = MeshGemv.PARTIAL + 1;

        @Override public String name() { return "ring"; }

        @Override
        public void check(String source, int rows, int height, int width) {
            if (rows % ((long) height * width) != 0) {
                throw new InputException(source + ": workload.rows", rows, "a multiple of the mesh height x chips x width " + (long) height * width
                        + " (the ring cuts each core's partial into one chunk per column)");
            }
        }

        @Override
        public void emit(MeshGemv.Core core) {
            partial(core);
            int p = core.width(), chunk = core.blockRows() / p;
            MeshRing ring = new MeshRing(p);
            int q = ring.logical(core.column);
            int next = core.endpoint(ring.physical(q + 1)), previous = core.endpoint(ring.physical(q - 1));
            for (int c = 0; c < p; c++) core.emit(new Instruction.Vector(new VectorOp.Slice(c * chunk, chunk), CHUNK + c, MeshGemv.Y));
            for (int t = 0; t < p - 1; t++) {
                int mine = CHUNK + Math.floorMod(q - t, p), theirs = CHUNK + Math.floorMod(q - t - 1, p);
                core.emit(new Instruction.Send(mine, next, t));
                core.emit(new Instruction.Recv(MeshGemv.PARTIAL, previous, t, chunk, 1, DType.FP32));
                core.emit(new Instruction.Elementwise(Instruction.Op.ADD, theirs, MeshGemv.PARTIAL, theirs));
            }
            for (int t = 0; t < p - 1; t++) {
                int summed = CHUNK + Math.floorMod(q + 1 - t, p), arriving = CHUNK + Math.floorMod(q - t, p);
                core.emit(new Instruction.Send(summed, next, p - 1 + t));
                core.emit(new Instruction.Recv(arriving, previous, p - 1 + t, chunk, 1, DType.FP32));
            }
            if (core.column == 0) {
                List<Integer> chunks = new ArrayList<>();
                for (int c = 0; c < p; c++) chunks.add(CHUNK + c);
                core.emit(new Instruction.Vector(new VectorOp.Concat(), chunks, MeshGemv.Y));
                core.storeY(MeshGemv.Y);
            }
        }
    }
}
