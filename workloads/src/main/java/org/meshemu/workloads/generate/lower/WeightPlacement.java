package org.meshemu.workloads.generate.lower;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Stored;
import org.meshemu.tensor.Tile;
import org.meshemu.workloads.generate.Graph;

import static org.meshemu.workloads.generate.lower.Lowering.LEAD;

/**
 * Where the model's constant data lives: each weight block, bias slice, embedding-table piece and
 * constant is placed once, on first use, in a bank of the core that reads it ({@link BankAllocator}),
 * and every later use finds it by its key. Without values (timing mode, or no checkpoint) the tiles
 * are shape-only.
 */
final class WeightPlacement {
    /** What was placed, one record per kind, so that two kinds never share a key. */
    private sealed interface Key {}

    /** A graph constant, on the lead core. */
    private record Constant(String name) implements Key {}

    /** Core {@code core}'s slice of the bias of weight {@code weight} (the greedy head's). */
    private record BiasSlice(String weight, int core) implements Key {}

    /** The embedding table's piece in {@code bank} of {@code core}. */
    private record TablePiece(String table, int core, int bank) implements Key {}

    /** The blocks at (row, col_i) of every matrix of a weight, stacked, as mapping {@code mapping} cuts them for {@code core}. */
    private record WeightBlocks(String weight, String mapping, int core, int row, List<Integer> cols) implements Key {}

    /** The block at (row, col) of matrix {@code matrix} of a stacked weight alone (an expert on its own cores). */
    private record MatrixBlock(String weight, int matrix, int core, int row, int col) implements Key {}

    private final BankAllocator banks;
    private final boolean full;
    private final Map<Key, BankAllocator.Block> placed = new HashMap<>();

    WeightPlacement(BankAllocator banks, boolean full) {
        this.banks = banks;
        this.full = full;
    }

    /** Constant {@code name} (n values) in a bank of the lead core. */
    BankAllocator.Block constant(String name, float[] values, int n) {
        return placed.computeIfAbsent(new Constant(name), key -> banks.put(LEAD, data(values, n, 1), false));
    }

    /** Rows [from, to) of the bias of w, in a bank of {@code core}. */
    BankAllocator.Block biasSlice(Graph.Weight w, float[] bias, int core, int from, int to) {
        return placed.computeIfAbsent(new BiasSlice(w.name(), core),
                key -> banks.put(core, data(Arrays.copyOfRange(bias, from, to), to - from, 1), false));
    }

    /**
     * For each matrix of w one after another in one bank of core, the tile stacking its rows x width blocks at
     * (row, col_i) for each {@code cols[i]}, as mapping {@code mapping} cuts them.
     */
    BankAllocator.Block blocks(int core, Graph.Weight w, String mapping, int row, int rows, int[] cols, int width) {
        return place(core, w, new WeightBlocks(w.name(), mapping, core, row, IntStream.of(cols).boxed().toList()), 0, w.count(), row, rows, cols, width);
    }

    /** The rows x cols block at (row, col) of matrix {@code matrix} of the stacked weight w alone. */
    BankAllocator.Block matrixBlock(int core, Graph.Weight w, int matrix, int row, int col, int rows, int cols) {
        return place(core, w, new MatrixBlock(w.name(), matrix, core, row, col), matrix, 1, row, rows, new int[] {col}, cols);
    }

    /**
     * Places, for each matrix of [from, from + n) of w one after another in one bank of core, the tile stacking its
     * rows x width blocks at (row, col_i) for each {@code cols[i]}; once per key.
     */
    private BankAllocator.Block place(int core, Graph.Weight w, Key key, int from, int n, int row, int rows, int[] cols, int width) {
        return placed.computeIfAbsent(key, k -> {
            BankAllocator.Block first = null;
            for (int e = from; e < from + n; e++) {
                if (full && w.stored() != null) {
                    // held as stored: a view of the weight (the mapped file) when one block, else the blocks copied compact
                    List<Stored> parts = new ArrayList<>(cols.length);
                    for (int c : cols) parts.add(w.matrix(e).block(row, rows, c, width));
                    Stored held = parts.size() == 1 ? parts.getFirst() : Stored.stack(parts);
                    BankAllocator.Block at = banks.put(core, Tile.of(w.dtype(), held, cols.length * rows, width), true, first == null ? -1 : first.bank());
                    if (first == null) first = at;
                    continue;
                }
                float[] block = null;
                if (full && w.data() != null) {
                    block = new float[cols.length * rows * width];
                    int base = e * w.rows();
                    for (int i = 0; i < cols.length; i++) {
                        for (int r = 0; r < rows; r++) {
                            System.arraycopy(w.data(), (base + row + r) * w.cols() + cols[i], block, (i * rows + r) * width, width);
                        }
                    }
                }
                BankAllocator.Block at = banks.put(core, new Tile(cols.length * rows, width, w.dtype(), block), true, first == null ? -1 : first.bank());
                if (first == null) first = at;
            }
            return first;
        });
    }

    /**
     * Columns [col, col + cols) of the table in {@code bank} of {@code core}: row t at base + t * stride, so an
     * index can address it. Without values every row is the same shape-only tile (one object, many addresses).
     */
    BankAllocator.Block tablePiece(Graph.Weight table, int core, int bank, int col, int cols) {
        return placed.computeIfAbsent(new TablePiece(table.name(), core, bank), k -> {
            boolean values = full && table.hasValues();
            Tile shapeOnly = new Tile(cols, 1, DType.FP32, null);
            return banks.putRows(core, bank, table.rows(), DType.FP32.bytes(cols), t -> {
                if (!values) return shapeOnly;
                if (table.stored() != null) return Tile.of(DType.FP32, table.matrix(0).column(t, col, cols), cols, 1); // a view of row t
                float[] v = new float[cols];
                System.arraycopy(table.data(), t * table.cols() + col, v, 0, cols);
                return new Tile(cols, 1, DType.FP32, v);
            });
        });
    }

    private Tile data(float[] values, int rows, int cols) {
        return new Tile(rows, cols, DType.FP32, full ? values : null);
    }
}
