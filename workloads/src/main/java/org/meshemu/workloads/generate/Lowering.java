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
 * embedding table, the constants, the recurrent state / KV cache and the outputs in its banks, runs
 * every vector-unit operator, and after each operator marks the time (the breakdown). Projections
 * are spread over the cores by the {@link MatVecMapping}, mixtures of experts by the
 * {@link ExpertPlacement}; both use the collectives here (binomial broadcast, scatter and gather by
 * core index, blocks guarded by a run-time selector) and place weight blocks in the cores' banks.
 *
 * <p>Contract: every value is a virtual register (a graph value's id, or a temporary); the
 * {@link SlotAllocator} maps registers to SRAM slots at the end. Each message has its own tag.
 * Weight blocks are placed once per (weight, mapping, core, block) and reused by every token step; each
 * goes to the core's bank with the fewest bytes so far, at that bank's next free address.
 */
public final class Lowering {
    static final int LEAD = 0;
    /** Cores whose banks share the embedding table (see {@link #embed}). */
    static final int TABLE_CORES = 4;
    private static final int TEMPS = 1 << 24;

    /** Where a block lives: bank index within its core and address. */
    record Block(int bank, long address) {}

    private final int cores;
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
    private final Map<String, Integer> resident = new HashMap<>(); // "core:val[:segment]" -> register
    private final Map<String, Block> state = new HashMap<>();
    private final Map<String, List<Plan.Placed>> outputs = new HashMap<>();
    private int nextTemp = TEMPS;
    private int nextTag = 1;

    /**
     * {@code meshWidth}: nodes per mesh row (core c at x = c mod width, y = c / width), for collectives laid out
     * along the mesh; {@code bitLinear}: how ternary weights are multiplied, a {@link TernaryProducts} name.
     */
    public Lowering(int cores, int meshWidth, int banksPerCore, boolean full, MatVecMapping mapping, ExpertPlacement experts, String bitLinear) {
        this.experts = experts;
        this.ternary = TernaryProducts.named(bitLinear);
        this.cores = cores;
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
            case Graph.LoadState s -> {
                Block b = state.get(s.key());
                if (b == null) throw new IllegalStateException("state " + s.key() + " read before it is stored");
                Shape sh = s.out().shape();
                emit(LEAD, new Instruction.Load(s.out().id(), b.bank(), b.address(), sh.rows(), sh.cols(), sh.dtype()));
            }
            case Graph.StoreState s -> {
                Block b = state.computeIfAbsent(s.key(), key -> reserve(LEAD, s.value().shape().bytes()));
                emit(LEAD, new Instruction.Store(s.value().id(), b.bank(), b.address()));
            }
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
     * The embedding row: the table is split by columns into one piece per bank of the first
     * {@link #TABLE_CORES} cores (a full-size table, 0.5-1.3 GB in fp32, is far more than one 256 MiB
     * stacked bank holds); piece k is on core k / banksPerCore, row t at base + t * stride of the piece.
     * Each core loads its pieces of the row (by the fixed token, or by the index broadcast to it),
     * joins them in column order, and the binomial gather joins the cores' parts on the lead core.
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
     * lead core as {@code out} by a binomial tree: at stride s, core i (i mod 2s == s) sends its block [i, i+s)
     * to i - s, which concatenates the lower block before the higher one.
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
        for (int s = 1; s < p; s <<= 1) {
            for (int i = s; i < p; i += 2 * s) {
                int to = i - s, tag = tag();
                int rows = start[Math.min(i + s, p)] - start[i];
                emit(first + i, new Instruction.Send(block[i], first + to, tag));
                int got = temp();
                emit(first + to, new Instruction.Recv(got, first + i, tag, rows, shape.cols(), dtype));
                int joined = to == 0 && 2 * s >= p ? out : temp();
                emit(first + to, new Instruction.Vector(new VectorOp.Concat(), joined, block[to], got));
                block[to] = joined;
            }
        }
    }

    /** Makes x (on the lead core) present on cores [0, p) by a binomial tree: at stride s, cores i < s send to i + s. */
    void broadcast(Graph.Val x, int p) {
        resident.putIfAbsent(LEAD + ":" + x.id(), x.id());
        tree(LEAD, p, (from, to) -> {
            if (resident.containsKey(to + ":" + x.id())) return;
            int tag = tag();
            emit(from, new Instruction.Send(reg(x, from), to, tag));
            emit(to, new Instruction.Recv(x.id(), from, tag, x.shape().rows(), x.shape().cols(), x.shape().dtype()));
            resident.put(to + ":" + x.id(), x.id());
        });
    }

    /**
     * Copies register {@code root} of core {@code first} to cores [first, first + p) by the same binomial tree,
     * without the residency cache (a copy inside a guarded block may not run); returns each core's register
     * (indexed from first: {@code root} on first itself).
     */
    int[] spread(int root, Shape shape, int first, int p) {
        int[] reg = new int[p];
        reg[0] = root;
        int copy = temp();
        tree(first, p, (from, to) -> {
            int tag = tag();
            emit(from, new Instruction.Send(reg[from - first], to, tag));
            emit(to, new Instruction.Recv(copy, from, tag, shape.rows(), shape.cols(), shape.dtype()));
            reg[to - first] = copy;
        });
        return reg;
    }

    /** The binomial tree over cores [first, first + p) rooted at first: at stride s, core first + i (i < s) sends to first + i + s. */
    private static void tree(int first, int p, java.util.function.BiConsumer<Integer, Integer> hop) {
        for (int s = 1; s < p; s <<= 1) {
            for (int i = 0; i < s && i + s < p; i++) hop.accept(first + i, first + i + s);
        }
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

    /** Rows [start, start+len) of x on {@code core}: the lead core slices them and sends them there (scatter); cached. */
    int segment(Graph.Val x, int core, int start, int len, int p) {
        if (p == 1) return x.id();
        String key = core + ":" + x.id() + ":" + start + "+" + len;
        Integer have = resident.get(key);
        if (have != null) return have;
        int piece = temp();
        emit(LEAD, new Instruction.Vector(new VectorOp.Slice(start, len), piece, x.id()));
        int r = piece;
        if (core != LEAD) {
            int tag = tag();
            emit(LEAD, new Instruction.Send(piece, core, tag));
            r = temp();
            emit(core, new Instruction.Recv(r, LEAD, tag, len, x.shape().cols(), x.shape().dtype()));
        }
        resident.put(key, r);
        return r;
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

    private Block reserve(int core, long bytes) {
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
