package org.meshemu.noc;

import java.util.List;
import org.meshemu.scenario.Check;
import org.meshemu.scenario.FieldException;

/** One direction of a NoC link. */
public record LinkSpec(int bytesPerCycle, int latencyCycles) {
    public LinkSpec {
        Check.atLeast("bytesPerCycle", bytesPerCycle, 1);
        Check.atLeast("latencyCycles", latencyCycles, 1);
    }

    /** The link's rate at a core clock of period {@code cyclePs}: ceil(B / bytesPerCycle) cycles for B bytes. */
    public Link.Rate rate(long cyclePs) { return new Link.PerCycle(bytesPerCycle, cyclePs); }
}
