package org.meshemu.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.meshemu.scenario.InputException;

/**
 * The emulated system as data: its components (kind, label, placement hint, ports, a factory) and
 * the channels between their ports, each with a latency. Built in phases (add every component,
 * connect, then {@link Builder#build()} checks every connection) so that nothing is instantiated
 * before the whole wiring is known to be sound. Component objects are only created by the
 * partition that owns them.
 */
public final class Assembly {
    /**
     * One component of the system. {@code locality} groups components that should share a partition
     * (e.g. a mesh node); {@code weight} (at least 1) is the events it is expected to handle, known
     * before the run, by which {@link Placement} balances partitions (1: nothing is known).
     */
    public record Node(int id, String kind, String label, int locality, Ports<?> ports, Supplier<? extends Component<?>> factory, long weight) {}

    /** The far end of an output port. */
    record Channel(int target, int targetPort, long latencyPs) {}

    private final List<Node> nodes;
    private final Channel[][] out; // [component][output port], null when unwired
    private final long windowPs;
    private final long seed;

    private Assembly(List<Node> nodes, Channel[][] out, long windowPs, long seed) {
        this.nodes = nodes;
        this.out = out;
        this.windowPs = windowPs;
        this.seed = seed;
    }

    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    public int size() { return nodes.size(); }

    public Node node(int id) { return nodes.get(id); }

    /** The synchronisation window W: the minimum latency of any channel, in picoseconds. */
    public long windowPs() { return windowPs; }

    public long seed() { return seed; }

    Channel[] channels(int id) { return out[id]; }

    /** Ids of the components every channel from {@code id} leads to (with repeats). */
    public int[] targets(int id) {
        return Arrays.stream(out[id]).filter(c -> c != null).mapToInt(Channel::target).toArray();
    }

    /** Accumulates components and connections; {@link #build()} validates them. */
    public static final class Builder {
        private final long seed;
        private final List<Node> nodes = new ArrayList<>();
        private final List<Connection> pending = new ArrayList<>();

        /** A connection as asked for, checked by {@link #build()}. */
        private record Connection(int from, String outPort, int to, String inPort, long latencyPs) {}

        private Builder(long seed) { this.seed = seed; }

        /** Adds a component and returns its id (ids are dense, in order of addition). */
        public int add(String kind, String label, int locality, Ports<?> ports, Supplier<? extends Component<?>> factory) {
            int id = nodes.size();
            nodes.add(new Node(id, kind, label, locality, ports, factory, 1));
            return id;
        }

        /** Sets component {@code id}'s expected events ({@link Node#weight}). */
        public Builder weigh(int id, long weight) {
            if (weight < 1) throw new IllegalArgumentException("weight must be >= 1, got " + weight + " for component " + id);
            Node n = nodes.get(id);
            nodes.set(id, new Node(n.id(), n.kind(), n.label(), n.locality(), n.ports(), n.factory(), weight));
            return this;
        }

        /** Component {@code id} as added so far. */
        public Node node(int id) { return nodes.get(id); }

        public int size() { return nodes.size(); }

        /** Connects {@code from}'s output port to {@code to}'s input port through a channel of the given latency. */
        public Builder connect(int from, String outPort, int to, String inPort, long latencyPs) {
            pending.add(new Connection(from, outPort, to, inPort, latencyPs));
            return this;
        }

        /** A connection as an error names it ({@code label.port -> label.port}; built only then: a wafer has millions). */
        private String where(Connection c) {
            return nodes.get(c.from()).label() + "." + c.outPort() + " -> " + nodes.get(c.to()).label() + "." + c.inPort();
        }

        /** Checks every connection (both ends exist, ports exist, types match, latency > 0) and freezes the system. */
        public Assembly build() {
            Channel[][] out = new Channel[nodes.size()][];
            for (Node n : nodes) out[n.id()] = new Channel[n.ports().outputs().size()];
            long window = Time.NEVER;
            for (Connection c : pending) {
                int from = c.from(), to = c.to();
                if (from < 0 || from >= nodes.size() || to < 0 || to >= nodes.size()) {
                    throw new InputException("wiring", from + " -> " + to, "both ends to be components of the system (0.." + (nodes.size() - 1) + ")");
                }
                Node src = nodes.get(from), dst = nodes.get(to);
                int op = src.ports().outputIndex(c.outPort());
                if (op < 0) throw new InputException("wiring", where(c), "an output port of " + src.kind() + " named '" + c.outPort() + "'");
                int ip = dst.ports().inputIndex(c.inPort());
                if (ip < 0) throw new InputException("wiring", where(c), "an input port of " + dst.kind() + " named '" + c.inPort() + "'");
                Class<?> sent = src.ports().outputs().get(op).type();
                Class<?> accepted = dst.ports().inputs().get(ip).type();
                if (!accepted.isAssignableFrom(sent)) {
                    throw new InputException("wiring", where(c), "matching types, but " + sent.getSimpleName() + " is sent and " + accepted.getSimpleName() + " accepted");
                }
                if (c.latencyPs() <= 0) throw new InputException("wiring", where(c) + " latency " + c.latencyPs() + " ps", "a channel latency > 0 ps");
                if (out[from][op] != null) {
                    throw new InputException("wiring", where(c), "one channel per output port, but " + src.label() + "." + c.outPort() + " is already wired");
                }
                out[from][op] = new Channel(to, ip, c.latencyPs());
                window = Math.min(window, c.latencyPs());
            }
            if (window == Time.NEVER) window = 1; // no channels: components only talk to themselves
            return new Assembly(List.copyOf(nodes), out, window, seed);
        }
    }
}
