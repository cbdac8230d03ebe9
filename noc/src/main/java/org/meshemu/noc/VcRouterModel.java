package org.meshemu.noc;

import static org.meshemu.noc.Grid2d.DIRECTIONS;
import static org.meshemu.noc.Grid2d.OPPOSITE;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.kernel.Assembly;
import org.meshemu.noc.Topology.Census;
import org.meshemu.noc.Topology.Chip;
import org.meshemu.noc.Topology.Network;
import org.meshemu.scenario.InputException;

/**
 * {@code vc}: a grid of {@link VcRouter}s, each direction a flit channel and a credit channel back,
 * both of the link latency less 1 ps (see {@link VcRouter}). On one of several chips the routers
 * at the chip's ports also drive its chip links ({@link #joinChips}): a chip link is one more
 * output of the port router and one more input, with its own VCs and credits, of the far chip's.
 */
public final class VcRouterModel implements RouterModel {
    @Override public String name() { return "vc"; }

    /** A link is two channels between routers (flits, credits), no component. */
    @Override
    public Census census(long routers, long links) {
        return new Census(routers, 0, 2 * routers + 2 * links);
    }

    @Override
    public Census chipLinkCensus(long chipLinks) { return new Census(0, 0, 2 * chipLinks); }

    @Override
    public Network wire(Assembly.Builder b, NocSpec noc, long cyclePs, int[] cores, Chip chip, Grid2d.Shape shape) {
        boolean chips = !chip.portNames().isEmpty();
        if (chips && shape.wrap()) {
            throw new InputException("hardware.noc.topology", "'torus2d'", "mesh2d with several chips and the vc router"
                    + " (dateline classes of chip links assume dimension-order routes on mesh chips)");
        }
        if (cyclePs < 2) throw new InputException("hardware.core.clockGHz", 1000.0 / cyclePs, "at most 500 with the vc router (a cycle of >= 2 ps)");
        int onChip = DIRECTIONS.size();
        VcClasses chipClasses = chip.links().classes().apply(onChip);
        int needed = shape.wrap() ? 2 : chipClasses.count();
        if (noc.vc().count() < needed) {
            throw new InputException("hardware.noc.vc.count", noc.vc().count(), ">= " + needed + (shape.wrap()
                    ? " on a torus (two dateline classes)" : " on these chips (a class per chip dimension, two where the chips wrap around)"));
        }
        Allocator.REGISTRY.named(noc.vc().allocator()); // names a bad allocator before anything is built
        Routing routing = chip.routing().apply(Routing.REGISTRY.named(noc.routing()).on(shape), onChip);
        List<String> withChipLinks = new ArrayList<>(DIRECTIONS);
        withChipLinks.addAll(chip.portNames());
        var plainPorts = VcRouter.ports(DIRECTIONS);
        var portPorts = VcRouter.ports(withChipLinks);
        long linkPs = noc.link().latencyCycles() * cyclePs;
        long[] latency = new long[withChipLinks.size()], flit = new long[withChipLinks.size()];
        for (int p = 0; p < latency.length; p++) {
            boolean chipLink = p >= onChip;
            latency[p] = chipLink ? chip.links().latencyPs() : linkPs;
            flit[p] = chipLink ? chip.links().rate().serialisationPs(noc.link().bytesPerCycle()) : cyclePs;
        }
        var label = Chip.labels(chip);
        int loc = chip.firstLocality();
        int[] routers = new int[shape.nodes()];
        for (int n = 0; n < shape.nodes(); n++) {
            final int node = n;
            // Only the routers at the chip's ports have its chip links (and their VCs).
            var ports = chip.links().nodes().contains(n) ? portPorts : plainPorts;
            int neighbours = ports == portPorts ? withChipLinks.size() : onChip;
            VcClasses classes = shape.wrap() ? new VcClasses.TorusDateline(torusWraps(shape, n)) : chipClasses;
            // The report's label of each output's link, as the ideal router's link components are named; null: no link.
            String[] links = new String[neighbours];
            for (int d = 0; d < onChip; d++) {
                if (shape.neighbour(n, d) >= 0) links[d] = label.apply("link(" + shape.x(n) + "," + shape.y(n) + ")." + DIRECTIONS.get(d));
            }
            for (int p = onChip; p < neighbours; p++) links[p] = chip.links().label(n, withChipLinks.get(p));
            routers[n] = b.add("router", label.apply("router(" + shape.x(n) + "," + shape.y(n) + ")"), loc + n, ports,
                    () -> new VcRouter(node, routing, ports, neighbours, classes, latency, flit, links, cyclePs, noc.link().bytesPerCycle(), noc.vc()));
            b.connect(cores[n], "net", routers[n], VcRouter.IN.name(), noc.injectionCycles() * cyclePs - 1);
            // The destination's interface takes a flit the cycle after its channel delivers it (as BookSim's).
            b.connect(routers[n], "eject", cores[n], "net", (noc.link().latencyCycles() + 1) * cyclePs);
        }
        for (int n = 0; n < shape.nodes(); n++) {
            for (int d = 0; d < DIRECTIONS.size(); d++) {
                int to = shape.neighbour(n, d);
                if (to >= 0) connect(b, routers[n], DIRECTIONS.get(d), routers[to], DIRECTIONS.get(OPPOSITE[d]), channelPs(linkPs, cyclePs));
            }
        }
        return new Network(routers, new int[0], List.of(), List.of(), -1);
    }

    /** A chip link is the flit and credit channels between the two port routers, like an on-chip link. */
    @Override
    public Network joinChips(Assembly.Builder b, ChipLink link) {
        if (link.senders().length != 1) throw new IllegalArgumentException("a chip link of vc routers leaves one port router: " + link);
        connect(b, link.senders()[0], link.output(), link.receiver(), link.facing(), channelPs(link.latencyPs(), link.cyclePs()));
        return new Network(new int[0], new int[0], List.of(), List.of(), -1);
    }

    /**
     * Router {@code from}'s output {@code output} into router {@code to}'s input from {@code facing}, and the credits back.
     */
    private static void connect(Assembly.Builder b, int from, String output, int to, String facing, long channelPs) {
        b.connect(from, output, to, "from-" + facing, channelPs);
        b.connect(to, "credit-" + facing, from, "credits-" + output, channelPs);
    }

    /**
     * The channel of a link of {@code latencyPs}: what it carries is due just before a cycle
     * ({@link VcRouter}), so never sooner than the latency rounded up to cycles, less 1 ps.
     */
    private static long channelPs(long latencyPs, long cyclePs) { return Math.ceilDiv(latencyPs, cyclePs) * cyclePs - 1; }

    /** Per on-chip output of {@code node}, whether its link closes its ring (the dateline). */
    private static boolean[] torusWraps(Grid2d.Shape shape, int node) {
        boolean[] wraps = new boolean[DIRECTIONS.size()];
        for (int d = 0; d < wraps.length; d++) wraps[d] = shape.wrapsAround(node, d);
        return wraps;
    }
}
