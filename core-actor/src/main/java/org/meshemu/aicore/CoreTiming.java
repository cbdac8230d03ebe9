package org.meshemu.aicore;

import org.meshemu.kernel.Time;

/**
 * The timing of the core's instructions, first order: every instruction costs
 * {@code overheadCycles}, plus its work divided by the throughput of the unit that does it.
 * <ul>
 *   <li>gemm m x k . k x n: overhead + ceil(2 m n k / matrixFlopsPerCycle) cycles</li>
 *   <li>elementwise and reduce over e elements: overhead + ceil(e / vectorLanes) cycles</li>
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

    public long issueCycles() {
        return overheadCycles;
    }

    public long ps(long cycles) {
        return cycles * cyclePs;
    }
}
