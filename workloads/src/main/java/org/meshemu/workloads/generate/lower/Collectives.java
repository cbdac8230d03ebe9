package org.meshemu.workloads.generate.lower;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.workloads.generate.Graph;
import org.meshemu.workloads.mesh.MeshRing;

import static org.meshemu.workloads.generate.lower.Lowering.LEAD;

/**
 * The collectives the mappings use, as point-to-point sends and receives: broadcast and spread (a value to
 * a range of cores), scatter (row blocks out), gather (row blocks joined in core order) and reduce
 * (partials combined). All follow one {@link CollectiveTree} over the cores, binomial by core index within
 * each chip, then across chips, so every order (of a gather's blocks, of a reduction's sum) is fixed by
 * core index. Broadcasts and scatters of the lead's values are cached: a value already on a core is not
 * sent again.
 */
public final class Collectives {
    /** Graph value {@code value} is present on {@code core}. */
    record Resident(int core, int value) {
        /**
         * The record's own hash, 31 core + value, gives (core + 1, value - 31) the same code: with thousands of cores
         * and a model's millions of values, HashMap bins hold thousands of keys each, and planning a two-chip full-size
         * model took minutes in {@link #reg} alone. A multiplicative mix keeps neighbouring keys apart.
         */
        @Override
        public int hashCode() { return value * 0x9E3779B1 + core; }
    }

    /** Graph value {@code value} scattered by rows at the boundaries {@code bounds}. */
    private record Scattered(int value, List<Integer> bounds) {}

    private final CoreCode code;
    private final int coresPerChip;
    private final int meshWidth;
    private final Map<Resident, Integer> resident = new HashMap<>();  // -> the register holding it there
    private final Map<Scattered, int[]> scattered = new HashMap<>();  // -> each core's register of its rows

    Collectives(CoreCode code, int coresPerChip, int meshWidth) {
        this.code = code;
        this.coresPerChip = coresPerChip;
        this.meshWidth = meshWidth;
    }

    /** Cores [0, p) in the order of a ring whose neighbours are at most two mesh hops apart ({@link MeshRing#onMesh}). */
    public int[] ring(int p) { return MeshRing.onMesh(meshWidth, p); }

    /**
     * Joins the column blocks {@code part[c]} (rows [start_c, start_{c+1}) of the result, on core c) onto the
     * lead core as {@code out} up the {@link CollectiveTree}: a core receives its child's block and
     * concatenates its own (lower) block before it.
     */
    public void gather(int[] part, int[] start, int p, Graph.Val out, DType dtype) {
        gather(part, start, LEAD, p, out.id(), out.shape(), dtype);
    }

    /** {@link #gather} over cores [first, first + p) (part and start indexed from first) onto core first, as register out. */
    public void gather(int[] part, int[] start, int first, int p, int out, Shape shape, DType dtype) {
        int[] block = part.clone();
        if (p == 1) {
            if (block[0] != out) code.emit(first, new Instruction.Vector(new VectorOp.Reshape(shape.rows(), shape.cols()), out, block[0]));
            return;
        }
        CollectiveTree tree = tree(first, p);
        for (CollectiveTree.Hop h : tree.hops()) {
            int got = transfer(first + h.child(), block[h.child()], first + h.parent(), start[h.end()] - start[h.child()], shape.cols(), dtype);
            int joined = tree.completes(h) ? out : code.temp();
            code.emit(first + h.parent(), new Instruction.Vector(new VectorOp.Concat(), joined, block[h.parent()], got));
            block[h.parent()] = joined;
        }
    }

    /**
     * Sums the full-length partials {@code partial[c]} of cores [0, p) into register {@code out} of the lead core
     * up the {@link CollectiveTree}: a core adds its child's sum to its own, so the order is fixed by core index.
     */
    public void reduce(int[] partial, int p, int out, Shape shape) {
        reduce(partial, p, out, shape, (mine, child, dst) -> new Instruction.Elementwise(Instruction.Op.ADD, mine, child, dst));
    }

    /** Combines a core's value with its child's (the lower core's first) into dst. */
    @FunctionalInterface
    public interface Combine {
        Instruction of(int mine, int child, int dst);
    }

    /** {@link #reduce} with {@code combine} in place of the sum. */
    public void reduce(int[] partial, int p, int out, Shape shape, Combine combine) {
        int[] sum = partial.clone();
        CollectiveTree tree = tree(LEAD, p);
        for (CollectiveTree.Hop h : tree.hops()) {
            int got = transfer(LEAD + h.child(), sum[h.child()], LEAD + h.parent(), shape.rows(), shape.cols(), shape.dtype());
            int added = tree.completes(h) ? out : code.temp();
            code.emit(LEAD + h.parent(), combine.of(sum[h.parent()], got, added));
            sum[h.parent()] = added;
        }
    }

    /** Makes x (on the lead core) present on cores [0, p) down the {@link CollectiveTree}; cached per core. */
    public void broadcast(Graph.Val x, int p) {
        resident.putIfAbsent(new Resident(LEAD, x.id()), x.id());
        for (CollectiveTree.Hop h : tree(LEAD, p).downward()) {
            int from = LEAD + h.parent(), to = LEAD + h.child();
            if (resident.containsKey(new Resident(to, x.id()))) continue;
            transfer(from, reg(x, from), to, x.id(), x.shape());
            resident.put(new Resident(to, x.id()), x.id());
        }
    }

    /**
     * Copies register {@code root} of core {@code first} to cores [first, first + p) down the same tree,
     * without the residency cache (a copy inside a guarded block may not run); returns each core's register
     * (indexed from first: {@code root} on first itself).
     */
    public int[] spread(int root, Shape shape, int first, int p) {
        int[] reg = new int[p];
        reg[0] = root;
        int copy = code.temp();
        for (CollectiveTree.Hop h : tree(first, p).downward()) {
            reg[h.child()] = transfer(first + h.parent(), reg[h.parent()], first + h.child(), copy, shape);
        }
        return reg;
    }

    /**
     * Rows [start_c, start_{c+1}) of x on each core c of [0, p) (x on the lead core; a matrix is split by rows,
     * all its columns kept), down the {@link CollectiveTree}: a core holding the rows of positions [c, e)
     * slices off its child's subtree [child, end) and sends it, so the lead sends one message per level.
     * Returns each core's register; cached per (x, split).
     */
    public int[] scatter(Graph.Val x, int[] start, int p) {
        if (p == 1) return new int[] {x.id()};
        return scattered.computeIfAbsent(new Scattered(x.id(), IntStream.of(start).boxed().toList()), key -> {
            int[] held = new int[p];        // register of the block a core holds; it starts at the core's own rows
            int[] heldRows = new int[p];
            held[0] = x.id();
            heldRows[0] = x.shape().rows();
            for (CollectiveTree.Hop h : tree(LEAD, p).downward()) {
                int from = LEAD + h.parent(), rows = start[h.end()] - start[h.child()];
                int upper = code.temp();
                code.emit(from, new Instruction.Vector(new VectorOp.Slice(start[h.child()] - start[h.parent()], rows), upper, held[h.parent()]));
                held[h.child()] = transfer(from, upper, LEAD + h.child(), rows, x.shape().cols(), x.shape().dtype());
                heldRows[h.child()] = rows;
            }
            for (int c = 0; c < p; c++) {
                int own = start[c + 1] - start[c];
                if (heldRows[c] == own) continue;
                int mine = code.temp();
                code.emit(LEAD + c, new Instruction.Vector(new VectorOp.Slice(0, own), mine, held[c]));
                held[c] = mine;
            }
            return held;
        });
    }

    /** The collectives' tree over cores [first, first + p), hierarchical across chips. */
    private CollectiveTree tree(int first, int p) {
        return CollectiveTree.over(first, p, coresPerChip);
    }

    /** Sends register {@code reg} of core {@code from} to core {@code to}, received there as a new register (returned). */
    public int transfer(int from, int reg, int to, int rows, int cols, DType dtype) {
        int got = code.temp();
        transfer(from, reg, to, got, new Shape(rows, cols, dtype));
        return got;
    }

    /** Sends register {@code reg} of core {@code from} to core {@code to}, received there into register {@code into}. */
    private int transfer(int from, int reg, int to, int into, Shape shape) {
        int tag = code.tag();
        code.emit(from, new Instruction.Send(reg, to, tag));
        code.emit(to, new Instruction.Recv(into, from, tag, shape.rows(), shape.cols(), shape.dtype()));
        return into;
    }

    /** The register of x on {@code core} (after {@link #broadcast}). */
    public int reg(Graph.Val x, int core) {
        Integer r = resident.get(new Resident(core, x.id()));
        if (r == null && core == LEAD) return x.id();
        if (r == null) throw new IllegalStateException("value " + x + " is not on core " + core);
        return r;
    }
}
