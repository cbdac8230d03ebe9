package org.meshemu.kernel;

import java.util.List;

/**
 * Read-only access to the components of one partition for a {@link RunObserver}, handed to
 * {@link RunObserver#atBarrier}. Contract: valid only during that call, which runs on the
 * partition's own thread between two of its windows, when none of its components runs; reading
 * never changes a component, so observers cannot change a result.
 */
public final class ComponentProbe {
    private final int partition;
    private final Directory directory;
    private final int[] local;
    // written by the NodeSync only
    long barrierWaitNanos;
    private long reportedWindows, reportedEvents, windows, events, lastPs = -1;
    private final long[] eventsSentTo; // the NodeSync's own counts, by partition
    private final long[] eventsReceivedFrom, wireBytesFrom;

    ComponentProbe(int partition, Directory directory, int[] local, long[] eventsSentTo) {
        this.partition = partition;
        this.directory = directory;
        this.local = local;
        this.eventsSentTo = eventsSentTo;
        this.eventsReceivedFrom = new long[eventsSentTo.length];
        this.wireBytesFrom = new long[eventsSentTo.length];
    }

    /** The partition's index. */
    public int partition() { return partition; }

    /** Number of components in the partition. */
    public int size() { return local.length; }

    /** The component id of the partition's {@code i}-th component. */
    public int id(int i) { return local[i]; }

    /** {@link Component#busyPsSoFar()} of the partition's {@code i}-th component. */
    public long busyPs(int i) { return directory.host(local[i]).component().busyPsSoFar(); }

    /** {@link Component#bytesSoFar()} of the partition's {@code i}-th component. */
    public long bytes(int i) { return directory.host(local[i]).component().bytesSoFar(); }

    /** {@link Component#workSoFar()} of the partition's {@code i}-th component. */
    public long work(int i) { return directory.host(local[i]).component().workSoFar(); }

    /** The NodeSync told the root of these counts. */
    void reported(long windows, long events) {
        reportedWindows += windows;
        reportedEvents += events;
        this.windows = reportedWindows;
        this.events = reportedEvents;
    }

    /** A batch of {@code events} came from partition {@code from}, {@code wireBytes} long on the wire (0 within a JVM). */
    void received(int from, int events, int wireBytes) {
        eventsReceivedFrom[from] += events;
        wireBytesFrom[from] += wireBytes;
    }

    /** Serialised bytes received from each partition so far (a copy). */
    long[] wireBytesFrom() { return wireBytesFrom.clone(); }

    /** The NodeSync's counts since it last told the root, and the time of its last event. */
    void progress(long windows, long events, long lastPs) {
        this.windows = reportedWindows + windows;
        this.events = reportedEvents + events;
        this.lastPs = lastPs;
    }

    /** Local windows this partition has run. */
    public long windows() { return windows; }

    /** Events this partition's components have handled. */
    public long events() { return events; }

    /** Time of the last event handled in this partition, in ps (-1: none yet). */
    public long lastPs() { return lastPs; }

    /**
     * Starts tracing the partition's {@code i}-th component (or returns its buffer if already traced):
     * its {@link Context#traceSlice} calls land in the buffer, to be drained at later barriers.
     */
    public TraceBuffer trace(int i, int capacity) {
        ComponentActor<?> host = directory.host(local[i]);
        if (host.trace == null) host.trace = new TraceBuffer(capacity);
        return host.trace;
    }

    /**
     * The partition's counts now, as seen from {@code node}, with {@code work} and {@code kinds} summed by the
     * observer over the components it read.
     */
    public PartitionSample sample(String node, long work, List<PartitionSample.Kind> kinds) {
        return new PartitionSample(partition, node, windows, events, lastPs, barrierWaitNanos, eventsSentTo.clone(),
                eventsReceivedFrom.clone(), wireBytesFrom.clone(), work, kinds);
    }

    /** Wall time, in ns, this partition has waited between the end of an epoch and the start of the next (for the other partitions' batches). */
    public long barrierWaitNanos() { return barrierWaitNanos; }
}
