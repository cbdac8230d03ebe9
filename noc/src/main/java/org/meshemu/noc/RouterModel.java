package org.meshemu.noc;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.kernel.Assembly;
import org.meshemu.noc.Topology.Census;
import org.meshemu.noc.Topology.Chip;
import org.meshemu.noc.Topology.Network;
import org.meshemu.scenario.Named;
import org.meshemu.scenario.Registry;

/**
 * A router model ({@code hardware.noc.router}): the routers of a grid chip ({@link Grid2d}) and
 * what joins neighbouring ones. {@code ideal} ({@link IdealRouterModel}): the output-queued
 * {@link Router} with links as components and a fixed pipeline delay; {@code vc}
 * ({@link VcRouterModel}): the input-queued virtual-channel {@link VcRouter}, cycle by cycle.
 * A router model also joins chips by their chip links ({@link #joinChips}). Registered by name in
 * {@link #REGISTRY}; an all-to-all exchange has ideal routers only.
 */
public interface RouterModel extends Named {
    /** Router models by scenario name. */
    Registry<RouterModel> REGISTRY = Registry.of(RouterModel.class, "hardware.noc.router");

    /**
     * Adds a router per node of {@code shape} for {@code cores} and joins the neighbours, as
     * {@link Topology#wire} does for the grid.
     */
    Network wire(Assembly.Builder b, NocSpec noc, long cyclePs, int[] cores, Chip chip, Grid2d.Shape shape);

    /** What {@link #wire} adds for {@code routers} routers joined by {@code links} directed links, counted without building. */
    Census census(long routers, long links);

    /**
     * One direction of a chip link to wire, from the port router(s) {@code senders} (several on
     * an exchange) by their output {@code output} into router {@code receiver}'s input facing
     * {@code facing} (the far chip's port name); {@code senderInputs}: the input names of the
     * sending routers.
     */
    record ChipLink(String label, int locality, int[] senders, String output, int receiver, String facing,
                    List<String> senderInputs, Link.Rate rate, long latencyPs, NocSpec noc, long cyclePs) {}

    /**
     * Wires {@code link}; returns what it added (its link components and, for {@link Credits},
     * its edges). The ideal router's: a {@link Link} component with its own FIFO and credits for
     * the far router's input buffer.
     */
    default Network joinChips(Assembly.Builder b, ChipLink link) {
        NocSpec noc = link.noc();
        int buffer = noc.bufferPackets();
        FlowControl flow = FlowControl.REGISTRY.named(noc.flowControl());
        // A chip link returns the credits of the buffers its packets wait in at the routers feeding it.
        var linkPorts = Link.ports(link.senderInputs());
        String input = "from-" + link.facing();
        int id = b.add("link", link.label(), link.locality(), linkPorts,
                () -> new Link(link.rate(), flow, noc.link().bytesPerCycle(), buffer, linkPorts, buffer > 0));
        List<Topology.Edge> edges = new ArrayList<>();
        for (int from : link.senders()) {
            b.connect(from, link.output(), id, Link.HOP.name(), noc.routerDelayCycles() * link.cyclePs());
            edges.add(new Topology.Edge(id, from, link.receiver(), input, link.latencyPs()));
        }
        b.connect(id, "out", link.receiver(), input, link.latencyPs());
        return new Network(new int[0], new int[] {id}, edges, List.of(), -1);
    }

    /** What {@link #joinChips} adds for {@code chipLinks} directed chip links, counted without building. */
    default Census chipLinkCensus(long chipLinks) { return new Census(0, chipLinks, 2 * chipLinks); }
}
