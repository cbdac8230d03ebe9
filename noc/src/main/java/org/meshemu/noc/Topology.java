package org.meshemu.noc;

import java.util.List;
import java.util.function.UnaryOperator;
import org.meshemu.kernel.Assembly;
import org.meshemu.scenario.Named;
import org.meshemu.scenario.Registry;
import org.meshemu.scenario.Scenario;

/**
 * An on-chip topology is a wiring routine: given the chip's cores already in the assembly, it
 * adds the chip's routers and links and connects every core's network port. Registered by
 * scenario name ({@code hardware.noc.topology}) in {@link #REGISTRY}: one class and one line in
 * {@code META-INF/services/org.meshemu.noc.Topology}. {@link MultiChip} calls it once per chip and
 * joins the chips.
 */
public interface Topology extends Named {
    /** Topologies by scenario name. */
    Registry<Topology> REGISTRY = Registry.of(Topology.class, "hardware.noc.topology");

    /**
     * Adds the network of one chip for {@code cores} (the chip's node i is cores[i]; each core has
     * an output port "net" and an input port "net") and returns it. Every router gets, after its
     * own outputs, one output per name in {@link Chip#portNames()} (wired by the caller to chip
     * links), then the eject port; its routing function is {@link Chip#routing()} applied to the
     * on-chip one.
     */
    Network wire(Assembly.Builder builder, NocSpec noc, long cyclePs, int[] cores, Chip chip);

    /**
     * How many routers, links and channels {@link #wire} adds for one chip, counted from the
     * scenario alone (the heap estimate calls it before anything is built); channels include those
     * joining the cores to the network.
     */
    Census census(NocSpec noc);

    /** Counts of what a network holds. */
    record Census(long routers, long links, long channels) {
        public Census plus(Census o) { return new Census(routers + o.routers, links + o.links, channels + o.channels); }

        public Census times(long n) { return new Census(routers * n, links * n, channels * n); }
    }

    /**
     * Whether every router of a chip drives its chip links itself, as the ports of an exchange
     * do, rather than only the router at each port's node (a packet for another chip then never
     * travels on-chip to a port first).
     */
    default boolean everyRouterIsAPort() { return false; }

    /** The router model whose chip links join chips of this topology ({@link RouterModel#joinChips}). */
    default RouterModel routerModel(NocSpec noc) { return new IdealRouterModel(); }

    /**
     * What a topology built: component ids of its routers (by node) and links, and every link's
     * ends ({@link Edge}s), from which {@link Credits} wires flow control; {@code inputs}, the
     * input names every router declares (a link leaving one has a credit output per name; a chip
     * link for port p enters input "from-" + p); {@code gateway}, the router chip links enter when
     * they do not enter the router at their port's node (an exchange's gateway port), else -1.
     */
    record Network(int[] routers, int[] links, List<Edge> edges, List<String> inputs, int gateway) {
        public Network {
            edges = List.copyOf(edges);
            inputs = List.copyOf(inputs);
        }

        /**
         * The routers that feed a chip link leaving by the port at on-chip node {@code port}: on an
         * exchange every port, the gateway too (for routes through this chip).
         */
        int[] senders(int port) {
            if (gateway < 0) return new int[] {routers[port]};
            int[] all = java.util.Arrays.copyOf(routers, routers.length + 1);
            all[routers.length] = gateway;
            return all;
        }

        /** The router a chip link arriving at the port at on-chip node {@code port} enters. */
        int receiver(int port) { return gateway < 0 ? routers[port] : gateway; }
    }

    /**
     * A link fed by router {@code from} (-1: by an endpoint) into input {@code input} of router
     * {@code to} (-1 and null: into an endpoint), with the wire latency a credit back takes too.
     * A link fed by several routers appears once per feeding router.
     */
    record Edge(int link, int from, int to, String input, long latencyPs) {}

    /**
     * Where a chip sits in the system.
     *
     * @param labelPrefix   prepended to every label ("" for a single chip, so labels stay as they were)
     * @param firstLocality locality of the chip's node 0 (nodes are contiguous)
     * @param portNames     extra router outputs for chip-to-chip links
     * @param routing       turns the on-chip routing function into the system's, which also knows
     *                      the way to other chips; it is told the on-chip outputs' count
     * @param links         the chip links at this chip's ports, for router models whose routers
     *                      drive them themselves
     */
    record Chip(String labelPrefix, int firstLocality, List<String> portNames,
                java.util.function.BiFunction<Routing, Integer, Routing> routing, PortLinks links) {
        public Chip { portNames = List.copyOf(portNames); }

        /** A chip on its own: no ports, on-chip routing unchanged. */
        public static final Chip ALONE = new Chip("", 0, List.of(), (r, outputs) -> r, PortLinks.NONE);

        static UnaryOperator<String> labels(Chip c) { return s -> c.labelPrefix() + s; }
    }

    /**
     * The chip links of a chip's ports: the on-chip nodes that hold a port, every chip link's
     * rate and latency, and the VC classes that keep routes over them deadlock-free, made for the
     * count of on-chip router outputs (the chip ports are numbered after them), and the labels of
     * the chip links leaving this chip, by port node and port name (the report's link labels).
     */
    record PortLinks(java.util.Set<Integer> nodes, Link.Rate rate, long latencyPs,
                     java.util.function.IntFunction<VcClasses> classes, java.util.Map<Integer, java.util.Map<String, String>> labels) {
        public PortLinks {
            nodes = java.util.Set.copyOf(nodes);
            labels = java.util.Map.copyOf(labels);
        }

        /** No chip links. */
        public static final PortLinks NONE = new PortLinks(java.util.Set.of(), null, 0, outputs -> VcClasses.NONE, java.util.Map.of());

        /** The label of the chip link leaving port node {@code node} by its output {@code port}, or null if none does. */
        public String label(int node, String port) { return labels.getOrDefault(node, java.util.Map.of()).get(port); }
    }
}
