package org.meshemu.workloads.linalg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.Program;
import org.meshemu.dram.DramSpec;
import org.meshemu.noc.ChipsSpec;
import org.meshemu.noc.NocSpec;
import org.meshemu.scenario.Check;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.Scenario;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tensor;
import org.meshemu.tensor.Tile;
import org.meshemu.workloads.Inputs;
import org.meshemu.workloads.Plan;
import org.meshemu.workloads.Reference;
import org.meshemu.workloads.Workload;

/**
 * y = W x on a width x height mesh: core (j, i) holds block (i, j) of W and segment j of x in its
 * banks, computes its partial product, and the partials of each mesh row are summed by the
 * {@link GemvReductions.Reduction} that {@code workload.reduction} names (the tree, a ring
 * all-reduce, a central sum). Every reduction fixes its sums' order by column index, so the
 * floating-point result does not depend on timing. On several chips, each chip takes its own block
 * of rows.
 */
public final class MeshGemv implements Workload {

    /** The workload section: y[rows] = W[rows x cols] . x[cols]. */
    public record Spec(String reduction, int rows, int cols) {
        public Spec {
            Check.oneOf("reduction", reduction, GemvReductions.REGISTRY.names());
            Check.atLeast("rows", rows, 1);
            Check.atLeast("cols", cols, 1);
        }
    }

    /** The slots every reduction may use: W's block (or a part of it), x's segment, the partial, a received partial. */
    static final int W = 0, X = 1, Y = 2, PARTIAL = 3;

    @Override public String name() { return "gemv"; }

    /** Full payload: the matrix and the vector, once as inputs for the reference and once cut into tiles. */
    @Override
    public Footprint footprint(LoadedScenario loaded) {
        Spec spec = loaded.bindWorkload(Spec.class);
        long elements = (long) spec.rows() * spec.cols() + spec.cols() + spec.rows();
        return new Footprint("core", true, loaded.scenario().run().fullPayload() ? 2 * DType.FP32.bytes(elements) : 0);
    }

    /** One core's share of the GEMV, with the instructions and bank contents a reduction adds to it. */
    public static final class Core {
        private final Layout at;
        /** Its endpoint, mesh column and mesh row (rows over all chips). */
        public final int node, column, row;
        private final List<Instruction> code = new ArrayList<>();
        private final List<Map<Long, Tile>> banks = new ArrayList<>();
        private final List<Plan.Placed> yTiles;

        private Core(Layout at, int node, List<Plan.Placed> yTiles) {
            this.at = at;
            this.node = node;
            this.column = node % at.width;
            this.row = node / at.width;
            this.yTiles = yTiles;
            for (int b = 0; b < at.banks; b++) banks.add(new HashMap<>());
            banks.get(at.bankX).put(at.addrX, Inputs.block(at.x, 1, column * at.cb, 0, at.cb, 1, at.full));
        }

        /** The mesh width: the cores of one reduction. */
        public int width() { return at.width; }

        /** Rows of this core's block of W (its partial's length). */
        public int blockRows() { return at.rb; }

        /** The endpoint of column {@code j} of this core's mesh row. */
        public int endpoint(int j) { return row * at.width + j; }

        public void emit(Instruction in) { code.add(in); }

        /** Loads this core's block of W into slot {@link #W}. */
        public void loadWeights() {
            banks.get(at.bankW).put(at.addrW, Inputs.block(at.w, at.cols, row * at.rb, column * at.cb, at.rb, at.cb, at.full));
            emit(new Instruction.Load(W, at.bankW, at.addrW, at.rb, at.cb, DType.FP32));
        }

        /** Loads x's segment into slot {@link #X}. */
        public void loadVector() {
            emit(new Instruction.Load(X, at.bankX, at.addrX, at.cb, 1, DType.FP32));
        }

        /** Stores slot {@code slot}, this mesh row's slice of y, as part of the output. */
        public void storeY(int slot) {
            emit(new Instruction.Store(slot, at.bankY, at.addrY));
            yTiles.add(new Plan.Placed(node * at.banks + at.bankY, at.addrY, row * at.rb, 0));
        }
    }

    /** Where the blocks live: the mesh, block sizes, banks and addresses, and the inputs (null in timing mode). */
    private record Layout(int width, int rb, int cb, int cols, float[] w, float[] x, boolean full, int banks,
                          int bankW, int bankX, int bankY, long addrW, long addrX, long addrY) {}

    @Override
    public Plan plan(LoadedScenario loaded) {
        Scenario s = loaded.scenario();
        Spec spec = loaded.bindWorkload(Spec.class);
        GemvReductions.Reduction reduction = GemvReductions.REGISTRY.named(loaded.source(), spec.reduction());
        // Chips stack vertically: endpoint e = chip * nodes + y * width + x is mesh row e / width of a
        // (chips x height) x width mesh, so each chip computes its own rows and no row spans two chips.
        int width = s.hardware().get(NocSpec.class).width(), height = s.hardware().get(NocSpec.class).height() * s.hardware().get(ChipsSpec.class).count();
        if (spec.rows() % height != 0) {
            throw new InputException(loaded.source() + ": workload.rows", spec.rows(), "a multiple of the mesh height x chips " + height);
        }
        if (spec.cols() % width != 0) throw new InputException(loaded.source() + ": workload.cols", spec.cols(), "a multiple of the mesh width " + width);
        int rb = spec.rows() / height, cb = spec.cols() / width;
        reduction.check(loaded.source(), spec.rows(), height, width);
        boolean full = s.run().fullPayload();
        // timing mode draws no numbers: the tiles are shapes only and there is no reference
        float[] w = full ? Inputs.uniform(s.seed(), 0, spec.rows(), spec.cols()) : null;
        float[] x = full ? Inputs.uniform(s.seed(), 1, spec.cols(), 1) : null;
        int banks = s.hardware().get(DramSpec.class).banksPerCore();
        int bankW = 0, bankX = 1 % banks, bankY = 2 % banks;
        long addrW = 0;
        long addrX = bankX == bankW ? DType.FP32.bytes((long) rb * cb) : 0;
        long addrY = (bankY == bankW ? DType.FP32.bytes((long) rb * cb) : 0) + (bankY == bankX ? DType.FP32.bytes(cb) : 0);
        Layout layout = new Layout(width, rb, cb, spec.cols(), w, x, full, banks, bankW, bankX, bankY, addrW, addrX, addrY);

        List<Program> programs = new ArrayList<>();
        List<Map<Long, Tile>> contents = new ArrayList<>();
        List<Plan.Placed> yTiles = new ArrayList<>();
        for (int node = 0; node < width * height; node++) {
            Core core = new Core(layout, node, yTiles);
            reduction.emit(core);
            contents.addAll(core.banks);
            programs.add(Program.of(core.code));
        }
        Plan.Output out = new Plan.Output("y", new int[] {spec.rows()}, spec.rows(), 1, yTiles);
        return new Plan(programs, contents, List.of(out), full
                ? () -> List.of(Tensor.ofFloats("y", new int[] {spec.rows()}, Reference.matmul(w, x, spec.rows(), spec.cols(), 1)))
                : null);
    }
}
