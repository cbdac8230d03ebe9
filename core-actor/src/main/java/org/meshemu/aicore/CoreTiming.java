package org.meshemu.aicore;

import org.meshemu.kernel.Time;

/**
 * The timing of the core's instructions, first order: every instruction costs
 * {@code overheadCycles}, plus its work divided by the throughput of the unit that does it.
 * <ul>
 *   <li>gemm m x k . k x n: overhead + ceil(2 m n k / matrixFlopsPerCycle) cycles</li>
 *   <li>elementwise and reduce over e elements: overhead + ceil(e / vectorLanes) cycles</li>
 *   <li>vector op over e input elements making p passes: overhead + ceil(e p / vectorLanes) cycles</li>
 *   <li>lut-gemm of ternary m x k by int8 k x 1: overhead + ceil(m k / matrixFlopsPerCycle) cycles (one
 *       add per weight, where the fp32 unit spends two flops per multiply-add: twice its fp32 rate)</li>
 *   <li>send, recv (once the data is there), load and store issue: overhead cycles</li>
 * </ul>
 *
 * @param cyclePs core clock period in picoseconds
 */
public record CoreTiming(long cyclePs, int matrixFlopsPerCycle, int vectorLanes, int overheadCycles) {
    public CoreTiming {
        if (cyclePs < 1 || matrixFlopsPerCycle < 1 || vectorLanes < 1 || overheadCycles < 0) {
            throw new IllegalArgumentException("bad core timing " + cyclePs + "/" + matrixFlopsPerCycle + "/" + vectorLanes + "/" + overheadCycles);
        }
    }

    public long gemmCycles(int m, int n, int k) {
        return overheadCycles + Time.ceilDiv(2L * m * n * k, matrixFlopsPerCycle);
    }

    public long vectorCycles(long elements) {
        return overheadCycles + Time.ceilDiv(elements, vectorLanes);
    }

    public long vectorCycles(long elements, int passes) {
        return overheadCycles + Time.ceilDiv(elements * passes, vectorLanes);
    }

    public long lutGemmCycles(int m, int k) {
        return overheadCycles + Time.ceilDiv((long) m * k, matrixFlopsPerCycle);
    }

    public long issueCycles() {
        return overheadCycles;
    }

    public long ps(long cycles) {
        return cycles * cyclePs;
    }
}
