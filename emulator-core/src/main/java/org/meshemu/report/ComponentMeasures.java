package org.meshemu.report;

import org.meshemu.kernel.ComponentReport;
import org.meshemu.scenario.Named;
import org.meshemu.scenario.Registry;

/**
 * What the report machinery reads from one kind of component, given by the module that models it
 * (only that module knows its counters): its share of the energy and of the traffic. Registered by
 * component kind ({@code core}, {@code link}, {@code bank}); a kind without measures (a router, a
 * traffic generator) adds nothing.
 */
public interface ComponentMeasures extends Named {
    /** The component kind these measures read, e.g. "bank". */
    @Override
    String name();

    /** Which part of {@link Energy} the component's dynamic energy belongs to. */
    Energy.Part part();

    /** Dynamic energy of the component's work over the run, in pJ, by the scenario's figures. */
    double dynamicPj(ComponentReport r, EnergySpec e);

    /** Whether the component draws {@link EnergySpec#staticMilliwattsPerCore()} (a core with its SRAM). */
    default boolean drawsStaticPower() { return false; }

    /** Bytes the component serialised on the NoC (a link: every hop counts). */
    default long nocBytes(ComponentReport r) { return 0; }

    /**
     * Busy time in ps of each link the component drives itself, by the link's label: a router
     * whose links are no components of their own (the vc router's). A link component's own busy
     * time is its report's {@code busyPs}.
     */
    default java.util.Map<String, Long> drivenLinkBusyPs(ComponentReport r) { return java.util.Map.of(); }

    /** Bytes read from DRAM. */
    default long dramBytesRead(ComponentReport r) { return 0; }

    /** Bytes written to DRAM. */
    default long dramBytesWritten(ComponentReport r) { return 0; }

    /** Every component kind's measures. */
    Registry<ComponentMeasures> REGISTRY = Registry.of(ComponentMeasures.class, "component kind");

    /** The measures of {@code r}'s kind, or none. */
    static ComponentMeasures of(ComponentReport r) {
        return REGISTRY.find(r.kind()).orElse(NONE);
    }

    /** A kind without measures. */
    ComponentMeasures NONE = new ComponentMeasures() {
        @Override public String name() { return ""; }

        @Override public Energy.Part part() { return Energy.Part.NONE; }

        @Override public double dynamicPj(ComponentReport r, EnergySpec e) { return 0; }
    };
}
