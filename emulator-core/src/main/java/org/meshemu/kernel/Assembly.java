package org.meshemu.kernel;

import java.util.Arrays;
import java.util.function.Supplier;
import org.meshemu.scenario.InputException;

/**
 * The emulated system as data: its components (kind, label, placement hint, ports, a factory) and
 * the channels between their ports, each with a latency. Built in phases (add every component,
 * connect, then {@link Builder#build()} checks every connection) so that nothing is instantiated
 * before the whole wiring is known to be sound. Component objects are only created by the
 * partition that owns them.
 *
 * <p>The components are held as columns, one array per field, not as an object each: a wafer has
 * millions, and an object per component and per connection was garbage to make and memory to copy
 * (docs/PERFORMANCE.md). {@link #node} reads one as a {@link Node}.
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

    private final Components components;
    private final Channel[][] out; // [component][output port], null when unwired
    private final long windowPs;
    private final long seed;

    private Assembly(Components components, Channel[][] out, long windowPs, long seed) {
        this.components = components;
        this.out = out;
        this.windowPs = windowPs;
        this.seed = seed;
    }

    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    public int size() { return components.size; }

    public Node node(int id) { return components.node(id); }

    // A node's fields read without making one: passes over every component (placement, reports) use these.
    // The built columns are exactly size long, so the array's own bounds check is the only one needed.

    public String kind(int id) { return components.kinds[id]; }

    public String label(int id) { return components.labels[id]; }

    public int locality(int id) { return components.localities[id]; }

    public long weight(int id) { return components.weights[id]; }

    /** The synchronisation window W: the minimum latency of any channel, in picoseconds. */
    public long windowPs() { return windowPs; }

    public long seed() { return seed; }

    Channel[] channels(int id) { return out[id]; }

    /** Ids of the components every channel from {@code id} leads to (with repeats). */
    public int[] targets(int id) {
        return Arrays.stream(out[id]).filter(c -> c != null).mapToInt(Channel::target).toArray();
    }

    /** The components' fields, a column each; the first {@code size} entries hold them. */
    private static final class Components {
        String[] kinds;
        String[] labels;
        int[] localities;
        Ports<?>[] ports;
        Supplier<?>[] factories;
        long[] weights;
        int size;

        Components(int capacity) {
            kinds = new String[capacity];
            labels = new String[capacity];
            localities = new int[capacity];
            ports = new Ports<?>[capacity];
            factories = new Supplier<?>[capacity];
            weights = new long[capacity];
        }

        /** Adds a component; there must be room ({@link #copy} makes more). */
        int add(String kind, String label, int locality, Ports<?> p, Supplier<? extends Component<?>> factory) {
            kinds[size] = kind;
            labels[size] = label;
            localities[size] = locality;
            ports[size] = p;
            factories[size] = factory;
            weights[size] = 1;
            return size++;
        }

        /**
         * A copy whose columns are {@code length} long: room for the builder to grow, or exactly
         * {@code size} for the run (the builder's room is not kept).
         */
        Components copy(int length) {
            Components c = new Components(0);
            c.size = size;
            c.kinds = Arrays.copyOf(kinds, length);
            c.labels = Arrays.copyOf(labels, length);
            c.localities = Arrays.copyOf(localities, length);
            c.ports = Arrays.copyOf(ports, length);
            c.factories = Arrays.copyOf(factories, length);
            c.weights = Arrays.copyOf(weights, length);
            return c;
        }

        /** The builder's columns have room beyond {@code size}: ids there are not components yet. */
        void check(int id) {
            if (id < 0 || id >= size) throw new IndexOutOfBoundsException("component " + id + " of " + size);
        }

        @SuppressWarnings("unchecked")
        Node node(int id) {
            check(id);
            return new Node(id, kinds[id], labels[id], localities[id], ports[id], (Supplier<? extends Component<?>>) factories[id], weights[id]);
        }
    }

    /** Accumulates components and connections; {@link #build()} validates them. */
    public static final class Builder {
        private final long seed;
        private Components components = new Components(64);
        // the connections asked for, checked by build(): a column each, connections of them
        private int[] from = new int[64], to = new int[64];
        private String[] outPorts = new String[64], inPorts = new String[64];
        private long[] latencies = new long[64];
        private int connections;

        private Builder(long seed) { this.seed = seed; }

        /** Adds a component and returns its id (ids are dense, in order of addition). */
        public int add(String kind, String label, int locality, Ports<?> ports, Supplier<? extends Component<?>> factory) {
            if (components.size == components.kinds.length) components = components.copy(2 * components.size);
            return components.add(kind, label, locality, ports, factory);
        }

        /** Sets component {@code id}'s expected events ({@link Node#weight}). */
        public Builder weigh(int id, long weight) {
            if (weight < 1) throw new IllegalArgumentException("weight must be >= 1, got " + weight + " for component " + id);
            components.check(id);
            components.weights[id] = weight;
            return this;
        }

        /** Component {@code id} as added so far. */
        public Node node(int id) { return components.node(id); }

        /** Component {@code id}'s locality, read without making its {@link Node}. */
        public int locality(int id) { components.check(id); return components.localities[id]; }

        public int size() { return components.size; }

        /** Connects {@code from}'s output port to {@code to}'s input port through a channel of the given latency. */
        public Builder connect(int from, String outPort, int to, String inPort, long latencyPs) {
            if (connections == this.from.length) {
                int length = 2 * connections;
                this.from = Arrays.copyOf(this.from, length);
                this.to = Arrays.copyOf(this.to, length);
                outPorts = Arrays.copyOf(outPorts, length);
                inPorts = Arrays.copyOf(inPorts, length);
                latencies = Arrays.copyOf(latencies, length);
            }
            this.from[connections] = from;
            this.to[connections] = to;
            outPorts[connections] = outPort;
            inPorts[connections] = inPort;
            latencies[connections] = latencyPs;
            connections++;
            return this;
        }

        /** Connection {@code k} as an error names it ({@code label.port -> label.port}; built only then: a wafer has millions). */
        private String where(int k) {
            return components.labels[from[k]] + "." + outPorts[k] + " -> " + components.labels[to[k]] + "." + inPorts[k];
        }

        /** Checks every connection (both ends exist, ports exist, types match, latency > 0) and freezes the system. */
        public Assembly build() {
            Components c = components;
            int n = c.size;
            Channel[][] out = new Channel[n][];
            for (int id = 0; id < n; id++) out[id] = new Channel[c.ports[id].outputs().size()];
            long window = Time.NEVER;
            for (int k = 0; k < connections; k++) {
                int src = from[k], dst = to[k];
                if (src < 0 || src >= n || dst < 0 || dst >= n) {
                    throw new InputException("wiring", src + " -> " + dst, "both ends to be components of the system (0.." + (n - 1) + ")");
                }
                Ports<?> sp = c.ports[src], dp = c.ports[dst];
                int op = sp.outputIndex(outPorts[k]);
                if (op < 0) throw new InputException("wiring", where(k), "an output port of " + c.kinds[src] + " named '" + outPorts[k] + "'");
                int ip = dp.inputIndex(inPorts[k]);
                if (ip < 0) throw new InputException("wiring", where(k), "an input port of " + c.kinds[dst] + " named '" + inPorts[k] + "'");
                Class<?> sent = sp.outputs().get(op).type();
                Class<?> accepted = dp.inputs().get(ip).type();
                if (!accepted.isAssignableFrom(sent)) {
                    throw new InputException("wiring", where(k), "matching types, but " + sent.getSimpleName() + " is sent and " + accepted.getSimpleName() + " accepted");
                }
                if (latencies[k] <= 0) throw new InputException("wiring", where(k) + " latency " + latencies[k] + " ps", "a channel latency > 0 ps");
                if (out[src][op] != null) {
                    throw new InputException("wiring", where(k), "one channel per output port, but " + c.labels[src] + "." + outPorts[k] + " is already wired");
                }
                out[src][op] = new Channel(dst, ip, latencies[k]);
                window = Math.min(window, latencies[k]);
            }
            if (window == Time.NEVER) window = 1; // no channels: components only talk to themselves
            return new Assembly(c.copy(n), out, window, seed);
        }
    }
}
