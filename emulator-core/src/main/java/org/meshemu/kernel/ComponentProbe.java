package org.meshemu.kernel;

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

    ComponentProbe(int partition, Directory directory, int[] local) {
        this.partition = partition;
        this.directory = directory;
        this.local = local;
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

    /** The NodeSync told the root of these counts. */
    void reported(long windows, long events) {
        reportedWindows += windows;
        reportedEvents += events;
    }

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

    /** Wall time, in ns, this partition has waited between the end of an epoch and the start of the next (for the other partitions' batches). */
    public long barrierWaitNanos() { return barrierWaitNanos; }
}
