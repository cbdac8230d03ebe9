package org.meshemu.dashboards;

import java.util.function.Consumer;
import org.meshemu.kernel.Assembly;
import org.meshemu.kernel.ComponentProbe;
import org.meshemu.kernel.PartitionSample;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.Work;

/**
 * The observer of a cluster node's partitions: at most once per interval per partition it samples
 * the partition at a barrier, and once more after its last window, and hands the sample to
 * {@code send} (which tells the launcher's root), so the launcher's metrics have per-node figures
 * that end on the run's final state. It reads the components as {@link LiveRun} does
 * in one JVM and changes nothing.
 */
public final class NodeSampler implements RunObserver {
    private final PartitionSampler sampler;
    private final String node;
    private final Consumer<PartitionSample> send;
    private final RunCounts due;

    /**
     * Samples the partitions of {@code assembly} (whose workload has length {@code work}, null if unknown) run here,
     * named {@code node}, every {@code intervalNanos} at most.
     */
    public NodeSampler(Assembly assembly, Work work, String node, long intervalNanos, Consumer<PartitionSample> send) {
        this.sampler = new PartitionSampler(assembly, work);
        this.node = node;
        this.send = send;
        this.due = new RunCounts(intervalNanos);
    }

    @Override public void windowDone(long windows, long simulatedPs, long events) {}

    @Override
    public void atBarrier(ComponentProbe probe) {
        if (due.claim(probe.partition(), System.nanoTime())) send(probe);
    }

    /** The partition's final figures, whenever its last sample was: the launcher's per-node series end on them. */
    @Override
    public void partitionFinished(ComponentProbe probe) {
        send(probe);
    }

    private void send(ComponentProbe probe) {
        send.accept(sampler.sample(probe, node, null, null));
    }
}
