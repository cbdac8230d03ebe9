package org.meshemu.dashboards;

/**
 * A heatmap layer: one value per mesh node, from the components of one kind at that node.
 * Utilisations are busy time / simulated time (docs/REPORT.md); bank traffic is bytes.
 */
public enum Layer {
    /** Busy fraction of the node's core (the mean of its cores, if several). */
    CORE_UTILISATION("core", "core-utilisation", "core utilisation", Combine.MEAN, true),
    /** Busy fraction of the node's busiest outgoing link. */
    LINK_UTILISATION("link", "link-utilisation", "link utilisation (busiest outgoing link)", Combine.MAX, true),
    /** Bytes read and written by the node's banks. */
    BANK_TRAFFIC("bank", "bank-traffic", "DRAM bank traffic (bytes)", Combine.SUM, false);

    enum Combine { MEAN, MAX, SUM }

    /** The component kind the layer reads. */
    public final String kind;
    /** The layer's name in URLs and file names ({@code <name>.png}). */
    public final String key;
    public final String title;
    final Combine combine;
    /** True for a busy fraction in [0, 1]; false for bytes, drawn relative to the largest node. */
    public final boolean fraction;

    Layer(String kind, String key, String title, Combine combine, boolean fraction) {
        this.kind = kind;
        this.key = key;
        this.title = title;
        this.combine = combine;
        this.fraction = fraction;
    }
}
