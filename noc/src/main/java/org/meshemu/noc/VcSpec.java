package org.meshemu.noc;

import java.util.List;
import org.meshemu.scenario.Check;
import org.meshemu.scenario.FieldException;

/**
 * The input-queued virtual-channel router ({@code hardware.noc.router: vc}), in BookSim2's
 * vocabulary: {@code count} virtual channels per input, each a buffer of {@code bufferFlits}
 * flits (a flit is the link's bytesPerCycle) under credit flow control; {@code allocator} names
 * the separable VC and switch allocators (registered in the noc module); {@code iterations}
 * their iterations per cycle; {@code inputSpeedup} and {@code outputSpeedup} BookSim2's
 * input_speedup and output_speedup: an input's VCs v with v mod inputSpeedup = j share switch
 * input j of that input, and an output takes flits from inputs i with i mod outputSpeedup = j at
 * its switch input j, so up to that many flits a cycle leave an input and reach an output, whose
 * link still takes one flit at a time from its output queue.
 */
public record VcSpec(int count, int bufferFlits, String allocator, int iterations, int inputSpeedup, int outputSpeedup, VcPipeline pipeline) {
    /** BookSim2's iq router defaults, except 8 VCs of 8 flits. */
    public static final VcSpec BOOKSIM = new VcSpec(8, 8, "islip", 1, VcPipeline.BOOKSIM);

    /** Without speedups. */
    public VcSpec(int count, int bufferFlits, String allocator, int iterations, VcPipeline pipeline) {
        this(count, bufferFlits, allocator, iterations, 1, 1, pipeline);
    }

    public VcSpec {
        Check.atLeast("count", count, 1);
        Check.atLeast("bufferFlits", bufferFlits, 1);
        Check.present("allocator", allocator);
        Check.atLeast("iterations", iterations, 1);
        Check.atLeast("inputSpeedup", inputSpeedup, 1);
        Check.atLeast("outputSpeedup", outputSpeedup, 1);
        Check.present("pipeline", pipeline);
    }

    public VcSpec withCount(int c) { return new VcSpec(c, bufferFlits, allocator, iterations, inputSpeedup, outputSpeedup, pipeline); }

    public VcSpec withSpeedups(int input, int output) { return new VcSpec(count, bufferFlits, allocator, iterations, input, output, pipeline); }
}
