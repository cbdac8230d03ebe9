package org.meshemu.noc;

import java.util.List;
import org.meshemu.scenario.Check;
import org.meshemu.scenario.FieldException;

/**
 * The vc router's pipeline in cycles, as BookSim2's routing_delay, vc_alloc_delay,
 * sw_alloc_delay, st_prepare_delay, st_final_delay and credit_delay.
 */
public record VcPipeline(int routingDelay, int vcAllocDelay, int swAllocDelay, int stPrepareDelay, int stFinalDelay, int creditDelay) {
    public static final VcPipeline BOOKSIM = new VcPipeline(1, 1, 1, 0, 1, 0);

    public VcPipeline {
        Check.atLeast("routingDelay", routingDelay, 0);
        Check.atLeast("vcAllocDelay", vcAllocDelay, 0);
        Check.atLeast("swAllocDelay", swAllocDelay, 1);
        Check.atLeast("stPrepareDelay", stPrepareDelay, 0);
        Check.atLeast("stFinalDelay", stFinalDelay, 1);
        Check.atLeast("creditDelay", creditDelay, 0);
    }
}
