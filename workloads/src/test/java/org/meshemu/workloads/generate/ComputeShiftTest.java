package org.meshemu.workloads.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.Program;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.workloads.generate.lower.Lowering;
import org.meshemu.workloads.mesh.MeshRing;

/**
 * The lowered programs of one compute-shift projection: x travels round the ring in blocks, never whole
 * (a fall-back to row-split's broadcast would send all of x), and every weight block is read from the bank
 * in at most two accesses per core.
 */
class ComputeShiftTest {
    private static final int CORES = 8, WIDTH = 4, K = 32, M = 24, T = 3;

    private static List<Program> lower(DType weights) {
        Graph g = new Graph();
        List<Graph.Val> columns = IntStream.range(0, T).mapToObj(t -> g.constant("x" + t, new float[K], K)).toList();
        Graph.Val x = g.stack("x", columns);
        if (weights == DType.TERNARY) x = g.vector("quantise", new VectorOp.Quantise(), x, g.vector("scale", new VectorOp.AbsMaxScale(), x));
        g.matvec("proj", new Graph.Weight("w", M, K, weights, null), x);
        Lowering l = new Lowering(CORES, CORES, WIDTH, 1, false, new ComputeShift(), ExpertPlacements.named("sliced"), "lut");
        l.lower(g);
        return l.programs();
    }

    @Test
    void everyRingMemberReceivesPMinusOneXBlocksFromItsRingSuccessorAndNoCoreEverGetsAllOfX() {
        for (DType weights : List.of(DType.FP32, DType.TERNARY)) {
            List<Program> programs = lower(weights);
            int[] ring = MeshRing.onMesh(WIDTH, CORES);
            int block = K / CORES;
            for (int r = 0; r < CORES; r++) {
                int core = ring[r], successor = ring[(r + 1) % CORES], predecessor = ring[Math.floorMod(r - 1, CORES)];
                List<Instruction.Recv> recvs = programs.get(core).instructions().stream()
                        .filter(i -> i instanceof Instruction.Recv).map(i -> (Instruction.Recv) i).toList();
                long fromSuccessor = recvs.stream().filter(v -> v.source() == successor && v.rows() == block && v.cols() == T).count();
                // p - 1 shifts; the first block comes down the scatter tree, from the successor too when it is the tree parent
                assertTrue(fromSuccessor == CORES - 1 || fromSuccessor == CORES, weights + ": x blocks into core " + core + ": " + fromSuccessor);
                assertTrue(recvs.stream().noneMatch(v -> v.rows() == K), weights + ": core " + core + " received all of x (a broadcast)");
                long sends = programs.get(core).instructions().stream()
                        .filter(i -> i instanceof Instruction.Send s && s.destination() == predecessor).count();
                assertTrue(sends >= CORES - 1, weights + ": core " + core + " passes its blocks on to its ring predecessor, " + sends);
                long loads = programs.get(core).instructions().stream().filter(i -> i instanceof Instruction.Load).count();
                assertTrue(loads <= 2 + (core == Lowering.LEAD ? T : 0), weights + ": bank accesses of core " + core + ": " + loads);
            }
        }
    }
}
