package org.meshemu.noc;

import org.meshemu.scenario.Named;
import org.meshemu.scenario.Registry;

/**
 * How a link of the ideal router moves a packet ({@code hardware.noc.flowControl}): how many of its
 * bytes must cross a link before its head reaches the next router, which may pass it on from then.
 * Either way a packet costs one event at each router and one at each link, whatever its size: the
 * link computes when the head and when the tail arrive (docs/TIMING.md). Registered by name in
 * {@link #REGISTRY}.
 */
public interface FlowControl extends Named {
    /** Flow control by scenario name. */
    Registry<FlowControl> REGISTRY = Registry.of(FlowControl.class, "hardware.noc.flowControl");

    /** Bytes of a packet of {@code packetBytes} that make up its head, on links of {@code flitBytes} per cycle. */
    long headBytes(long packetBytes, int flitBytes);

    /** Whether a buffer slot frees when the packet's tail leaves it (else when the next link starts it). */
    default boolean freesAtTail() { return false; }

    /** {@code store-and-forward}: the whole packet crosses each link before the next router sees it. */
    final class StoreAndForward implements FlowControl {
        @Override public String name() { return "store-and-forward"; }

        @Override public long headBytes(long bytes, int flit) { return bytes; }
    }

    /** {@code cut-through}: the head is one flit (the link's bytes per cycle); the tail follows ser(packet) - ser(flit) later. */
    final class CutThrough implements FlowControl {
        @Override public String name() { return "cut-through"; }

        @Override public long headBytes(long bytes, int flit) { return Math.min(bytes, flit); }

        @Override public boolean freesAtTail() { return true; }
    }
}
