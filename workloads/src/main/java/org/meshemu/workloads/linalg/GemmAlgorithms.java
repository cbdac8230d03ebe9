package org.meshemu.workloads.linalg;

import org.meshemu.aicore.Instruction;
import org.meshemu.scenario.Named;
import org.meshemu.scenario.Registry;
import org.meshemu.tensor.DType;
import org.meshemu.workloads.mesh.MeshRing;

/**
 * The registry of GEMM algorithms on a P x P mesh, by the scenario name {@code workload.algorithm}:
 * the {@link Algorithm}s listed in {@code META-INF/services/org.meshemu.workloads.linalg.GemmAlgorithms$Algorithm}.
 * Contract: the algorithm places A's and B's blocks in the banks, writes every core's program, and
 * stores every block of C once; each block of C sums its P block products in an order fixed by the
 * algorithm, never by timing.
 */
public final class GemmAlgorithms {
    /** Places one core's blocks and emits its program. */
    public interface Algorithm extends Named {
        void emit(MeshGemm.Core core);

        /** Whether it takes k cut into any divisor Q of the mesh side P ({@code workload.kParts}), not only P. */
        default boolean cutsKFreely() { return false; }
    }

    public static final Registry<Algorithm> REGISTRY = Registry.of(Algorithm.class, "workload.algorithm");

    private GemmAlgorithms() {}

    /**
     * {@code cannon}: Cannon's algorithm in MeshGEMM's compute-shift form. Logical core (a, b) sits at
     * physical (x, y) = (ring(b), ring(a)) of a {@link MeshRing}, so every shift is at most two hops.
     * It starts with A[a][(a+b) mod P] and B[(a+b) mod P][b] in its banks (the initial skew is done by
     * placement), and for P steps sends its A tile left and its B tile up the logical rings,
     * multiplies-accumulates, and receives the next pair; then it stores its C tile.
     *
     * <p>Per core: two loads, then P steps of (send, send, gemm, recv, recv) minus the last step's
     * sends and receives, then one store.
     *
     * <p>k cut into Q parts, Q a divisor of P ({@code workload.kParts}): T10's compute-shift with a
     * replicated operand. A's row block a and B's column block b are each cut into Q parts along k; logical
     * core (a, b) starts with part (a + b) mod Q of both and at step s holds part (a + b + s) mod Q,
     * received from its ring neighbour (Q divides P, so this holds across the ring's wrap too); after Q
     * steps it has seen every part once. Each part sits on P / Q cores of a row at once, so each core
     * holds P / Q times the SRAM of Cannon's blocks and receives (Q - 1) / Q of its row and column blocks
     * instead of (P - 1) / P; Q = 1 holds them whole and shifts nothing.
     */
    public static final class Cannon implements Algorithm {
        private static final int A0 = 0, A1 = 1, B0 = 2, B1 = 3, C = 4;

        @Override public String name() { return "cannon"; }

        @Override public boolean cutsKFreely() { return true; }

        @Override
        public void emit(MeshGemm.Core core) {
            int p = core.p(), q = core.kParts();
            MeshRing ring = new MeshRing(p);
            int la = ring.logical(core.y), lb = ring.logical(core.x);
            int kBlock = (la + lb) % q;
            int left = endpoint(core, ring, la, lb - 1), right = endpoint(core, ring, la, lb + 1);
            int up = endpoint(core, ring, la - 1, lb), down = endpoint(core, ring, la + 1, lb);
            core.loadA(A0, la, kBlock);
            core.loadB(B0, kBlock, lb);
            for (int step = 0; step < q; step++) {
                int aCur = step % 2 == 0 ? A0 : A1, aNext = step % 2 == 0 ? A1 : A0;
                int bCur = step % 2 == 0 ? B0 : B1, bNext = step % 2 == 0 ? B1 : B0;
                boolean shift = step < q - 1;
                if (shift) {
                    core.emit(new Instruction.Send(aCur, left, 2 * step));
                    core.emit(new Instruction.Send(bCur, up, 2 * step + 1));
                }
                core.emit(new Instruction.Gemm(aCur, bCur, C, step > 0));
                if (shift) {
                    core.emit(new Instruction.Recv(aNext, right, 2 * step, core.mb(), core.kb(), DType.FP32));
                    core.emit(new Instruction.Recv(bNext, down, 2 * step + 1, core.kb(), core.nb(), DType.FP32));
                }
            }
            core.storeC(C, la, lb, 0);
        }

        /** The network endpoint of logical core (a, b), indices taken around the rings. */
        private static int endpoint(MeshGemm.Core core, MeshRing ring, int a, int b) {
            return core.endpoint(ring.physical(b), ring.physical(a));
        }
    }

    /**
     * {@code summa}: SUMMA (van de Geijn and Watts). Core (x, y) holds A[y][x] and B[y][x] and
     * computes C[y][x]; in step s the cores of column s broadcast their A block along their rows and
     * those of row s their B block along their columns, and every core multiplies-accumulates the
     * pair. The mesh has no multicast, so a broadcast is a chain of one-hop forwards outwards from the
     * owner (each core receives the block from its neighbour nearer the owner and passes it on before
     * it multiplies), which pipelines one step's broadcast behind the last's.
     */
    public static final class Summa implements Algorithm {
        private static final int A_OWN = 0, A_PASSED = 1, B_OWN = 2, B_PASSED = 3, C = 4;

        @Override public String name() { return "summa"; }

        @Override
        public void emit(MeshGemm.Core core) {
            int p = core.p(), x = core.x, y = core.y;
            core.loadA(A_OWN, y, x);
            core.loadB(B_OWN, y, x);
            for (int s = 0; s < p; s++) {
                int a = broadcast(core, x, s, A_OWN, A_PASSED, 2 * s, 1, core.mb(), core.kb());
                int b = broadcast(core, y, s, B_OWN, B_PASSED, 2 * s + 1, p, core.kb(), core.nb());
                core.emit(new Instruction.Gemm(a, b, C, s > 0));
            }
            core.storeC(C, y, x, 0);
        }

        /**
         * This core's part in the broadcast from position {@code owner} of its line (row or column; its
         * own position {@code at}, neighbours {@code stride} endpoints apart): the owner uses its own
         * block, the others receive it from the side of the owner; each passes it on away from the
         * owner. Returns the slot holding the block.
         */
        private static int broadcast(MeshGemm.Core core, int at, int owner, int own, int passed, int tag, int stride, int rows, int cols) {
            int slot = own;
            if (at != owner) {
                int towardOwner = at > owner ? -stride : stride;
                core.emit(new Instruction.Recv(passed, core.node + towardOwner, tag, rows, cols, DType.FP32));
                slot = passed;
            }
            if (at >= owner && at + 1 < core.p()) core.emit(new Instruction.Send(slot, core.node + stride, tag));
            if (at <= owner && at > 0) core.emit(new Instruction.Send(slot, core.node - stride, tag));
            return slot;
        }
    }

    /**
     * {@code gather}: the gather-to-one baseline. Core (x, y) holds A[y][x] and B[y][x] as in SUMMA
     * and sends both to core 0, which receives them in endpoint order, computes every block of C as
     * the sum of its P block products in k order, and stores all of C: one core does all the
     * multiplying (its SRAM must hold all of A and B), the rest only send.
     */
    public static final class Gather implements Algorithm {
        private static final int C = 0;

        @Override public String name() { return "gather"; }

        @Override
        public void emit(MeshGemm.Core core) {
            int p = core.p();
            if (core.node != 0) {
                core.loadA(0, core.y, core.x);
                core.loadB(1, core.y, core.x);
                core.emit(new Instruction.Send(0, 0, 0));
                core.emit(new Instruction.Send(1, 0, 1));
                return;
            }
            core.loadA(aSlot(p, 0, 0), 0, 0);
            core.loadB(bSlot(p, 0, 0), 0, 0);
            for (int node = 1; node < p * p; node++) {
                int x = node % p, y = node / p;
                core.emit(new Instruction.Recv(aSlot(p, y, x), node, 0, core.mb(), core.kb(), DType.FP32));
                core.emit(new Instruction.Recv(bSlot(p, y, x), node, 1, core.kb(), core.nb(), DType.FP32));
            }
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < p; j++) {
                    for (int kk = 0; kk < p; kk++) core.emit(new Instruction.Gemm(aSlot(p, i, kk), bSlot(p, kk, j), C, kk > 0));
                    core.storeC(C, i, j, i * p + j);
                }
            }
        }

        private static int aSlot(int p, int i, int kk) { return 1 + i * p + kk; }

        private static int bSlot(int p, int kk, int j) { return 1 + p * p + kk * p + j; }
    }
}
