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
 * banks, computes its partial product, and the partials of each mesh row are summed by a binary
 * tree over the column index (level l: column j with j mod 2^(l+1) = 2^l sends to j - 2^l). The
 * tree is fixed by column, so the floating-point sum does not depend on placement. Column 0 stores
 * the row's slice of y. On several chips, each chip takes its own block of rows.
 */
public final class TreeGemv implements Workload {

    /** The workload section: y[rows] = W[rows x cols] . x[cols]. */
    public record Spec(String reduction, int rows, int cols) {
        public Spec {
            Check.oneOf("reduction", reduction, List.of("tree"));
            Check.atLeast("rows", rows, 1);
            Check.atLeast("cols", cols, 1);
        }
    }

    static final int W = 0, X = 1, Y = 2, PARTIAL = 3;

    @Override public String name() { return "gemv"; }

    /** Full payload: the matrix and the vector, once as inputs for the reference and once cut into tiles. */
    @Override
    public Footprint footprint(LoadedScenario loaded) {
        Spec spec = loaded.bindWorkload(Spec.class);
        long elements = (long) spec.rows() * spec.cols() + spec.cols() + spec.rows();
        return new Footprint("core", true, loaded.scenario().run().fullPayload() ? 2 * DType.FP32.bytes(elements) : 0);
    }

    @Override
    public Plan plan(LoadedScenario loaded) {
        Scenario s = loaded.scenario();
        Spec spec = loaded.bindWorkload(Spec.class);
        // Chips stack vertically: endpoint e = chip * nodes + y * width + x is mesh row e / width of a
        // (chips x height) x width mesh, so each chip computes its own rows and no row spans two chips.
        int width = s.hardware().get(NocSpec.class).width(), height = s.hardware().get(NocSpec.class).height() * s.hardware().get(ChipsSpec.class).count();
        if (spec.rows() % height != 0) {
            throw new InputException(loaded.source() + ": workload.rows", spec.rows(), "a multiple of the mesh height x chips " + height);
        }
        if (spec.cols() % width != 0) throw new InputException(loaded.source() + ": workload.cols", spec.cols(), "a multiple of the mesh width " + width);
        int rb = spec.rows() / height, cb = spec.cols() / width;
        boolean full = s.run().fullPayload();
        // timing mode draws no numbers: the tiles are shapes only and there is no reference
        float[] w = full ? Inputs.uniform(s.seed(), 0, spec.rows(), spec.cols()) : null;
        float[] x = full ? Inputs.uniform(s.seed(), 1, spec.cols(), 1) : null;
        int banks = s.hardware().get(DramSpec.class).banksPerCore();
        int bankW = 0, bankX = 1 % banks, bankY = 2 % banks;
        long addrW = 0;
        long addrX = bankX == bankW ? DType.FP32.bytes((long) rb * cb) : 0;
        long addrY = (bankY == bankW ? DType.FP32.bytes((long) rb * cb) : 0) + (bankY == bankX ? DType.FP32.bytes(cb) : 0);

        List<Program> programs = new ArrayList<>();
        List<Map<Long, Tile>> contents = new ArrayList<>();
        List<Plan.Placed> yTiles = new ArrayList<>();
        for (int node = 0; node < width * height; node++) {
            int j = node % width, i = node / width;
            List<Map<Long, Tile>> mine = new ArrayList<>();
            for (int b = 0; b < banks; b++) mine.add(new HashMap<>());
            mine.get(bankW).put(addrW, Inputs.block(w, spec.cols(), i * rb, j * cb, rb, cb, full));
            mine.get(bankX).put(addrX, Inputs.block(x, 1, j * cb, 0, cb, 1, full));
            contents.addAll(mine);

            List<Instruction> code = new ArrayList<>();
            code.add(new Instruction.Load(W, bankW, addrW, rb, cb, DType.FP32));
            code.add(new Instruction.Load(X, bankX, addrX, cb, 1, DType.FP32));
            code.add(new Instruction.Gemm(W, X, Y, false));
            boolean sent = false;
            for (int level = 0, stride = 1; stride < width && !sent; level++, stride <<= 1) {
                if (j % (2 * stride) == stride) {
                    code.add(new Instruction.Send(Y, node - stride, level));
                    sent = true;
                } else if (j % (2 * stride) == 0 && j + stride < width) {
                    code.add(new Instruction.Recv(PARTIAL, node + stride, level, rb, 1, DType.FP32));
                    code.add(new Instruction.Elementwise(Instruction.Op.ADD, Y, PARTIAL, Y));
                }
            }
            if (j == 0) {
                code.add(new Instruction.Store(Y, bankY, addrY));
                yTiles.add(new Plan.Placed(node * banks + bankY, addrY, i * rb, 0));
            }
            programs.add(Program.of(code));
        }
        Plan.Output out = new Plan.Output("y", new int[] {spec.rows()}, spec.rows(), 1, yTiles);
        return new Plan(programs, contents, List.of(out), full
                ? () -> List.of(Tensor.ofFloats("y", new int[] {spec.rows()}, Reference.matmul(w, x, spec.rows(), spec.cols(), 1)))
                : null);
    }
}
