package org.meshemu.noc;

import java.util.List;
import org.meshemu.scenario.Check;
import org.meshemu.scenario.FieldException;

/**
 * The input-queued virtual-channel router ({@code hardware.noc.router: vc}), in BookSim2's
 * vocabulary: {@code count} virtual channels per input, each a buffer of {@code bufferFlits}
 * flits (a flit is the link's bytesPerCycle) under credit flow control; {@code allocator} names
 * the separable VC and switch allocators (registered in the noc module); {@code iterations}
 * their iterations per cycle.
 */
public record VcSpec(int count, int bufferFlits, String allocator, int iterations, VcPipeline pipeline) {
    /** BookSim2's iq router defaults, except 8 VCs of 8 flits. */
    public static final VcSpec BOOKSIM = new VcSpec(8, 8, "islip", 1, VcPipeline.BOOKSIM);

    public VcSpec {
        Check.atLeast("count", count, 1);
        Check.atLeast("bufferFlits", bufferFlits, 1);
        Check.present("allocator", allocator);
        Check.atLeast("iterations", iterations, 1);
        Check.present("pipeline", pipeline);
    }

    public VcSpec withCount(int c) { return new VcSpec(c, bufferFlits, allocator, iterations, pipeline); }
}
