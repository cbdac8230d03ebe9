package org.meshemu.wire;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.tensor.Tile;

/**
 * One packet of a message travelling over the NoC from one network endpoint to another. A message
 * (a tile) of B bytes is cut by the source's network interface into ceil(B / maxPacketBytes)
 * packets ({@link #split}); links move each packet on its own, so a long message pipelines across
 * hops (virtual cut-through at packet granularity), and the destination's network interface puts
 * the message back together ({@link Reassembly}) before anyone sees it.
 *
 * @param source      network endpoint that sent it
 * @param destination network endpoint it is for
 * @param tag         matches the receiver's {@code recv} instruction
 * @param message     the source's running number of the message, so packets of two messages with
 *                    the same tag never mix
 * @param fragment    this packet's position in its message, 0-based
 * @param fragments   how many packets the message has (>= 1)
 * @param bytes       bytes of this packet on the wire: what occupies the links
 * @param createdPs   when the message was created at the source (latency = ejection - creation)
 * @param tile        the message's payload, carried by fragment 0 only (the others are null) so a
 *                    tile crossing partitions is serialised once; null for synthetic traffic
 */
public record Packet(int source, int destination, int tag, long message, int fragment, int fragments,
                     long bytes, long createdPs, Tile tile) {
    public Packet {
        if (fragments < 1 || fragment < 0 || fragment >= fragments) {
            throw new IllegalArgumentException("fragment " + fragment + " of " + fragments);
        }
        if (bytes < 1) throw new IllegalArgumentException("a packet must carry >= 1 byte, got " + bytes);
        if (tile != null && fragment != 0) throw new IllegalArgumentException("the tile travels in fragment 0 only");
    }

    /** A whole tile as one unsplit packet (message 0, created at time 0): for callers that never split. */
    public Packet(int source, int destination, int tag, Tile tile) {
        this(source, destination, tag, 0, 0, 1, tile.bytes(), 0, tile);
    }

    /**
     * Cuts a message of {@code messageBytes} into packets of at most {@code maxPacketBytes} (0: one
     * packet, no limit). All packets but the last are full; the last carries the remainder.
     */
    public static List<Packet> split(int source, int destination, int tag, long message, long createdPs,
                                     Tile tile, long messageBytes, long maxPacketBytes) {
        if (maxPacketBytes < 0) throw new IllegalArgumentException("maxPacketBytes must be >= 0, got " + maxPacketBytes);
        long size = maxPacketBytes == 0 ? messageBytes : Math.min(messageBytes, maxPacketBytes);
        long count = Math.ceilDiv(messageBytes, size);
        if (count > Integer.MAX_VALUE) throw new IllegalArgumentException(messageBytes + " bytes in packets of " + size + " is too many packets");
        List<Packet> packets = new ArrayList<>((int) count);
        for (int f = 0; f < count; f++) {
            long bytes = f < count - 1 ? size : messageBytes - size * (count - 1);
            packets.add(new Packet(source, destination, tag, message, f, (int) count, bytes, createdPs, f == 0 ? tile : null));
        }
        return packets;
    }
}
