package org.meshemu.noc;

import java.util.List;
import org.meshemu.scenario.Check;
import org.meshemu.scenario.FieldException;

/**
 * One direction of a chip-to-chip link: bandwidth as bandwidthGBps (decimal GB/s, up to three
 * decimals) or bytesPerCycle, latency as latencyNs or latencyCycles; exactly one of each pair.
 */
public record ChipLinkSpec(Double bandwidthGBps, Integer bytesPerCycle, Double latencyNs, Integer latencyCycles) {
    public ChipLinkSpec {
        if (bandwidthGBps != null && bytesPerCycle != null) throw new FieldException("bandwidthGBps", bandwidthGBps, "absent when bytesPerCycle is given");
        if (latencyNs != null && latencyCycles != null) throw new FieldException("latencyNs", latencyNs, "absent when latencyCycles is given");
        if (bandwidthGBps != null && !(Math.round(bandwidthGBps * 1000) >= 1)) throw new FieldException("bandwidthGBps", bandwidthGBps, ">= 0.001");
        if (bytesPerCycle != null) Check.atLeast("bytesPerCycle", bytesPerCycle, 1);
        if (latencyNs != null && !(Math.round(latencyNs * 1000) >= 1)) throw new FieldException("latencyNs", latencyNs, ">= 0.001 (1 ps)");
        if (latencyCycles != null) Check.atLeast("latencyCycles", latencyCycles, 1);
    }

    void requireComplete() {
        if (bandwidthGBps == null && bytesPerCycle == null) throw new FieldException("link.bandwidthGBps", "nothing", "given (or bytesPerCycle) when count > 1");
        if (latencyNs == null && latencyCycles == null) throw new FieldException("link.latencyNs", "nothing", "given (or latencyCycles) when count > 1");
    }

    /** The link's rate: GB/s as given, or bytes per core cycle of period {@code cyclePs}. */
    public Link.Rate rate(long cyclePs) {
        return bandwidthGBps != null ? new Link.GBps(Math.round(bandwidthGBps * 1000)) : new Link.PerCycle(bytesPerCycle, cyclePs);
    }

    /** The latency in picoseconds. */
    public long latencyPs(long cyclePs) {
        return latencyCycles != null ? latencyCycles * cyclePs : Math.round(latencyNs * 1000);
    }
}
