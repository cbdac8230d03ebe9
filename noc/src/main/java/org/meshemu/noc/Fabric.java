package org.meshemu.noc;

import org.meshemu.scenario.Scenario;

/**
 * The system's network: its chips and each chip's NoC. Network endpoints (cores) are numbered
 * chip-major: chip * noc.nodes() + on-chip node, y * width + x.
 */
public record Fabric(NocSpec noc, ChipsSpec chips) {
    /** The scenario's network sections. */
    public static Fabric of(Scenario.Hardware hardware) {
        return new Fabric(hardware.get(NocSpec.class), hardware.get(ChipsSpec.class));
    }

    /** Network endpoints (cores) of the whole system. */
    public int endpoints() { return Math.multiplyExact(chips.count(), noc.nodes()); }

    /** The label of the {@code kind} component at endpoint {@code n}: "core(x,y)", "chip2.core(x,y)" with several chips. */
    public String endpointLabel(String kind, int n) {
        int local = n % noc.nodes();
        String at = kind + "(" + local % noc.width() + "," + local / noc.width() + ")";
        return chips.count() == 1 ? at : "chip" + n / noc.nodes() + "." + at;
    }
}
