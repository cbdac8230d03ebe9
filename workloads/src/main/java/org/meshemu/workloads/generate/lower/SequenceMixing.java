package org.meshemu.workloads.generate.lower;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.workloads.generate.Graph;
import org.meshemu.workloads.generate.Mixer;

/**
 * Where sequence mixing ({@link Graph.Mix}: retention, attention over a KV cache) runs: spread by
 * {@link Mixer.Unit}s over the lead's chip, each unit's state in its own core's banks. Not over other
 * chips: a token's q, k and v would cross the chip links, far slower than the mesh, for work that is
 * small next to the projections (measured on retnet-tiny-cluster when it was built: 254.7 us spread
 * over its 4 chips, 221.8 us on the lead's). A layer's state keeps the layout its first mixing chose (a chunkwise
 * prompt's whole heads, then the recurrent steps).
 */
final class SequenceMixing {
    /** State {@code part} of unit {@code unit} of the mixing whose state key is {@code mixing}. */
    private record UnitState(String mixing, int unit, Mixer.State part) {}

    private final Lowering l;
    private final Map<String, Layout> layouts = new HashMap<>();                // mixing state key -> where its units run
    private final Map<UnitState, BankAllocator.Block> state = new HashMap<>();  // -> where that unit's core keeps it

    SequenceMixing(Lowering l) {
        this.l = l;
    }

    /**
     * Lowers one mixing by {@link #layout}. The lead sends each team (the units of one range of groups: a
     * retention head cut into blocks of value rows, or a single unit) its rows of q, k and v, all teams before
     * it runs its own share; the team's first core spreads them down the collective tree over the team's
     * cores, each unit takes its value rows and runs the {@link Mixer} with its state in its own banks, the
     * team's outputs are gathered in row order onto its first core and sent to the lead, which joins the
     * teams' outputs in row order.
     */
    void lower(Graph.Mix m) {
        Mixer mixer = m.mixer();
        int t = m.q().shape().cols();
        Layout lay = layouts.computeIfAbsent(m.key(), key -> layout(mixer));
        List<List<Integer>> teams = lay.teams();
        Mixer.Rows[] rows = new Mixer.Rows[teams.size()];
        int[] first = new int[teams.size()];
        int[][] in = new int[teams.size()][];
        for (int i = 0; i < teams.size(); i++) {
            rows[i] = lay.rows(mixer, teams.get(i));
            first[i] = lay.core()[teams.get(i).getFirst()];
            in[i] = new int[] {rowsOn(first[i], m.q(), rows[i].q()), rowsOn(first[i], m.k(), rows[i].k()), rowsOn(first[i], m.v(), rows[i].v())};
        }
        List<Integer> parts = new ArrayList<>(teams.size());
        for (int i = 0; i < teams.size(); i++) {
            List<Integer> team = teams.get(i);
            Mixer.Rows r = rows[i];
            int size = team.size();
            int[] q = l.collectives().spread(in[i][0], new Shape(r.q().n(), t, DType.FP32), first[i], size);
            int[] k = l.collectives().spread(in[i][1], new Shape(r.k().n(), t, DType.FP32), first[i], size);
            int[] v = l.collectives().spread(in[i][2], new Shape(r.v().n(), t, DType.FP32), first[i], size);
            int[] o = new int[size], start = new int[size + 1];
            for (int j = 0; j < size; j++) {
                int u = team.get(j), core = first[i] + j;
                Mixer.Unit unit = lay.units().get(u);
                Mixer.Rows mine = mixer.rows(unit);
                int vj = v[j];
                if (size > 1) {
                    vj = l.code().temp();
                    l.code().emit(core, new Instruction.Vector(new VectorOp.Slice(mine.v().start() - r.v().start(), mine.v().n()), vj, v[j]));
                }
                o[j] = mixer.emit(site(core, m.key(), u), unit, q[j], k[j], vj, t);
                start[j + 1] = start[j] + mine.out().n();
            }
            int joined = size == 1 ? o[0] : l.code().temp();
            if (size > 1) l.collectives().gather(o, start, first[i], size, joined, new Shape(r.out().n(), t, DType.FP32), DType.FP32);
            parts.add(first[i] == Lowering.LEAD ? joined : l.collectives().transfer(first[i], joined, Lowering.LEAD, r.out().n(), t, DType.FP32));
        }
        Shape out = m.out().shape();
        VectorOp join = parts.size() == 1 ? new VectorOp.Reshape(out.rows(), out.cols()) : new VectorOp.Concat();
        l.code().emit(Lowering.LEAD, new Instruction.Vector(join, parts, m.out().id()));
    }

    /**
     * Where a mixing's units run: {@code core[u]} for unit u; the units of a team (one range of groups) are on
     * consecutive cores.
     */
    private record Layout(List<Mixer.Unit> units, int[] core) {
        /** The units grouped by range of groups, in order. */
        List<List<Integer>> teams() {
            List<List<Integer>> teams = new ArrayList<>();
            for (int u = 0; u < units.size(); u++) {
                if (u == 0 || units.get(u).lo() != units.get(u - 1).lo()) teams.add(new ArrayList<>());
                teams.getLast().add(u);
            }
            return teams;
        }

        /** The rows a whole team reads and writes ({@link Mixer#rows} of the union of its units). */
        Mixer.Rows rows(Mixer mixer, List<Integer> team) {
            Mixer.Unit a = units.get(team.getFirst()), b = units.get(team.getLast());
            return mixer.rows(new Mixer.Unit(a.lo(), a.hi(), a.first(), b.end()));
        }
    }

    /**
     * The mixer's units, in output row order, and their cores: with at least as many groups as mixing cores, the
     * groups cut into one range per core; with fewer, one unit per group spread evenly, or, when the mixer splits
     * rows, each group's value rows cut into cores / groups blocks on consecutive cores, so that every core takes part.
     */
    private Layout layout(Mixer mixer) {
        int g = mixer.groups(), cores = mixingCores();
        List<Mixer.Unit> units = new ArrayList<>();
        if (g >= cores || !mixer.splitsRows()) {
            int[] group = Lowering.split(g, Math.min(g, cores));
            for (int u = 0; u + 1 < group.length; u++) units.add(new Mixer.Unit(group[u], group[u + 1], 0, mixer.vRows()));
            int[] core = new int[units.size()];
            for (int u = 0; u < core.length; u++) core[u] = (int) ((long) u * cores / core.length);
            return new Layout(units, core);
        }
        int per = cores / g;
        int[] row = Lowering.split(mixer.vRows(), Math.min(mixer.vRows(), per));
        int[] core = new int[g * (row.length - 1)];
        for (int h = 0; h < g; h++) {
            for (int b = 0; b + 1 < row.length; b++) {
                core[units.size()] = h * per + b;
                units.add(new Mixer.Unit(h, h + 1, row[b], row[b + 1]));
            }
        }
        return new Layout(units, core);
    }

    /** The cores sequence mixing spreads over: the lead's chip. */
    private int mixingCores() {
        return Math.min(l.cores(), l.coresPerChip());
    }

    /** The rows of x (on the lead) in a register of {@code core}: sliced unless whole, sent unless there. */
    private int rowsOn(int core, Graph.Val x, Mixer.Span rows) {
        int r = x.id();
        Shape s = x.shape();
        if (rows.n() != s.rows()) {
            r = l.code().temp();
            l.code().emit(Lowering.LEAD, new Instruction.Vector(new VectorOp.Slice(rows.start(), rows.n()), r, x.id()));
        }
        return core == Lowering.LEAD ? r : l.collectives().transfer(Lowering.LEAD, r, core, rows.n(), s.cols(), s.dtype());
    }

    /** {@code core} as a mixer's site: its vector unit, and unit {@code unit}'s state of mixing {@code key} in its banks. */
    private Mixer.Site site(int core, String key, int unit) {
        return new Mixer.Site() {
            @Override public int vector(VectorOp op, int... srcs) {
                int r = l.code().temp();
                l.code().emit(core, new Instruction.Vector(op, java.util.Arrays.stream(srcs).boxed().toList(), r));
                return r;
            }

            @Override public int load(Mixer.State part, Shape shape) {
                BankAllocator.Block b = state.get(new UnitState(key, unit, part));
                if (b == null) throw new IllegalStateException(part + " of unit " + unit + " of " + key + " read before it is stored");
                int r = l.code().temp();
                l.code().emit(core, new Instruction.Load(r, b.bank(), b.address(), shape.rows(), shape.cols(), shape.dtype()));
                return r;
            }

            @Override public void store(Mixer.State part, int reg, Shape shape) {
                BankAllocator.Block b = state.computeIfAbsent(new UnitState(key, unit, part), k -> l.allocator().reserve(core, shape.bytes()));
                l.code().emit(core, new Instruction.Store(reg, b.bank(), b.address()));
            }
        };
    }
}
