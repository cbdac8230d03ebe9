package org.meshemu.noc;

import java.util.List;
import org.meshemu.scenario.Check;
import org.meshemu.scenario.FieldException;

/**
 * The on-chip network. {@code maxPacketBytes} is the largest packet a network interface puts on
 * the wire: a longer message is split into packets that pipeline across hops; 0 = never split.
 * {@code bufferPackets} is each router input's buffer, in packets, enforced by credits; 0 =
 * unbounded, no credits. {@code flowControl} names how the ideal router's links move a packet
 * (store-and-forward, cut-through) and {@code router} the router model (ideal, vc), both
 * registered by name in the noc module, which checks them when it wires the network; {@code vc}
 * configures the vc router.
 */
public record NocSpec(String topology, int width, int height, String routing, LinkSpec link,
                      int routerDelayCycles, int injectionCycles, long maxPacketBytes, int bufferPackets,
                      String flowControl, String router, VcSpec vc) {
    public NocSpec {
        Check.present("topology", topology);
        Check.atLeast("width", width, 1);
        Check.atLeast("height", height, 1);
        Check.present("routing", routing);
        Check.present("link", link);
        Check.atLeast("routerDelayCycles", routerDelayCycles, 1);
        Check.atLeast("injectionCycles", injectionCycles, 1);
        Check.atLeast("maxPacketBytes", maxPacketBytes, 0L);
        Check.atLeast("bufferPackets", bufferPackets, 0);
        Check.present("flowControl", flowControl);
        Check.present("router", router);
        Check.present("vc", vc);
    }

    /** A network that never splits, has unbounded buffers and the ideal store-and-forward router. */
    public NocSpec(String topology, int width, int height, String routing, LinkSpec link, int routerDelayCycles, int injectionCycles) {
        this(topology, width, height, routing, link, routerDelayCycles, injectionCycles, 0, 0);
    }

    /** The ideal store-and-forward router with these packets and buffers. */
    public NocSpec(String topology, int width, int height, String routing, LinkSpec link, int routerDelayCycles, int injectionCycles,
                   long maxPacketBytes, int bufferPackets) {
        this(topology, width, height, routing, link, routerDelayCycles, injectionCycles, maxPacketBytes, bufferPackets,
                "store-and-forward", "ideal", VcSpec.BOOKSIM);
    }

    public int nodes() { return Math.multiplyExact(width, height); } // Hardware bounds width x height

    public NocSpec withFlowControl(String f) {
        return new NocSpec(topology, width, height, routing, link, routerDelayCycles, injectionCycles, maxPacketBytes, bufferPackets, f, router, vc);
    }

    public NocSpec withRouter(String r, VcSpec v) {
        return new NocSpec(topology, width, height, routing, link, routerDelayCycles, injectionCycles, maxPacketBytes, bufferPackets, flowControl, r, v);
    }

    /** The {@code hardware.noc} section, registered in META-INF/services/org.meshemu.scenario.Section. */
    public static final class Section extends org.meshemu.scenario.Section<NocSpec> {
        public Section() { super("hardware.noc", NocSpec.class); }

        /** The chips times each chip's cores (a field of neither section alone) stay within {@link org.meshemu.scenario.Scenario#MAX_CORES}. */
        @Override
        public void check(NocSpec noc, org.meshemu.scenario.Scenario.Hardware hardware) {
            ChipsSpec chips = hardware.get(ChipsSpec.class);
            long cores = (long) chips.count() * noc.width() * noc.height();
            if (cores > org.meshemu.scenario.Scenario.MAX_CORES) {
                throw new FieldException("", chips.count() + " chips x " + noc.width() + " x " + noc.height() + " = " + cores + " cores",
                        "at most " + org.meshemu.scenario.Scenario.MAX_CORES + " cores in all");
            }
        }
    }
}
