package org.meshemu.workloads.generate.lower;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntBinaryOperator;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.workloads.generate.Graph;
import org.meshemu.workloads.generate.TernaryProducts;

/**
 * Weight times activations on one core: the weight's blocks loaded from the core's banks (placed there on
 * first use by {@link WeightPlacement}) through SRAM in tiles of at most {@link #TILE_BYTES}, multiplied by
 * an fp32 gemm, or for ternary weights by the scenario's {@link TernaryProducts} way.
 */
public final class MatrixProducts {
    /** The largest weight tile one load brings into SRAM (a quarter of a 512 KiB core's). */
    static final long TILE_BYTES = 128 * 1024;

    private final CoreCode code;
    private final Collectives collectives;
    private final WeightPlacement placement;
    private final TernaryProducts.Product ternary;

    MatrixProducts(CoreCode code, Collectives collectives, WeightPlacement placement, TernaryProducts.Product ternary) {
        this.code = code;
        this.collectives = collectives;
        this.placement = placement;
        this.ternary = ternary;
    }

    /**
     * Emits on {@code core} out := B x for the rows x cols block B at (row, col) of the projection's weight and x
     * [cols, T] in register x, B loaded in pieces of whole rows of at most {@link #TILE_BYTES} (SRAM holds tiles,
     * not whole weight slices) whose results are joined in row order: each output row is one dot product, so the
     * bits are the whole block's. {@code how}: the mapping's name (blocks are placed per mapping).
     */
    public void blockTimes(int core, Graph.MatVec node, String how, int row, int col, int rows, int cols, int x, int out) {
        inPieces(core, node.w(), rows, cols, x, out, (r, n) -> loadWeightBlocks(core, node, how, row + r, n, new int[] {col}, cols));
    }

    /** {@link #blockTimes} for rows [row, row + rows) of matrix {@code matrix} of a stacked weight alone (an expert on its own cores). */
    public void matrixTimes(int core, Graph.Weight w, int matrix, int row, int rows, int x, int out) {
        inPieces(core, w, rows, w.cols(), x, out, (r, n) -> loadMatrix(core, w, matrix, row + r, 0, n, w.cols()));
    }

    /**
     * Copies rows [row, row + rows) of matrix {@code matrix} of the stacked weight w from core {@code from}'s banks
     * to core {@code to}'s, in the pieces {@link #matrixTimes} loads: {@code from} loads and sends each piece,
     * {@code to} receives it and stores it where its own {@link #matrixTimes} will load it (the same bits: a replica
     * of an expert). Emits every send before any receive of the copy. Returns the bytes copied.
     */
    public long copyRows(int from, int to, Graph.Weight w, int matrix, int row, int rows) {
        int piece = (int) Math.max(1, TILE_BYTES / w.dtype().bytes(w.cols()));
        List<int[]> pieces = new ArrayList<>();                                              // {first row, rows, tag}
        for (int r = 0; r < rows; r += piece) pieces.add(new int[] {row + r, Math.min(piece, rows - r), code.tag()});
        for (int[] p : pieces) code.emit(from, new Instruction.Send(loadMatrix(from, w, matrix, p[0], 0, p[1], w.cols()), to, p[2]));
        long bytes = 0;
        for (int[] p : pieces) {
            int reg = code.temp();
            code.emit(to, new Instruction.Recv(reg, from, p[2], p[1], w.cols(), w.dtype()));
            BankAllocator.Block b = placement.matrixBlock(to, w, matrix, p[0], 0, p[1], w.cols());
            code.emit(to, new Instruction.Store(reg, b.bank(), b.address()));
            bytes += w.dtype().bytes((long) p[1] * w.cols());
        }
        return bytes;
    }

    /** {@code load} (first row, rows) emits the load of a piece of the block and returns its register. */
    private void inPieces(int core, Graph.Weight w, int rows, int cols, int x, int out, IntBinaryOperator load) {
        int piece = (int) Math.max(1, TILE_BYTES / w.dtype().bytes(cols));
        if (piece >= rows) {
            product(core, w, load.applyAsInt(0, rows), x, out);
            return;
        }
        List<Integer> parts = new ArrayList<>();
        for (int r = 0; r < rows; r += piece) {
            int y = code.temp();
            product(core, w, load.applyAsInt(r, Math.min(piece, rows - r)), x, y);
            parts.add(y);
        }
        code.emit(core, new Instruction.Vector(new VectorOp.Concat(), parts, out));
    }

    /**
     * Emits on {@code core} the load of the rows x width blocks at (row, col_i) of the projection's weight for each
     * {@code cols[i]}, stacked into one tile [n rows, width] (block i at rows [i rows, (i + 1) rows), a
     * {@link VectorOp.Slice} away): several blocks a core multiplies one by one cost one bank access, not one each.
     * Returns its register. For a stacked weight the blocks of all its matrices are placed one after another and the
     * load picks one by the run-time index (which the mapping has made present on the core).
     */
    public int loadWeightBlocks(int core, Graph.MatVec node, String how, int row, int rows, int[] cols, int width) {
        Graph.Weight w = node.w();
        BankAllocator.Block b = placement.blocks(core, w, how, row, rows, cols, width);
        int reg = code.temp(), stacked = rows * cols.length;
        if (node.select() == null) {
            code.emit(core, new Instruction.Load(reg, b.bank(), b.address(), stacked, width, w.dtype()));
        } else {
            code.emit(core, new Instruction.LoadIndexed(reg, b.bank(), b.address(), w.dtype().bytes((long) stacked * width), w.count(),
                    collectives.reg(node.select(), core), stacked, width, w.dtype()));
        }
        return reg;
    }

    /**
     * Emits on {@code core} the load of the rows x cols block at (row, col) of matrix {@code matrix} of the stacked
     * weight w alone (an expert living on its own core group) and returns its register; placed on first use.
     */
    private int loadMatrix(int core, Graph.Weight w, int matrix, int row, int col, int rows, int cols) {
        BankAllocator.Block b = placement.matrixBlock(core, w, matrix, row, col, rows, cols);
        int reg = code.temp();
        code.emit(core, new Instruction.Load(reg, b.bank(), b.address(), rows, cols, w.dtype()));
        return reg;
    }

    /** Emits y := W x on {@code core}: an fp32 gemm, or the scenario's ternary product for ternary weights. */
    public void product(int core, Graph.Weight w, int wReg, int xReg, int out) {
        if (w.dtype() == DType.TERNARY) ternary.emit(code, core, wReg, xReg, out);
        else code.emit(core, new Instruction.Gemm(wReg, xReg, out, false));
    }

    /**
     * Emits acc := acc + W x on {@code core}: an accumulating gemm (the sum continues from acc in k order), or for
     * ternary weights the scenario's product into a temporary added to acc (int32, exact).
     */
    public void accumulateProduct(int core, Graph.Weight w, int wReg, int xReg, int acc) {
        if (w.dtype() == DType.TERNARY) {
            int term = code.temp();
            ternary.emit(code, core, wReg, xReg, term);
            code.emit(core, new Instruction.Elementwise(Instruction.Op.ADD, acc, term, acc));
        } else {
            code.emit(core, new Instruction.Gemm(wReg, xReg, acc, true));
        }
    }
}
