package org.meshemu.noc;

import java.util.Map;
import org.meshemu.scenario.InputException;

/**
 * How a link of the ideal router moves a packet ({@code hardware.noc.flowControl}): how many of its
 * bytes must cross a link before its head reaches the next router, which may pass it on from then.
 * Either way a packet costs one event at each router and one at each link, whatever its size: the
 * link computes when the head and when the tail arrive (docs/TIMING.md). Registered by name.
 */
@FunctionalInterface
public interface FlowControl {

    /** Bytes of a packet of {@code packetBytes} that make up its head, on links of {@code flitBytes} per cycle. */
    long headBytes(long packetBytes, int flitBytes);

    /** Whether a buffer slot frees when the packet's tail leaves it (else when the next link starts it). */
    default boolean freesAtTail() { return false; }

    /** The whole packet crosses each link before the next router sees it. */
    FlowControl STORE_AND_FORWARD = (bytes, flit) -> bytes;

    /** The head is one flit (the link's bytes per cycle); the tail follows ser(packet) - ser(flit) later. */
    FlowControl CUT_THROUGH = new FlowControl() {
        @Override public long headBytes(long bytes, int flit) { return Math.min(bytes, flit); }

        @Override public boolean freesAtTail() { return true; }
    };

    /** Flow control by scenario name. */
    Map<String, FlowControl> REGISTRY = Map.of("store-and-forward", STORE_AND_FORWARD, "cut-through", CUT_THROUGH);

    static FlowControl named(String name) {
        FlowControl f = REGISTRY.get(name);
        if (f == null) throw new InputException("hardware.noc.flowControl", "'" + name + "'", "one of " + new java.util.TreeSet<>(REGISTRY.keySet()));
        return f;
    }
}
