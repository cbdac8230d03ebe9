package org.meshemu.workloads.generate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.Program;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;
import org.meshemu.workloads.Plan;
import org.meshemu.workloads.mesh.MeshRing;

/**
 * Turns a {@link Graph} into one static tile program per core. Core 0 is the lead core: it holds the
 * constants and the token outputs in its banks, runs the per-token vector-unit operators, and after
 * each operator marks the time (the breakdown). Projections are spread over the cores by the
 * {@link MatVecMapping}, mixtures of experts by the {@link ExpertPlacement}, sequence mixing
 * (retention, attention) by head groups with each group's state in its own core's banks
 * ({@link SequenceMixing}), the greedy LM head with its logits left on the cores ({@link #greedy}).
 * They use the collectives here (broadcast, spread, scatter, gather and reduction, all along one
 * {@link CollectiveTree}: binomial by core index within each chip, then across chips; blocks guarded by
 * a run-time selector) and place weight blocks in the cores' banks, streamed through SRAM in tiles of
 * at most {@link #TILE_BYTES}.
 *
 * <p>Contract: every value is a virtual register (a graph value's id, or a temporary); the
 * {@link SlotAllocator} maps registers to SRAM slots at the end. Each message has its own tag.
 * Weight blocks are placed once per (weight, mapping, core, block) and reused by every block;
 * each goes to the core's bank with the fewest bytes so far, at that bank's next free address.
 */
public final class Lowering {
    static final int LEAD = 0;
    /** Cores whose banks share the embedding table (see {@link #embed}). */
    static final int TABLE_CORES = 4;
    private static final int TEMPS = 1 << 24;
    /** The largest weight tile one load brings into SRAM (a quarter of a 512 KiB core's). */
    static final long TILE_BYTES = 128 * 1024;

    /** Where a block lives: bank index within its core and address. */
    record Block(int bank, long address) {}

    private final int cores;
    private final int coresPerChip;
    private final int meshWidth;
    private final int banksPerCore;
    private final boolean full;
    private final MatVecMapping mapping;
    private final ExpertPlacement experts;
    private final TernaryProducts.Product ternary;
    private final List<List<Instruction>> code = new ArrayList<>();
    private final List<Map<Long, Tile>> banks = new ArrayList<>();
    private final long[] bankBytes;
    private final long[] weightBytes;
    private final Map<String, Block> placed = new HashMap<>();
    private final Map<String, Integer> resident = new HashMap<>(); // "core:val" -> register
    private final Map<String, int[]> scattered = new HashMap<>();  // "val:split" -> each core's rows of it
    private final SequenceMixing mixing = new SequenceMixing(this);
    private final Map<String, List<Plan.Placed>> outputs = new HashMap<>();
    private int nextTemp = TEMPS;
    private int nextTag = 1;

    /**
     * {@code cores}: all cores of the system, numbered chip-major with {@code coresPerChip} to a chip (the
     * collectives go hierarchically across chips); {@code meshWidth}: nodes per mesh row (core c at x = c mod
     * width, y = c / width), for collectives laid out along the mesh; {@code bitLinear}: how ternary weights are
     * multiplied, a {@link TernaryProducts} name.
     */
    public Lowering(int cores, int coresPerChip, int meshWidth, int banksPerCore, boolean full, MatVecMapping mapping, ExpertPlacement experts,
                    String bitLinear) {
        this.experts = experts;
        this.ternary = TernaryProducts.named(bitLinear);
        this.cores = cores;
        this.coresPerChip = coresPerChip;
        this.meshWidth = meshWidth;
        this.banksPerCore = banksPerCore;
        this.full = full;
        this.mapping = mapping;
        for (int c = 0; c < cores; c++) code.add(new ArrayList<>());
        for (int b = 0; b < cores * banksPerCore; b++) banks.add(new HashMap<>());
        bankBytes = new long[cores * banksPerCore];
        weightBytes = new long[cores * banksPerCore];
    }

    int cores() { return cores; }

    int coresPerChip() { return coresPerChip; }

    int temp() { return nextTemp++; }

    /** Cores [0, p) in the order of a ring whose neighbours are at most two mesh hops apart ({@link MeshRing#onMesh}). */
    int[] ring(int p) { return MeshRing.onMesh(meshWidth, p); }

    int tag() { return nextTag++; }

    void emit(int core, Instruction in) { code.get(core).add(in); }

    /** Lowers every node of the graph, in order. */
    public void lower(Graph g) {
        for (Graph.Node n : g.nodes()) lower(n);
    }

    private void lower(Graph.Node node) {
        lowerUnmarked(node);
        mark(node.layer(), node.op());
    }

    /**
     * Lowers the operators a composite node stands for, marking each but the last, which is the composite
     * node's own stage (same layer and op) and gets its mark from the caller.
     */
    void lowerParts(List<Graph.Node> parts) {
        for (int i = 0; i < parts.size() - 1; i++) lower(parts.get(i));
        lowerUnmarked(parts.getLast());
    }

    /** The lead core's time mark "layer/op" (the breakdown). */
    void mark(String layer, String op) {
        emit(LEAD, new Instruction.Mark(layer + "/" + op));
    }

    /** A value only the lowering knows (the intermediate of a composite node), named by a temporary register. */
    Graph.Val fresh(Shape shape) {
        return new Graph.Val(temp(), shape);
    }

    private void lowerUnmarked(Graph.Node node) {
        switch (node) {
            case Graph.Embed e -> embed(e);
            case Graph.Constant k -> {
                int n = k.out().length();
                Block b = placed.computeIfAbsent("const:" + k.name(), key -> put(LEAD, data(k.data(), n, 1), false));
                emit(LEAD, new Instruction.Load(k.out().id(), b.bank(), b.address(), n, 1, DType.FP32));
            }
            case Graph.MatVec m -> mapping.lower(this, m);
            case Graph.Experts x -> experts.lower(this, x);
            case Graph.Vector v -> emit(LEAD, new Instruction.Vector(v.vector(), v.in().stream().map(Graph.Val::id).toList(), v.out().id()));
            case Graph.Elementwise e -> emit(LEAD, new Instruction.Elementwise(e.kind(), e.a().id(), e.b().id(), e.out().id()));
            case Graph.Mix m -> mixing.lower(m);
            case Graph.Greedy h -> greedy(h);
            case Graph.Output o -> {
                Shape sh = o.value().shape();
                Block b = reserve(LEAD, sh.bytes());
                int row = temp();
                emit(LEAD, new Instruction.Vector(new VectorOp.Reshape(1, sh.elements()), row, o.value().id()));
                emit(LEAD, new Instruction.Store(row, b.bank(), b.address()));
                outputs.computeIfAbsent(o.name(), k -> new ArrayList<>()).add(new Plan.Placed(LEAD * banksPerCore + b.bank(), b.address(), o.row(), 0));
            }
            case Graph.Mark m -> { }
        }
    }

    /**
     * The greedy head with its logits left where they are computed: W's rows split over the cores as row-split does,
     * x broadcast; each core adds its slice of the bias, stores its logits as its columns of the output row in its
     * own bank and finds its first maximum ([max, index] pair); the pairs are merged up the collective tree in
     * index order, so the token is the first maximum of all, and only 8 bytes per core cross the mesh.
     */
    private void greedy(Graph.Greedy n) {
        Graph.Weight w = n.w();
        int p = Math.min(cores, w.rows());
        int[] start = split(w.rows(), p);
        broadcast(n.x(), p);
        Graph.MatVec product = new Graph.MatVec(n.layer(), n.op(), fresh(Shape.vector(w.rows())), w, n.x(), null);
        int[] best = new int[p];
        for (int c = 0; c < p; c++) {
            int core = c, rows = start[c + 1] - start[c];
            int y = temp();
            blockTimes(c, product, "greedy", start[c], 0, rows, w.cols(), reg(n.x(), c), y);
            if (n.bias() != null) {
                Block b = placed.computeIfAbsent("bias:" + w.name() + "@" + c,
                        k -> put(core, data(java.util.Arrays.copyOfRange(n.bias(), start[core], start[core + 1]), rows, 1), false));
                int bias = temp(), sum = temp();
                emit(c, new Instruction.Load(bias, b.bank(), b.address(), rows, 1, DType.FP32));
                emit(c, new Instruction.Elementwise(Instruction.Op.ADD, y, bias, sum));
                y = sum;
            }
            int row = temp();
            emit(c, new Instruction.Vector(new VectorOp.Reshape(1, rows), row, y));
            Block at = reserve(c, DType.FP32.bytes(rows));
            emit(c, new Instruction.Store(row, at.bank(), at.address()));
            outputs.computeIfAbsent(n.logits(), k -> new ArrayList<>()).add(new Plan.Placed(c * banksPerCore + at.bank(), at.address(), n.row(), start[c]));
            best[c] = temp();
            emit(c, new Instruction.Vector(new VectorOp.ArgmaxPart(start[c]), best[c], y));
        }
        int pair = p == 1 ? best[0] : temp();
        reduce(best, p, pair, new Shape(2, 1, DType.FP32), (mine, child, dst) -> new Instruction.Vector(new VectorOp.ArgmaxMerge(), dst, mine, child));
        emit(LEAD, new Instruction.Vector(new VectorOp.ArgmaxIndex(w.rows()), n.token().id(), pair));
    }

    /**
     * The embedding row: the table is split by columns into one piece per bank of the first
     * {@link #TABLE_CORES} cores (a full-size table, 0.5-1.3 GB in fp32, is far more than one 256 MiB
     * stacked bank holds); piece k is on core k / banksPerCore, row t at base + t * stride of the piece.
     * Each core loads its pieces of the row (by the fixed token, or by the index broadcast to it),
     * joins them in column order, and the gather joins the cores' parts on the lead core.
     */
    private void embed(Graph.Embed e) {
        Graph.Weight table = e.table();
        int q = Math.min(Math.min(cores, TABLE_CORES), Math.ceilDiv(table.cols(), banksPerCore));
        int pieces = Math.min(q * banksPerCore, table.cols());
        int[] col = split(table.cols(), pieces);
        if (e.index() != null) broadcast(e.index(), q);
        int[] part = new int[q];
        int[] first = new int[q + 1];
        for (int c = 0; c < q; c++) {
            first[c] = col[Math.min(c * banksPerCore, pieces)];
            first[c + 1] = col[Math.min((c + 1) * banksPerCore, pieces)];
            Integer joined = null;
            for (int k = c * banksPerCore; k < Math.min((c + 1) * banksPerCore, pieces); k++) {
                int cols = col[k + 1] - col[k];
                Block b = placeTable(table, c, k % banksPerCore, col[k], cols);
                long stride = DType.FP32.bytes(cols);
                int r = temp();
                if (e.index() == null) {
                    emit(c, new Instruction.Load(r, b.bank(), b.address() + e.token() * stride, cols, 1, DType.FP32));
                } else {
                    emit(c, new Instruction.LoadIndexed(r, b.bank(), b.address(), stride, table.rows(), reg(e.index(), c), cols, 1, DType.FP32));
                }
                if (joined != null) {
                    int j = temp();
                    emit(c, new Instruction.Vector(new VectorOp.Concat(), j, joined, r));
                    r = j;
                }
                joined = r;
            }
            part[c] = joined;
        }
        gather(part, first, q, e.out(), DType.FP32);
    }

    /**
     * Joins the column blocks {@code part[c]} (rows [start_c, start_{c+1}) of the result, on core c) onto the
     * lead core as {@code out} up the {@link CollectiveTree}: a core receives its child's block and
     * concatenates its own (lower) block before it.
     */
    void gather(int[] part, int[] start, int p, Graph.Val out, DType dtype) {
        gather(part, start, LEAD, p, out.id(), out.shape(), dtype);
    }

    /** {@link #gather} over cores [first, first + p) (part and start indexed from first) onto core first, as register out. */
    void gather(int[] part, int[] start, int first, int p, int out, Shape shape, DType dtype) {
        int[] block = part.clone();
        if (p == 1) {
            if (block[0] != out) emit(first, new Instruction.Vector(new VectorOp.Reshape(shape.rows(), shape.cols()), out, block[0]));
            return;
        }
        CollectiveTree tree = tree(first, p);
        for (CollectiveTree.Hop h : tree.hops()) {
            int got = transfer(first + h.child(), block[h.child()], first + h.parent(), start[h.end()] - start[h.child()], shape.cols(), dtype);
            int joined = tree.completes(h) ? out : temp();
            emit(first + h.parent(), new Instruction.Vector(new VectorOp.Concat(), joined, block[h.parent()], got));
            block[h.parent()] = joined;
        }
    }

    /**
     * Sums the full-length partials {@code partial[c]} of cores [0, p) into register {@code out} of the lead core
     * up the {@link CollectiveTree}: a core adds its child's sum to its own, so the order is fixed by core index.
     */
    void reduce(int[] partial, int p, int out, Shape shape) {
        reduce(partial, p, out, shape, (mine, child, dst) -> new Instruction.Elementwise(Instruction.Op.ADD, mine, child, dst));
    }

    /** Combines a core's value with its child's (the lower core's first) into dst. */
    @FunctionalInterface
    interface Combine {
        Instruction of(int mine, int child, int dst);
    }

    /** {@link #reduce} with {@code combine} in place of the sum. */
    void reduce(int[] partial, int p, int out, Shape shape, Combine combine) {
        int[] sum = partial.clone();
        CollectiveTree tree = tree(LEAD, p);
        for (CollectiveTree.Hop h : tree.hops()) {
            int got = transfer(LEAD + h.child(), sum[h.child()], LEAD + h.parent(), shape.rows(), shape.cols(), shape.dtype());
            int added = tree.completes(h) ? out : temp();
            emit(LEAD + h.parent(), combine.of(sum[h.parent()], got, added));
            sum[h.parent()] = added;
        }
    }

    /** Makes x (on the lead core) present on cores [0, p) down the {@link CollectiveTree}; cached per core. */
    void broadcast(Graph.Val x, int p) {
        resident.putIfAbsent(LEAD + ":" + x.id(), x.id());
        for (CollectiveTree.Hop h : tree(LEAD, p).downward()) {
            int from = LEAD + h.parent(), to = LEAD + h.child();
            if (resident.containsKey(to + ":" + x.id())) continue;
            transfer(from, reg(x, from), to, x.id(), x.shape());
            resident.put(to + ":" + x.id(), x.id());
        }
    }

    /**
     * Copies register {@code root} of core {@code first} to cores [first, first + p) down the same tree,
     * without the residency cache (a copy inside a guarded block may not run); returns each core's register
     * (indexed from first: {@code root} on first itself).
     */
    int[] spread(int root, Shape shape, int first, int p) {
        int[] reg = new int[p];
        reg[0] = root;
        int copy = temp();
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
    int[] scatter(Graph.Val x, int[] start, int p) {
        if (p == 1) return new int[] {x.id()};
        return scattered.computeIfAbsent(x.id() + ":" + java.util.Arrays.toString(start), key -> {
            int[] held = new int[p];        // register of the block a core holds; it starts at the core's own rows
            int[] heldRows = new int[p];
            held[0] = x.id();
            heldRows[0] = x.shape().rows();
            for (CollectiveTree.Hop h : tree(LEAD, p).downward()) {
                int from = LEAD + h.parent(), rows = start[h.end()] - start[h.child()];
                int upper = temp();
                emit(from, new Instruction.Vector(new VectorOp.Slice(start[h.child()] - start[h.parent()], rows), upper, held[h.parent()]));
                held[h.child()] = transfer(from, upper, LEAD + h.child(), rows, x.shape().cols(), x.shape().dtype());
                heldRows[h.child()] = rows;
            }
            for (int c = 0; c < p; c++) {
                int own = start[c + 1] - start[c];
                if (heldRows[c] == own) continue;
                int mine = temp();
                emit(LEAD + c, new Instruction.Vector(new VectorOp.Slice(0, own), mine, held[c]));
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
    int transfer(int from, int reg, int to, int rows, int cols, DType dtype) {
        int got = temp();
        transfer(from, reg, to, got, new Shape(rows, cols, dtype));
        return got;
    }

    /** Sends register {@code reg} of core {@code from} to core {@code to}, received there into register {@code into}. */
    private int transfer(int from, int reg, int to, int into, Shape shape) {
        int tag = tag();
        emit(from, new Instruction.Send(reg, to, tag));
        emit(to, new Instruction.Recv(into, from, tag, shape.rows(), shape.cols(), shape.dtype()));
        return into;
    }

    /**
     * Emits what {@code body} emits on cores [first, first + p) as a block each of those cores runs only when
     * its 1 x 1 register {@code selector} holds {@code value} (a leading {@link Instruction.Skip}). The body
     * must emit on no other core, and whatever is read after the block must be written on every path.
     */
    void guarded(int first, int p, int selector, int value, Runnable body) {
        int[] before = new int[cores];
        for (int c = 0; c < cores; c++) before[c] = code.get(c).size();
        body.run();
        for (int c = 0; c < cores; c++) {
            int added = code.get(c).size() - before[c];
            if (added == 0) continue;
            if (c < first || c >= first + p) throw new IllegalStateException("a block guarded on cores [" + first + ", " + (first + p) + ") emitted on core " + c);
            code.get(c).add(before[c], new Instruction.Skip(selector, value, added));
        }
    }

    /** The register of x on {@code core} (after {@link #broadcast}). */
    int reg(Graph.Val x, int core) {
        Integer r = resident.get(core + ":" + x.id());
        if (r == null && core == LEAD) return x.id();
        if (r == null) throw new IllegalStateException("value " + x + " is not on core " + core);
        return r;
    }

    /**
     * Emits on {@code core} out := B x for the rows x cols block B at (row, col) of the projection's weight and x
     * [cols, T] in register x, B loaded in pieces of whole rows of at most {@link #TILE_BYTES} (SRAM holds tiles,
     * not whole weight slices) whose results are joined in row order: each output row is one dot product, so the
     * bits are the whole block's.
     */
    void blockTimes(int core, Graph.MatVec node, String how, int row, int col, int rows, int cols, int x, int out) {
        inPieces(core, node.w(), rows, cols, x, out, (r, n) -> loadWeight(core, node, how, row + r, col, n, cols));
    }

    /** {@link #blockTimes} for rows [row, row + rows) of matrix {@code matrix} of a stacked weight alone (an expert on its own cores). */
    void matrixTimes(int core, Graph.Weight w, int matrix, int row, int rows, int x, int out) {
        inPieces(core, w, rows, w.cols(), x, out, (r, n) -> loadMatrix(core, w, matrix, row + r, 0, n, w.cols()));
    }

    /** {@code load} (first row, rows) emits the load of a piece of the block and returns its register. */
    private void inPieces(int core, Graph.Weight w, int rows, int cols, int x, int out, java.util.function.IntBinaryOperator load) {
        int piece = (int) Math.max(1, TILE_BYTES / w.dtype().bytes(cols));
        if (piece >= rows) {
            product(core, w, load.applyAsInt(0, rows), x, out);
            return;
        }
        List<Integer> parts = new ArrayList<>();
        for (int r = 0; r < rows; r += piece) {
            int y = temp();
            product(core, w, load.applyAsInt(r, Math.min(piece, rows - r)), x, y);
            parts.add(y);
        }
        emit(core, new Instruction.Vector(new VectorOp.Concat(), parts, out));
    }

    /**
     * Emits on {@code core} the load of the rows x cols block of the projection's weight at (row, col) and
     * returns its register. The block is placed in the core's bank on first use (a core may hold several); for a stacked weight the
     * blocks of all its matrices are placed one after another and the load picks one by the run-time index
     * (which the mapping has made present on the core).
     */
    int loadWeight(int core, Graph.MatVec node, String how, int row, int col, int rows, int cols) {
        return loadWeightBlocks(core, node, how, row, rows, new int[] {col}, cols);
    }

    /**
     * Like {@link #loadWeight}, for the rows x width blocks at (row, col_i) for each {@code cols[i]}, stacked into one
     * tile [n rows, width] (block i at rows [i rows, (i + 1) rows), a {@link VectorOp.Slice} away): several blocks a
     * core multiplies one by one cost one bank access, not one each.
     */
    int loadWeightBlocks(int core, Graph.MatVec node, String how, int row, int rows, int[] cols, int width) {
        Graph.Weight w = node.w();
        Block b = place(core, w, w.name() + "@" + how + "@" + core + ":" + row + "," + java.util.Arrays.toString(cols), 0, w.count(),
                row, rows, cols, width);
        int reg = temp(), stacked = rows * cols.length;
        if (node.select() == null) {
            emit(core, new Instruction.Load(reg, b.bank(), b.address(), stacked, width, w.dtype()));
        } else {
            emit(core, new Instruction.LoadIndexed(reg, b.bank(), b.address(), w.dtype().bytes((long) stacked * width), w.count(),
                    reg(node.select(), core), stacked, width, w.dtype()));
        }
        return reg;
    }

    /**
     * Emits on {@code core} the load of the rows x cols block at (row, col) of matrix {@code matrix} of the stacked
     * weight w alone (an expert living on its own core group) and returns its register; placed on first use.
     */
    int loadMatrix(int core, Graph.Weight w, int matrix, int row, int col, int rows, int cols) {
        Block b = place(core, w, w.name() + "#" + matrix + "@" + core + ":" + row + "," + col, matrix, 1, row, rows, new int[] {col}, cols);
        int reg = temp();
        emit(core, new Instruction.Load(reg, b.bank(), b.address(), rows, cols, w.dtype()));
        return reg;
    }

    /**
     * Places, for each matrix of [from, from + n) of w one after another in one bank of core, the tile stacking its
     * rows x width blocks at (row, col_i) for each {@code cols[i]}; once per key.
     */
    private Block place(int core, Graph.Weight w, String key, int from, int n, int row, int rows, int[] cols, int width) {
        return placed.computeIfAbsent(key, k -> {
            Block first = null;
            for (int e = from; e < from + n; e++) {
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
                Block at = put(core, new Tile(cols.length * rows, width, w.dtype(), block), true, first == null ? -1 : first.bank());
                if (first == null) first = at;
            }
            return first;
        });
    }

    /**
     * Columns [col, col + cols) of the table in {@code bank} of {@code core}: row t at base + t * stride, so an
     * index can address it. Without values every row is the same shape-only tile (one object, many addresses).
     */
    private Block placeTable(Graph.Weight table, int core, int bank, int col, int cols) {
        return placed.computeIfAbsent("table:" + table.name() + "@" + core + ":" + bank, k -> {
            int global = core * banksPerCore + bank;
            long stride = DType.FP32.bytes(cols);
            long base = bankBytes[global];
            boolean values = full && table.data() != null;
            Tile shapeOnly = new Tile(cols, 1, DType.FP32, null);
            for (int t = 0; t < table.rows(); t++) {
                Tile row = shapeOnly;
                if (values) {
                    float[] v = new float[cols];
                    System.arraycopy(table.data(), t * table.cols() + col, v, 0, cols);
                    row = new Tile(cols, 1, DType.FP32, v);
                }
                banks.get(global).put(base + t * stride, row);
            }
            bankBytes[global] += stride * table.rows();
            weightBytes[global] += stride * table.rows();
            return new Block(bank, base);
        });
    }

    private Tile data(float[] values, int rows, int cols) {
        return new Tile(rows, cols, DType.FP32, full ? values : null);
    }

    private Block put(int core, Tile t, boolean weight) {
        return put(core, t, weight, -1);
    }

    /** Stores t in {@code bank} of core (-1: the emptiest), at that bank's next free address. */
    private Block put(int core, Tile t, boolean weight, int bank) {
        Block b = bank < 0 ? reserve(core, t.bytes()) : reserveIn(core, bank, t.bytes());
        banks.get(core * banksPerCore + b.bank()).put(b.address(), t);
        if (weight) weightBytes[core * banksPerCore + b.bank()] += t.bytes();
        return b;
    }

    /** rows x cols bytes at the next free address of core's emptiest bank. */
    Block reserve(int core, long bytes) {
        return reserveIn(core, emptiestBank(core), bytes);
    }

    private Block reserveIn(int core, int bank, long bytes) {
        int global = core * banksPerCore + bank;
        long address = bankBytes[global];
        bankBytes[global] += Math.max(bytes, 1);
        return new Block(bank, address);
    }

    private int emptiestBank(int core) {
        int best = 0;
        for (int b = 1; b < banksPerCore; b++) {
            if (bankBytes[core * banksPerCore + b] < bankBytes[core * banksPerCore + best]) best = b;
        }
        return best;
    }

    /** The per-core programs, with registers mapped to SRAM slots. */
    public List<Program> programs() {
        List<Program> programs = new ArrayList<>();
        for (List<Instruction> c : code) programs.add(Program.of(SlotAllocator.allocate(c)));
        return programs;
    }

    public List<Map<Long, Tile>> banks() { return banks; }

    /** Where each output's rows were stored. */
    public List<Plan.Placed> output(String name) { return outputs.getOrDefault(name, List.of()); }

    public long maxWeightBytesPerBank() {
        long m = 0;
        for (long b : weightBytes) m = Math.max(m, b);
        return m;
    }

    public long totalWeightBytes() {
        long t = 0;
        for (long b : weightBytes) t += b;
        return t;
    }

    /** p + 1 boundaries splitting n items over p parts as evenly as possible (earlier parts one larger). */
    static int[] split(int n, int p) {
        int[] start = new int[p + 1];
        for (int c = 0; c < p; c++) start[c + 1] = start[c] + n / p + (c < n % p ? 1 : 0);
        return start;
    }

    /** Emits y := W x on {@code core}: an fp32 gemm, or the scenario's ternary product for ternary weights. */
    void product(int core, Graph.Weight w, int wReg, int xReg, int out) {
        if (w.dtype() == DType.TERNARY) ternary.emit(this, core, wReg, xReg, out);
        else emit(core, new Instruction.Gemm(wReg, xReg, out, false));
    }

    /**
     * Emits acc := acc + W x on {@code core}: an accumulating gemm (the sum continues from acc in k order), or for
     * ternary weights the scenario's product into a temporary added to acc (int32, exact).
     */
    void accumulateProduct(int core, Graph.Weight w, int wReg, int xReg, int acc) {
        if (w.dtype() == DType.TERNARY) {
            int term = temp();
            ternary.emit(this, core, wReg, xReg, term);
            emit(core, new Instruction.Elementwise(Instruction.Op.ADD, acc, term, acc));
        } else {
            emit(core, new Instruction.Gemm(wReg, xReg, acc, true));
        }
    }
}
