package org.meshemu.wire;

import java.util.HashMap;
import java.util.Map;
import org.meshemu.tensor.Tile;

/**
 * The receive half of a network interface: collects the packets of each message and hands the
 * message over once all of them are in, whatever order they came in. A message is complete when
 * its last missing packet arrives, so its receive latency includes every packet's trip.
 */
public final class Reassembly {

    /** A complete message: its payload and the first packet's header fields. */
    public record Message(int source, int tag, long message, long bytes, long createdPs, Tile tile) {}

    private record Key(int source, long message) {}

    private static final class Partial {
        int missing;
        long bytes;
        Packet head;
    }

    private Map<Key, Partial> partial; // made at the first message of several packets: most of a wafer's cores get none

    /** Takes one packet; returns the whole message if this packet completed it, else null. */
    public Message accept(Packet p) {
        if (p.fragments() == 1) return new Message(p.source(), p.tag(), p.message(), p.bytes(), p.createdPs(), p.tile());
        Key key = new Key(p.source(), p.message());
        if (partial == null) partial = new HashMap<>();
        Partial m = partial.computeIfAbsent(key, k -> {
            Partial fresh = new Partial();
            fresh.missing = p.fragments();
            return fresh;
        });
        m.missing--;
        m.bytes += p.bytes();
        if (p.fragment() == 0) m.head = p;
        if (m.missing > 0) return null;
        partial.remove(key);
        return new Message(p.source(), p.tag(), p.message(), m.bytes, p.createdPs(), m.head.tile());
    }

    /** Messages with packets still missing (non-zero at the end of a run means packets were lost). */
    public int incomplete() { return partial == null ? 0 : partial.size(); }
}
