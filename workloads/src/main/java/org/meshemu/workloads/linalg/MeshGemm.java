package org.meshemu.workloads.linalg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.Program;
import org.meshemu.dram.DramSpec;
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
 * C = A . B on a P x P mesh, cut into P x P blocks of each matrix, by the {@link GemmAlgorithms.Algorithm}
 * that {@code workload.algorithm} names: Cannon's compute-shift in MeshGEMM's form, SUMMA, or every
 * block gathered to one core. The algorithm places the blocks in the cores' banks and writes each
 * core's program; this class holds what they share (the blocks, the banks, the output, the reference).
 */
public final class MeshGemm implements Workload {

    /**
     * The workload section: C[m x n] = A[m x k] . B[k x n]; {@code kParts}: the parts k is cut into, 0 for
     * the mesh side P (every algorithm's own cut); another divisor of P only for an algorithm that
     * {@link GemmAlgorithms.Algorithm#cutsKFreely() cuts k freely}.
     */
    public record Spec(String algorithm, int m, int n, int k, int kParts) {
        public Spec {
            Check.oneOf("algorithm", algorithm, GemmAlgorithms.REGISTRY.names());
            Check.atLeast("m", m, 1);
            Check.atLeast("n", n, 1);
            Check.atLeast("k", k, 1);
            Check.atLeast("kParts", kParts, 0);
        }
    }

    /** The report's {@code gemm} section: the plan and what it costs in SRAM and shift traffic (docs/REPORT.md). */
    public record GemmReport(String algorithm, int meshSide, int kParts, long sramFootprintBytes, long shiftBytes) {}

    static final String SECTION = "gemm";

    @Override public String name() { return "gemm"; }

    /** Full payload: A and B once as inputs for the reference and once cut into tiles, and C twice (tiles, reference). */
    @Override
    public Footprint footprint(LoadedScenario loaded) {
        Spec spec = loaded.bindWorkload(Spec.class);
        long elements = (long) spec.m() * spec.k() + (long) spec.k() * spec.n() + (long) spec.m() * spec.n();
        return new Footprint("core", true, loaded.scenario().run().fullPayload() ? 2 * DType.FP32.bytes(elements) : 0);
    }

    /** One core: its place on the mesh, and the instructions and bank contents an algorithm gives it. */
    public static final class Core {
        private final Layout at;
        /** Its endpoint and physical mesh column x and row y. */
        public final int node, x, y;
        private final List<Instruction> code = new ArrayList<>();
        private final List<Map<Long, Tile>> banks = new ArrayList<>();
        private final List<Plan.Placed> cTiles;

        private Core(Layout at, int node, List<Plan.Placed> cTiles) {
            this.at = at;
            this.node = node;
            this.x = node % at.p;
            this.y = node / at.p;
            this.cTiles = cTiles;
            for (int b = 0; b < at.banks; b++) banks.add(new HashMap<>());
        }

        /** The mesh side P (and the blocks a side of each matrix). */
        public int p() { return at.p; }

        /** The parts k is cut into: P unless {@code workload.kParts} says otherwise. */
        public int kParts() { return at.kParts; }

        public int mb() { return at.mb; }
        public int nb() { return at.nb; }
        public int kb() { return at.kb; }

        /** The endpoint at physical (x, y). */
        public int endpoint(int x, int y) { return y * at.p + x; }

        public void emit(Instruction in) { code.add(in); }

        /** Places block (i, kk) of A in this core's bank and loads it into {@code slot}. */
        public void loadA(int slot, int i, int kk) {
            banks.get(at.bankA).put(at.addrA, Inputs.block(at.a, at.k, i * at.mb, kk * at.kb, at.mb, at.kb, at.full));
            emit(new Instruction.Load(slot, at.bankA, at.addrA, at.mb, at.kb, DType.FP32));
        }

        /** Places block (kk, j) of B in this core's bank and loads it into {@code slot}. */
        public void loadB(int slot, int kk, int j) {
            banks.get(at.bankB).put(at.addrB, Inputs.block(at.b, at.n, kk * at.kb, j * at.nb, at.kb, at.nb, at.full));
            emit(new Instruction.Load(slot, at.bankB, at.addrB, at.kb, at.nb, DType.FP32));
        }

        /** Stores {@code slot}, block (i, j) of C, as this core's {@code index}-th C block, part of the output. */
        public void storeC(int slot, int i, int j, int index) {
            long addr = at.addrC + index * DType.FP32.bytes((long) at.mb * at.nb);
            emit(new Instruction.Store(slot, at.bankC, addr));
            cTiles.add(new Plan.Placed(node * at.banks + at.bankC, addr, i * at.mb, j * at.nb));
        }
    }

    /** The blocks and where they live: one A and one B block a core at most, C blocks from addrC on. */
    private record Layout(int p, int kParts, int mb, int nb, int kb, int n, int k, float[] a, float[] b, boolean full, int banks,
                          int bankA, int bankB, int bankC, long addrA, long addrB, long addrC) {}

    @Override
    public Plan plan(LoadedScenario loaded) {
        Scenario s = loaded.scenario();
        Spec spec = loaded.bindWorkload(Spec.class);
        GemmAlgorithms.Algorithm algorithm = GemmAlgorithms.REGISTRY.named(loaded.source(), spec.algorithm());
        NocSpec noc = s.hardware().get(NocSpec.class);
        if (noc.width() != noc.height()) {
            throw new InputException(loaded.source() + ": hardware.noc", noc.width() + "x" + noc.height(), "a square mesh for the gemm's P x P blocks");
        }
        int p = noc.width();
        int kParts = spec.kParts() == 0 ? p : spec.kParts();
        if (kParts != p && !algorithm.cutsKFreely()) {
            throw new InputException(loaded.source() + ": workload.kParts", spec.kParts(),
                    "0 or the mesh side " + p + " for algorithm " + spec.algorithm() + " (only cannon takes another)");
        }
        if (p % kParts != 0) {
            throw new InputException(loaded.source() + ": workload.kParts", spec.kParts(), "0 or a divisor of the mesh side " + p);
        }
        for (var dim : List.of(Map.entry("m", spec.m()), Map.entry("n", spec.n()))) {
            if (dim.getValue() % p != 0) {
                throw new InputException(loaded.source() + ": workload." + dim.getKey(), dim.getValue(), "a multiple of the mesh side " + p);
            }
        }
        if (spec.k() % kParts != 0) {
            throw new InputException(loaded.source() + ": workload.k", spec.k(), "a multiple of " + (kParts == p ? "the mesh side " : "workload.kParts ") + kParts);
        }
        int mb = spec.m() / p, nb = spec.n() / p, kb = spec.k() / kParts;
        boolean full = s.run().fullPayload();
        // timing mode draws no numbers: the tiles are shapes only and there is no reference
        float[] a = full ? Inputs.uniform(s.seed(), 0, spec.m(), spec.k()) : null;
        float[] b = full ? Inputs.uniform(s.seed(), 1, spec.k(), spec.n()) : null;
        int banks = s.hardware().get(DramSpec.class).banksPerCore();
        int bankA = 0, bankB = 1 % banks, bankC = 2 % banks;
        long addrA = 0, addrB = bankB == bankA ? DType.FP32.bytes((long) mb * kb) : 0;
        long addrC = bankC == bankA ? addrA + DType.FP32.bytes((long) mb * kb) + (bankB == bankA ? DType.FP32.bytes((long) kb * nb) : 0)
                : bankC == bankB ? addrB + DType.FP32.bytes((long) kb * nb) : 0;
        Layout layout = new Layout(p, kParts, mb, nb, kb, spec.n(), spec.k(), a, b, full, banks, bankA, bankB, bankC, addrA, addrB, addrC);

        List<Program> programs = new ArrayList<>();
        List<Map<Long, Tile>> contents = new ArrayList<>();
        List<Plan.Placed> cTiles = new ArrayList<>();
        for (int node = 0; node < p * p; node++) {
            Core core = new Core(layout, node, cTiles);
            algorithm.emit(core);
            contents.addAll(core.banks);
            programs.add(Program.of(core.code));
        }
        Plan.Output out = new Plan.Output("C", new int[] {spec.m(), spec.n()}, spec.m(), spec.n(), cTiles);
        long footprint = programs.stream().mapToLong(Program::footprintBytes).max().orElse(0);
        return new Plan(programs, contents, List.of(out), full
                ? () -> List.of(Tensor.ofFloats("C", new int[] {spec.m(), spec.n()}, Reference.matmul(a, b, spec.m(), spec.k(), spec.n())))
                : null)
                .withSection(new Plan.Section(SECTION, (reports, simulatedPs) -> new GemmReport(spec.algorithm(), p, kParts, footprint,
                        reports.stream().filter(r -> r.kind().equals("core")).mapToLong(r -> r.counters().getOrDefault("bytesSent", 0L)).sum())));
    }
}
