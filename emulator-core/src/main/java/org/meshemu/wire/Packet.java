package org.meshemu.wire;

import org.meshemu.tensor.Tile;

/**
 * A tile travelling over the NoC from one core to another.
 *
 * @param source      network endpoint (core index) that sent it
 * @param destination network endpoint (core index) it is for
 * @param tag         matches the receiver's {@code recv} instruction
 * @param tile        the payload; its {@link Tile#bytes()} is what occupies the links
 */
public record Packet(int source, int destination, int tag, Tile tile) {
    public long bytes() { return tile.bytes(); }
}
