package org.meshemu.kernel;

import java.util.Comparator;

/**
 * A message in flight between components, stamped with the key that orders it: (time, priority,
 * source id, source sequence). The key is unique, so every component sees its events in one total
 * order whatever order its mailbox received them in.
 *
 * @param time     when the event is due, in picoseconds
 * @param priority lower first among events at the same time
 * @param source   id of the component that emitted it
 * @param seq      the source's running count of emitted events
 * @param target   id of the receiving component
 * @param port     the receiver's input port, or {@link #SELF} for a message a component scheduled
 *                 to itself (already in its own protocol)
 * @param payload  the message
 */
public record Event(long time, int priority, int source, long seq, int target, int port, Object payload) {
    public static final int SELF = -1;

    /** The key order, written out: it runs for every queued event, and the composed form costs ~4% of a run. */
    public static final Comparator<Event> ORDER = (a, b) -> {
        if (a.time != b.time) return Long.compare(a.time, b.time);
        if (a.priority != b.priority) return Integer.compare(a.priority, b.priority);
        if (a.source != b.source) return Integer.compare(a.source, b.source);
        return Long.compare(a.seq, b.seq);
    };
}
