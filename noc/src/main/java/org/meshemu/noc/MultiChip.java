package org.meshemu.noc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.meshemu.kernel.Assembly;
import org.meshemu.scenario.InputException;

/**
 * The network of the whole system: each chip's on-chip {@link Topology} (endpoints numbered
 * chip-major), joined by chip-to-chip {@link Link}s that leave and enter each chip at its port
 * routers ({@code hardware.chips.ports}). A packet for another chip is routed on-chip to the port
 * of the direction its {@link ChipGraph} gives, crosses the chip link after the port router's
 * delay, enters the next chip at the facing port, and so on; on its own chip it is routed by the
 * on-chip function. One chip is the degenerate case: no ports, no chip links, the on-chip network
 * exactly as it was.
 *
 * <p>Zero-load latency of one packet across one chip link, in cycles: the on-chip path to the
 * port (without ejection) + routerDelay + ser_chip + chipLatency + the on-chip path from the far
 * port (starting at its router), i.e. each chip crossing adds one router traversal and one chip
 * link. Deadlock: as on the torus, none can form with unbounded buffers; with finite ones a route
 * through several chips can deadlock the ideal router, and the run fails saying so, while the vc
 * router's VC classes (from the {@link ChipGraph}) prevent it. The router model joins the chips
 * ({@link RouterModel#joinChips}); credits of {@link Link}s are wired here, once every link is
 * known ({@link Credits}).
 */
public final class MultiChip {
    private MultiChip() {}

    /** Wires the network of {@code hw} for {@code endpoints} (component ids of every core, chip-major). */
    public static Topology.Network wire(Assembly.Builder b, Fabric fabric, long cyclePs, int[] endpoints) {
        NocSpec noc = fabric.noc();
        ChipsSpec chips = fabric.chips();
        int perChip = noc.nodes();
        if (endpoints.length != fabric.endpoints()) throw new IllegalArgumentException(endpoints.length + " endpoints for " + fabric.endpoints());
        ChipGraph graph = ChipGraph.REGISTRY.named(chips.topology()).of(chips);
        Map<String, Integer> ports = portNodes(chips, noc);

        // Router outputs for the directions some chip actually uses (none for a single chip).
        List<String> directions = graph.directions();
        int[] output = new int[directions.size()];
        List<String> portNames = new ArrayList<>();
        for (int d = 0; d < directions.size(); d++) {
            output[d] = -1;
            for (int c = 0; c < chips.count(); c++) {
                if (graph.neighbour(c, d) >= 0) {
                    output[d] = portNames.size();
                    portNames.add("chip-" + directions.get(d));
                    break;
                }
            }
        }

        Topology onChip = Topology.REGISTRY.named(noc.topology());
        if (chips.count() > 1 && onChip.everyRouterIsAPort() && !chips.ports().isEmpty()) {
            throw new InputException("hardware.chips.ports", chips.ports(),
                    "empty for '" + noc.topology() + "' chips (every exchange port drives the chip links)");
        }
        List<Topology.Network> networks = new ArrayList<>();
        List<Integer> links = new ArrayList<>();
        List<Topology.Edge> edges = new ArrayList<>();
        java.util.Set<Integer> portNodes = new java.util.HashSet<>();
        for (int d = 0; d < directions.size(); d++) if (output[d] >= 0) portNodes.add(ports.get(graph.sendPort(d)));
        for (int c = 0; c < chips.count(); c++) {
            final int chip = c;
            int[] cores = java.util.Arrays.copyOfRange(endpoints, c * perChip, (c + 1) * perChip);
            java.util.Map<Integer, java.util.Map<String, String>> leaving = new java.util.HashMap<>();
            for (int d = 0; d < directions.size(); d++) {
                int to = graph.neighbour(c, d);
                if (to >= 0) leaving.computeIfAbsent(ports.get(graph.sendPort(d)), n -> new java.util.HashMap<>())
                        .put(portNames.get(output[d]), chipLinkLabel(c, to, directions.get(d)));
            }
            Topology.PortLinks portLinks = chips.count() == 1 ? Topology.PortLinks.NONE
                    : new Topology.PortLinks(portNodes, chips.link().rate(cyclePs), chips.link().latencyPs(cyclePs),
                            onChipOutputs -> graph.vcClasses(chip, output, portNames.size(), onChipOutputs), leaving);
            Topology.Chip where = new Topology.Chip(chips.count() == 1 ? "" : "chip" + c + ".", c * perChip, portNames,
                    (routing, onChipOutputs) -> chips.count() == 1 ? routing
                            : new Hierarchical(chip, perChip, routing, graph, ports, output, onChipOutputs, onChip.everyRouterIsAPort()),
                    portLinks);
            Topology.Network net = onChip.wire(b, noc, cyclePs, cores, where);
            networks.add(net);
            for (int l : net.links()) links.add(l);
            edges.addAll(net.edges());
        }

        RouterModel joining = onChip.routerModel(noc);
        for (int c = 0; c < chips.count(); c++) {
            for (int d = 0; d < directions.size(); d++) {
                int to = graph.neighbour(c, d);
                if (to < 0) continue;
                int sendNode = ports.get(graph.sendPort(d));
                Topology.Network joined = joining.joinChips(b, new RouterModel.ChipLink(chipLinkLabel(c, to, directions.get(d)),
                        c * perChip + sendNode, networks.get(c).senders(sendNode), portNames.get(output[d]),
                        networks.get(to).receiver(ports.get(graph.receivePort(d))), portNames.get(output[graph.reverse(c, d)]),
                        networks.get(c).inputs(), chips.link().rate(cyclePs), chips.link().latencyPs(cyclePs), noc, cyclePs));
                for (int l : joined.links()) links.add(l);
                edges.addAll(joined.edges());
            }
        }
        if (noc.bufferPackets() > 0) Credits.wire(b, edges);
        int[] allRouters = networks.stream().flatMapToInt(n -> java.util.Arrays.stream(n.routers())).toArray();
        int gateway = chips.count() == 1 ? networks.get(0).gateway() : -1;
        return new Topology.Network(allRouters, links.stream().mapToInt(Integer::intValue).toArray(), edges,
                networks.get(0).inputs(), gateway);
    }

    /** The label of the chip link from chip {@code from} to chip {@code to} in direction {@code direction}. */
    private static String chipLinkLabel(int from, int to, String direction) { return "chiplink(" + from + "->" + to + ")." + direction; }

    /**
     * What {@link #wire} adds, counted without building it: every chip's network, the chip links
     * (two channels each) and, on exchanges, a gateway per chip wired to every eject link.
     */
    public static Topology.Census census(Fabric fabric) {
        ChipsSpec chips = fabric.chips();
        Topology onChip = Topology.REGISTRY.named(fabric.noc().topology());
        Topology.Census total = onChip.census(fabric.noc()).times(chips.count());
        if (chips.count() == 1) return total;
        var arrangement = ChipGraph.REGISTRY.find(chips.topology());
        if (arrangement.isEmpty()) return total; // wire() names the bad value
        ChipGraph graph = arrangement.get().of(chips);
        long chipLinks = 0;
        for (int c = 0; c < chips.count(); c++) {
            for (int d = 0; d < graph.directions().size(); d++) if (graph.neighbour(c, d) >= 0) chipLinks++;
        }
        total = total.plus(onChip.routerModel(fabric.noc()).chipLinkCensus(chipLinks));
        if (onChip.everyRouterIsAPort()) total = total.plus(new Topology.Census(chips.count(), 0, (long) chips.count() * fabric.noc().nodes()));
        return total;
    }

    /** The on-chip node of every port key: the scenario's, else the middle of its edge (gateway: the centre). */
    static Map<String, Integer> portNodes(ChipsSpec chips, NocSpec noc) {
        int w = noc.width(), h = noc.height();
        Map<String, Integer> nodes = new HashMap<>(Map.of(
                "east", (h / 2) * w + w - 1,
                "west", (h / 2) * w,
                "north", w / 2,
                "south", (h - 1) * w + w / 2,
                "gateway", (h / 2) * w + w / 2));
        chips.ports().forEach((key, node) -> {
            if (node >= noc.nodes()) {
                throw new InputException("hardware.chips.ports." + key, node, "an on-chip node in 0.." + (noc.nodes() - 1));
            }
            nodes.put(key, node);
        });
        return nodes;
    }

    /**
     * Routing across chips: on the destination's chip the on-chip function; elsewhere on-chip to
     * the port of the chip-level direction, and at that port out over the chip link (at once when
     * every router is a port, as on an exchange).
     */
    record Hierarchical(int chip, int perChip, Routing onChip, ChipGraph graph, Map<String, Integer> ports,
                        int[] portOutput, int onChipOutputs, boolean everyRouterIsAPort) implements Routing {
        @Override
        public int route(int here, int destination) {
            int destinationChip = destination / perChip;
            if (destinationChip == chip) return onChip.route(here, destination % perChip);
            int direction = graph.route(chip, destinationChip);
            int port = ports.get(graph.sendPort(direction));
            return everyRouterIsAPort || here == port ? onChipOutputs + portOutput[direction] : onChip.route(here, port);
        }
    }
}
