package org.meshemu.kernel;

/**
 * A message in flight between components, stamped with the key that orders it: (time, source id,
 * source sequence). The key is unique, so every component sees its events in one total
 * order whatever order they reached it in.
 *
 * <p>An event is immutable once sent, but for {@link #next}: the link of its target's inbox, a
 * lock-free stack that senders push onto (so an event needs no envelope beyond itself).
 */
public final class Event {
    /** {@link #port()} of a message a component scheduled to itself (already in its own protocol). */
    public static final int SELF = -1;

    private final long time;
    private final int source;
    private final long seq;
    private final int target;
    private final int port;
    private final Object payload;
    Event next; // the inbox link, owned by the inbox until the target drains it

    /**
     * @param time     when the event is due, in picoseconds
     * @param source   id of the component that emitted it
     * @param seq      the source's running count of emitted events
     * @param target   id of the receiving component
     * @param port     the receiver's input port, or {@link #SELF}
     * @param payload  the message
     */
    public Event(long time, int source, long seq, int target, int port, Object payload) {
        this.time = time;
        this.source = source;
        this.seq = seq;
        this.target = target;
        this.port = port;
        this.payload = payload;
    }

    public long time() { return time; }
    public int source() { return source; }
    public long seq() { return seq; }
    public int target() { return target; }
    public int port() { return port; }
    public Object payload() { return payload; }

    @Override
    public String toString() {
        return "Event[t=" + time + " ps, " + source + "#" + seq + " -> " + target + "." + port + ": " + payload + "]";
    }
}
