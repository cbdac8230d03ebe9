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
import org.meshemu.workloads.mesh.MeshRing;

/**
 * C = A . B on a P x P mesh by Cannon's algorithm in MeshGEMM's compute-shift form. Logical core
 * (a, b) sits at physical (x, y) = (ring(b), ring(a)) of a {@link MeshRing}, so every shift is at
 * most two hops. It starts with A[a][(a+b) mod P] and B[(a+b) mod P][b] in its banks (the initial
 * skew is done by placement), and for P steps sends its A tile left and its B tile up the logical
 * rings, multiplies-accumulates, and receives the next pair; then it stores its C tile.
 *
 * <p>Per core: two loads, then P steps of (send, send, gemm, recv, recv) minus the last step's
 * sends and receives, then one store.
 */
public final class CannonGemm implements Workload {

    /** The workload section: C[m x n] = A[m x k] . B[k x n]. */
    public record Spec(String algorithm, int m, int n, int k) {
        public Spec {
            Check.oneOf("algorithm", algorithm, List.of("cannon"));
            Check.atLeast("m", m, 1);
            Check.atLeast("n", n, 1);
            Check.atLeast("k", k, 1);
        }
    }

    static final int A0 = 0, A1 = 1, B0 = 2, B1 = 3, C = 4;

    @Override public String name() { return "gemm"; }

    /** Full payload: A and B once as inputs for the reference and once cut into tiles, and C twice (tiles, reference). */
    @Override
    public Footprint footprint(LoadedScenario loaded) {
        Spec spec = loaded.bindWorkload(Spec.class);
        long elements = (long) spec.m() * spec.k() + (long) spec.k() * spec.n() + (long) spec.m() * spec.n();
        return new Footprint("core", true, loaded.scenario().run().fullPayload() ? 2 * DType.FP32.bytes(elements) : 0);
    }

    @Override
    public Plan plan(LoadedScenario loaded) {
        Scenario s = loaded.scenario();
        Spec spec = loaded.bindWorkload(Spec.class);
        NocSpec noc = s.hardware().get(NocSpec.class);
        if (noc.width() != noc.height()) {
            throw new InputException(loaded.source() + ": hardware.noc", noc.width() + "x" + noc.height(), "a square mesh for Cannon's algorithm");
        }
        int p = noc.width();
        for (var dim : List.of(Map.entry("m", spec.m()), Map.entry("n", spec.n()), Map.entry("k", spec.k()))) {
            if (dim.getValue() % p != 0) {
                throw new InputException(loaded.source() + ": workload." + dim.getKey(), dim.getValue(), "a multiple of the mesh side " + p);
            }
        }
        int mb = spec.m() / p, nb = spec.n() / p, kb = spec.k() / p;
        boolean full = s.run().fullPayload();
        // timing mode draws no numbers: the tiles are shapes only and there is no reference
        float[] a = full ? Inputs.uniform(s.seed(), 0, spec.m(), spec.k()) : null;
        float[] b = full ? Inputs.uniform(s.seed(), 1, spec.k(), spec.n()) : null;
        int banks = s.hardware().get(DramSpec.class).banksPerCore();
        int bankA = 0, bankB = 1 % banks, bankC = 2 % banks;
        long addrA = 0, addrB = bankB == bankA ? DType.FP32.bytes((long) mb * kb) : 0;
        long addrC = bankC == bankA ? addrA + DType.FP32.bytes((long) mb * kb) + (bankB == bankA ? DType.FP32.bytes((long) kb * nb) : 0)
                : bankC == bankB ? addrB + DType.FP32.bytes((long) kb * nb) : 0;

        MeshRing ring = new MeshRing(p);
        List<Program> programs = new ArrayList<>();
        List<Map<Long, Tile>> contents = new ArrayList<>();
        List<Plan.Placed> cTiles = new ArrayList<>();
        for (int node = 0; node < p * p; node++) {
            int x = node % p, y = node / p;
            int la = ring.logical(y), lb = ring.logical(x);
            int kBlock = (la + lb) % p;
            List<Map<Long, Tile>> mine = new ArrayList<>();
            for (int i = 0; i < banks; i++) mine.add(new HashMap<>());
            mine.get(bankA).put(addrA, Inputs.block(a, spec.k(), la * mb, kBlock * kb, mb, kb, full));
            mine.get(bankB).put(addrB, Inputs.block(b, spec.n(), kBlock * kb, lb * nb, kb, nb, full));
            contents.addAll(mine);
            int left = endpoint(ring, la, lb - 1, p), right = endpoint(ring, la, lb + 1, p);
            int up = endpoint(ring, la - 1, lb, p), down = endpoint(ring, la + 1, lb, p);

            List<Instruction> code = new ArrayList<>();
            code.add(new Instruction.Load(A0, bankA, addrA, mb, kb, DType.FP32));
            code.add(new Instruction.Load(B0, bankB, addrB, kb, nb, DType.FP32));
            for (int step = 0; step < p; step++) {
                int aCur = step % 2 == 0 ? A0 : A1, aNext = step % 2 == 0 ? A1 : A0;
                int bCur = step % 2 == 0 ? B0 : B1, bNext = step % 2 == 0 ? B1 : B0;
                boolean shift = step < p - 1;
                if (shift) {
                    code.add(new Instruction.Send(aCur, left, 2 * step));
                    code.add(new Instruction.Send(bCur, up, 2 * step + 1));
                }
                code.add(new Instruction.Gemm(aCur, bCur, C, step > 0));
                if (shift) {
                    code.add(new Instruction.Recv(aNext, right, 2 * step, mb, kb, DType.FP32));
                    code.add(new Instruction.Recv(bNext, down, 2 * step + 1, kb, nb, DType.FP32));
                }
            }
            code.add(new Instruction.Store(C, bankC, addrC));
            programs.add(Program.of(code));
            cTiles.add(new Plan.Placed(node * banks + bankC, addrC, la * mb, lb * nb));
        }
        Plan.Output out = new Plan.Output("C", new int[] {spec.m(), spec.n()}, spec.m(), spec.n(), cTiles);
        return new Plan(programs, contents, List.of(out), full
                ? () -> List.of(Tensor.ofFloats("C", new int[] {spec.m(), spec.n()}, Reference.matmul(a, b, spec.m(), spec.k(), spec.n())))
                : null);
    }

    /** The network endpoint of logical core (a, b), indices taken around the rings. */
    private static int endpoint(MeshRing ring, int a, int b, int p) {
        return ring.physical(a) * p + ring.physical(b);
    }
}
