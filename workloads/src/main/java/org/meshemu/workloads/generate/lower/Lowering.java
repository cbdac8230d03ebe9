package org.meshemu.workloads.generate.lower;

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
import org.meshemu.workloads.generate.ExpertMap;
import org.meshemu.workloads.generate.ExpertPlacement;
import org.meshemu.workloads.generate.Graph;
import org.meshemu.workloads.generate.MatVecMapping;
import org.meshemu.workloads.generate.TernaryProducts;

/**
 * Turns a {@link Graph} into one static tile program per core. Core 0 is the lead core: it holds the
 * constants and the token outputs in its banks, runs the per-token vector-unit operators, and after
 * each operator marks the time (the breakdown). Projections are spread over the cores by the
 * {@link MatVecMapping}, mixtures of experts by the {@link ExpertPlacement}, sequence mixing
 * (retention, attention) by head groups with each group's state in its own core's banks
 * ({@link SequenceMixing}); the embedding ({@link #embed}) and the greedy LM head ({@link #greedy}) are
 * lowered here. What they share is split by concern: the programs being written ({@link CoreCode}),
 * the collectives ({@link Collectives}), where constant data lives ({@link WeightPlacement} over a
 * {@link BankAllocator}) and weight-times-activation products ({@link MatrixProducts}).
 *
 * <p>Contract: every value is a virtual register (a graph value's id, or a temporary); the
 * {@link SlotAllocator} maps registers to SRAM slots at the end. Each message has its own tag.
 * Weight blocks are placed once per (weight, mapping, core, block) and reused by every block;
 * each goes to the core's bank with the fewest bytes so far, at that bank's next free address.
 */
public final class Lowering {
    /** The lead core. */
    public static final int LEAD = 0;
    /** Cores whose banks share the embedding table (see {@link #embed}). */
    static final int TABLE_CORES = 4;

    private final int cores;
    private final int coresPerChip;
    private final int banksPerCore;
    private final MatVecMapping mapping;
    private final ExpertPlacement experts;
    private final java.util.function.Function<Graph.Experts, ExpertMap> expertMaps;
    private final CoreCode code;
    private final BankAllocator banks;
    private final WeightPlacement placement;
    private final Collectives collectives;
    private final MatrixProducts products;
    private final SequenceMixing mixing = new SequenceMixing(this);
    private final Map<String, List<Plan.Placed>> outputs = new HashMap<>();

    /**
     * {@code cores}: all cores of the system, numbered chip-major with {@code coresPerChip} to a chip (the
     * collectives go hierarchically across chips); {@code meshWidth}: nodes per mesh row (core c at x = c mod
     * width, y = c / width), for collectives laid out along the mesh; {@code bitLinear}: how ternary weights are
     * multiplied, a {@link TernaryProducts} name.
     */
    public Lowering(int cores, int coresPerChip, int meshWidth, int banksPerCore, boolean full, MatVecMapping mapping, ExpertPlacement experts,
                    String bitLinear) {
        this(cores, coresPerChip, meshWidth, banksPerCore, full, mapping, experts, bitLinear, n -> null);
    }

    /** As above, {@code expertMaps} giving each experts node its groups and replicas (null: the placement's own). */
    public Lowering(int cores, int coresPerChip, int meshWidth, int banksPerCore, boolean full, MatVecMapping mapping, ExpertPlacement experts,
                    String bitLinear, java.util.function.Function<Graph.Experts, ExpertMap> expertMaps) {
        this.expertMaps = expertMaps;
        this.cores = cores;
        this.coresPerChip = coresPerChip;
        this.banksPerCore = banksPerCore;
        this.mapping = mapping;
        this.experts = experts;
        this.code = new CoreCode(cores);
        this.banks = new BankAllocator(cores, banksPerCore);
        this.placement = new WeightPlacement(banks, full);
        this.collectives = new Collectives(code, coresPerChip, meshWidth);
        this.products = new MatrixProducts(code, collectives, placement, TernaryProducts.named(bitLinear));
    }

    public int cores() { return cores; }

    public int coresPerChip() { return coresPerChip; }

    /** Experts node n's groups and replicas under the scenario's placement policy; null when none was planned. */
    public ExpertMap expertMap(Graph.Experts n) { return expertMaps.apply(n); }

    /** The programs being written: registers, tags, instructions. */
    public CoreCode code() { return code; }

    /** Broadcast, spread, scatter, gather, reduce. */
    public Collectives collectives() { return collectives; }

    /** Weight blocks times activations on a core. */
    public MatrixProducts products() { return products; }

    /** The banks' contents and addresses. */
    BankAllocator allocator() { return banks; }

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
    public void lowerParts(List<Graph.Node> parts) {
        for (int i = 0; i < parts.size() - 1; i++) lower(parts.get(i));
        lowerUnmarked(parts.getLast());
    }

    /** The lead core's time mark "layer/op" (the breakdown). */
    public void mark(String layer, String op) {
        code.emit(LEAD, new Instruction.Mark(layer + "/" + op));
    }

    /** A value only the lowering knows (the intermediate of a composite node), named by a temporary register. */
    public Graph.Val fresh(Shape shape) {
        return new Graph.Val(code.temp(), shape);
    }

    private void lowerUnmarked(Graph.Node node) {
        switch (node) {
            case Graph.Embed e -> embed(e);
            case Graph.Constant k -> {
                int n = k.out().length();
                BankAllocator.Block b = placement.constant(k.name(), k.data(), n);
                code.emit(LEAD, new Instruction.Load(k.out().id(), b.bank(), b.address(), n, 1, DType.FP32));
            }
            case Graph.MatVec m -> mapping.lower(this, m);
            case Graph.Experts x -> experts.lower(this, x);
            case Graph.Vector v -> code.emit(LEAD, new Instruction.Vector(v.vector(), v.in().stream().map(Graph.Val::id).toList(), v.out().id()));
            case Graph.Elementwise e -> code.emit(LEAD, new Instruction.Elementwise(e.kind(), e.a().id(), e.b().id(), e.out().id()));
            case Graph.Mix m -> mixing.lower(m);
            case Graph.Greedy h -> greedy(h);
            case Graph.Output o -> {
                Shape sh = o.value().shape();
                BankAllocator.Block b = banks.reserve(LEAD, sh.bytes());
                int row = code.temp();
                code.emit(LEAD, new Instruction.Vector(new VectorOp.Reshape(1, sh.elements()), row, o.value().id()));
                code.emit(LEAD, new Instruction.Store(row, b.bank(), b.address()));
                outputs.computeIfAbsent(o.name(), k -> new ArrayList<>()).add(new Plan.Placed(banks.global(LEAD, b.bank()), b.address(), o.row(), 0));
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
        collectives.broadcast(n.x(), p);
        Graph.MatVec product = new Graph.MatVec(n.layer(), n.op(), fresh(Shape.vector(w.rows())), w, n.x(), null);
        int[] best = new int[p];
        for (int c = 0; c < p; c++) {
            int rows = start[c + 1] - start[c];
            int y = code.temp();
            products.blockTimes(c, product, "greedy", start[c], 0, rows, w.cols(), collectives.reg(n.x(), c), y);
            if (n.bias() != null) {
                BankAllocator.Block b = placement.biasSlice(w, n.bias(), c, start[c], start[c + 1]);
                int bias = code.temp(), sum = code.temp();
                code.emit(c, new Instruction.Load(bias, b.bank(), b.address(), rows, 1, DType.FP32));
                code.emit(c, new Instruction.Elementwise(Instruction.Op.ADD, y, bias, sum));
                y = sum;
            }
            int row = code.temp();
            code.emit(c, new Instruction.Vector(new VectorOp.Reshape(1, rows), row, y));
            BankAllocator.Block at = banks.reserve(c, DType.FP32.bytes(rows));
            code.emit(c, new Instruction.Store(row, at.bank(), at.address()));
            outputs.computeIfAbsent(n.logits(), k -> new ArrayList<>()).add(new Plan.Placed(banks.global(c, at.bank()), at.address(), n.row(), start[c]));
            best[c] = code.temp();
            code.emit(c, new Instruction.Vector(new VectorOp.ArgmaxPart(start[c]), best[c], y));
        }
        int pair = p == 1 ? best[0] : code.temp();
        collectives.reduce(best, p, pair, new Shape(2, 1, DType.FP32), (mine, child, dst) -> new Instruction.Vector(new VectorOp.ArgmaxMerge(), dst, mine, child));
        code.emit(LEAD, new Instruction.Vector(new VectorOp.ArgmaxIndex(w.rows()), n.token().id(), pair));
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
        if (e.index() != null) collectives.broadcast(e.index(), q);
        int[] part = new int[q];
        int[] first = new int[q + 1];
        for (int c = 0; c < q; c++) {
            first[c] = col[Math.min(c * banksPerCore, pieces)];
            first[c + 1] = col[Math.min((c + 1) * banksPerCore, pieces)];
            Integer joined = null;
            for (int k = c * banksPerCore; k < Math.min((c + 1) * banksPerCore, pieces); k++) {
                int cols = col[k + 1] - col[k];
                BankAllocator.Block b = placement.tablePiece(table, c, k % banksPerCore, col[k], cols);
                long stride = DType.FP32.bytes(cols);
                int r = code.temp();
                if (e.index() == null) {
                    code.emit(c, new Instruction.Load(r, b.bank(), b.address() + e.token() * stride, cols, 1, DType.FP32));
                } else {
                    code.emit(c, new Instruction.LoadIndexed(r, b.bank(), b.address(), stride, table.rows(), collectives.reg(e.index(), c), cols, 1, DType.FP32));
                }
                if (joined != null) {
                    int j = code.temp();
                    code.emit(c, new Instruction.Vector(new VectorOp.Concat(), j, joined, r));
                    r = j;
                }
                joined = r;
            }
            part[c] = joined;
        }
        collectives.gather(part, first, q, e.out(), DType.FP32);
    }

    /** The per-core programs, with registers mapped to SRAM slots. */
    public List<Program> programs() {
        return code.programs();
    }

    /** Every bank's tiles by address, banks core-major. */
    public List<Map<Long, Tile>> banks() { return banks.contents(); }

    /** Where each output's rows were stored. */
    public List<Plan.Placed> output(String name) { return outputs.getOrDefault(name, List.of()); }

    public long maxWeightBytesPerBank() { return banks.maxWeightBytesPerBank(); }

    public long totalWeightBytes() { return banks.totalWeightBytes(); }

    /** p + 1 boundaries splitting n items over p parts as evenly as possible (earlier parts one larger). */
    public static int[] split(int n, int p) {
        int[] start = new int[p + 1];
        for (int c = 0; c < p; c++) start[c + 1] = start[c] + n / p + (c < n % p ? 1 : 0);
        return start;
    }
}
