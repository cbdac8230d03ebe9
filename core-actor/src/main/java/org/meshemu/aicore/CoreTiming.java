package org.meshemu.aicore;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.meshemu.kernel.Time;
import org.meshemu.tensor.DType;

/**
 * The timing of the core's instructions, first order. Contract: a compute instruction costs
 * <pre>
 *   overheadCycles + max(unit cycles, ceil(bytes read and written in SRAM / sramBytesPerCycle))
 * </pre>
 * where the unit cycles are its work over the throughput of the unit that does it:
 * <ul>
 *   <li>gemm m x k . k x n: ceil(2 m n k / matrixFlopsPerCycle[t]), t the wider operand's dtype</li>
 *   <li>elementwise and reduce over e elements: ceil(e / vectorLanes)</li>
 *   <li>vector op: ceil(work / vectorLanes), work its element operations ({@link VectorOp#work}: by default
 *       e input elements times p passes), plus ceil(f / matrixFlopsPerCycle[fp32]) for the f flops of the
 *       matrix products inside a prompt-form retention; an op that makes no pass (reshape) moves no data,
 *       so it costs the overhead alone, and one that picks a part of its input (slice, column) moves only
 *       that part</li>
 *   <li>lut-gemm of ternary m x k by int8 k x n (LUT Tensor Core): table + lookups, with G = ceil(k / g):
 *       table = ceil(n G 2^(g-1) / vectorLanes) (one add per entry on the vector unit, shared by the m
 *       rows) and lookups = ceil(m n G planes / lutLookupsPerCycle), planes = {@value #TERNARY_BIT_PLANES}</li>
 * </ul>
 * Send, recv (once the data is there), load and store issue cost {@code overheadCycles}; their data
 * moves at the NoC's or the bank's rate, which is below the SRAM's.
 *
 * @param cyclePs core clock period in picoseconds
 */
public record CoreTiming(long cyclePs, Map<DType, Integer> matrixFlopsPerCycle, int vectorLanes, int overheadCycles,
                         int sramBytesPerCycle, int lutGroupSize, int lutLookupsPerCycle) {
    /**
     * Bit-planes of a ternary weight in the LUT unit: w = p - n with p = [w = 1] and n = [w = -1], each a
     * binary plane read as signs (+1 for a set bit, -1 otherwise) so that the table is symmetric.
     */
    public static final int TERNARY_BIT_PLANES = 2;

    public CoreTiming {
        matrixFlopsPerCycle = Map.copyOf(matrixFlopsPerCycle);
        if (cyclePs < 1 || vectorLanes < 1 || overheadCycles < 0 || sramBytesPerCycle < 1 || lutGroupSize < 1
                || lutGroupSize > CoreSpec.MAX_LUT_GROUP || lutLookupsPerCycle < 1
                || matrixFlopsPerCycle.values().stream().anyMatch(r -> r < 1)) {
            throw new IllegalArgumentException("bad core timing " + cyclePs + "/" + matrixFlopsPerCycle + "/" + vectorLanes + "/"
                    + overheadCycles + "/" + sramBytesPerCycle + "/" + lutGroupSize + "/" + lutLookupsPerCycle);
        }
    }

    /** The timing of a core of this scenario spec (its dtype names are valid: the spec checked them). */
    public static CoreTiming of(CoreSpec spec, long cyclePs) {
        Map<DType, Integer> rates = new EnumMap<>(DType.class);
        for (DType t : DType.values()) {
            Integer r = spec.matrixFlopsPerCycle().get(t.key());
            if (r != null) rates.put(t, r);
        }
        return new CoreTiming(cyclePs, rates, spec.vectorLanes(), spec.instructionOverheadCycles(), spec.sramBytesPerCycle(),
                spec.lutGroupSize(), spec.lutLookupsPerCycle());
    }

    /**
     * Cycles of compute instruction {@code in} reading tiles of shapes {@code inputs} (in operand order,
     * the accumulator last) and writing {@code out}.
     */
    public long cycles(Instruction in, List<Shape> inputs, Shape out) {
        long bytes = out.bytes();
        for (Shape s : inputs) bytes += s.bytes();
        Shape a = inputs.get(0);
        long unit = switch (in) {
            case Instruction.Gemm g -> matrixCycles(matrixType(a.dtype(), inputs.get(1).dtype()), a.rows(), inputs.get(1).cols(), a.cols());
            case Instruction.Elementwise e -> vectorUnitCycles(a.elements(), 1);
            case Instruction.Reduce r -> vectorUnitCycles(a.elements(), 1);
            case Instruction.Vector v -> {
                VectorOp op = v.op();
                if (op.passes() == 0) bytes = 0;                    // a view of the same SRAM bytes
                else if (!op.readsWhole()) bytes = 2 * out.bytes(); // reads only the part it writes
                long flops = op.matrixFlops(inputs);
                yield vectorUnitCycles(op.work(inputs), 1) + (flops == 0 ? 0 : matrixCycles(DType.FP32, flops));
            }
            case Instruction.LutGemm l -> lutTableCycles(a.cols(), inputs.get(1).cols()) + lutLookupCycles(a.rows(), a.cols(), inputs.get(1).cols());
            case Instruction.Load l -> throw notCompute(in);
            case Instruction.Prefetch p -> throw notCompute(in);
            case Instruction.LoadIndexed l -> throw notCompute(in);
            case Instruction.Store s -> throw notCompute(in);
            case Instruction.Send s -> throw notCompute(in);
            case Instruction.Recv r -> throw notCompute(in);
            case Instruction.Mark m -> throw notCompute(in);
            case Instruction.Count c -> throw notCompute(in);
            case Instruction.Skip k -> throw notCompute(in);
        };
        return overheadCycles + Math.max(unit, sramCycles(bytes));
    }

    private static IllegalArgumentException notCompute(Instruction in) {
        return new IllegalArgumentException(in + " is not a compute instruction");
    }

    /** The dtype a product runs at: the wider operand's (a bf16 x fp32 product runs at the fp32 rate); a's on a tie. */
    public static DType matrixType(DType a, DType b) {
        return b.bits() > a.bits() ? b : a;
    }

    /** ceil(2 m n k / matrixFlopsPerCycle[t]); fails naming the scenario field when t has no rate. */
    public long matrixCycles(DType t, int m, int n, int k) {
        return matrixCycles(t, 2L * m * n * k);
    }

    private int rate(DType t) {
        Integer rate = matrixFlopsPerCycle.get(t);
        if (rate == null) {
            throw new IllegalStateException("hardware.core.matrixFlopsPerCycle has no " + t.key() + " rate for a " + t.key()
                    + " gemm; rates given: " + matrixFlopsPerCycle.keySet());
        }
        return rate;
    }

    /** ceil(flops / matrixFlopsPerCycle[t]). */
    public long matrixCycles(DType t, long flops) {
        return Time.ceilDiv(flops, rate(t));
    }

    /** ceil(elements passes / vectorLanes). */
    public long vectorUnitCycles(long elements, int passes) {
        return Time.ceilDiv(elements * passes, vectorLanes);
    }

    /** ceil(bytes / sramBytesPerCycle). */
    public long sramCycles(long bytes) {
        return Time.ceilDiv(bytes, sramBytesPerCycle);
    }

    /** LUT groups of a k-long activation column: ceil(k / g) (the last group padded with zeros). */
    public long lutGroups(int k) {
        return Time.ceilDiv(k, lutGroupSize);
    }

    /** Table precompute for n activation columns of length k: ceil(n ceil(k / g) 2^(g-1) / vectorLanes). */
    public long lutTableCycles(int k, int n) {
        return Time.ceilDiv((long) n * lutGroups(k) * (1L << (lutGroupSize - 1)), vectorLanes);
    }

    /** Lookups of m output rows by n columns: ceil(m n ceil(k / g) planes / lutLookupsPerCycle). */
    public long lutLookupCycles(int m, int k, int n) {
        return Time.ceilDiv((long) m * n * lutGroups(k) * TERNARY_BIT_PLANES, lutLookupsPerCycle);
    }

    public long issueCycles() {
        return overheadCycles;
    }

    public long ps(long cycles) {
        return cycles * cyclePs;
    }
}
