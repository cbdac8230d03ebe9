package org.meshemu.dashboards;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.meshemu.kernel.PartitionSample;
import org.meshemu.kernel.PartitionStats;
import org.meshemu.kernel.RunResult;

/**
 * A run's counts while it goes: the root's (exact at the end of each epoch, and every 4,096 local
 * windows inside a long one) and each partition's last {@link PartitionSample} (taken at its
 * barriers in this JVM, or sent by its node in a cluster), at most one per interval. Both are lower
 * bounds of the truth, so the run's figures are their maxima (sums over partitions). At the end the
 * partitions' figures become the exact ones of the run's result. Sampling threads only claim their
 * slot without a lock on the fast path; everything else is synchronised (rare: once per interval).
 */
final class RunCounts {
    /** Where a sample's partition runs when no sample said (a run observed only at its end). */
    static final String LOCAL = "local";

    private final long intervalNanos;
    private volatile long[] due = new long[0];      // by partition: when it may be sampled next
    private PartitionSample[] samples = new PartitionSample[0];
    private long rootWindows, rootEvents, rootLastPs, epochs;
    private long version;                           // changes with every sample: cached figures know they are stale
    private List<LiveRun.NodeFigures> nodes;
    private long nodesVersion = -1;

    RunCounts(long intervalNanos) { this.intervalNanos = intervalNanos; }

    /** The root's counts so far ({@code RunObserver.windowDone}). */
    synchronized void root(long windows, long simulatedPs, long events) {
        rootWindows = windows;
        rootLastPs = simulatedPs;
        rootEvents = events;
    }

    synchronized void epochs(long rounds) { epochs = rounds; }

    /** Whether partition {@code p}'s interval has passed at {@code now}; if so its next interval starts now. */
    boolean claim(int p, long now) {
        long[] d = due;
        if (p < d.length && now < d[p]) return false;
        return claimSlowly(p, now);
    }

    private synchronized boolean claimSlowly(int p, long now) {
        if (p >= due.length) due = Arrays.copyOf(due, p + 1);
        if (now < due[p]) return false;
        due[p] = now + intervalNanos;
        due = due; // a volatile write: the fast path of other threads sees the new time
        return true;
    }

    /** Takes a partition's sample (a later one replaces an earlier one). */
    synchronized void record(PartitionSample s) {
        if (s.partition() >= samples.length) samples = Arrays.copyOf(samples, s.partition() + 1);
        samples[s.partition()] = s;
        version++;
    }

    /** The exact counts of the finished run: the root's and every partition's. */
    synchronized void finish(RunResult result) {
        root(result.windows(), result.simulatedPs(), result.events());
        epochs = result.epochs();
        List<PartitionStats> stats = result.partitions();
        PartitionSample[] exact = new PartitionSample[stats.size()];
        for (PartitionStats s : stats) {
            int p = s.partition();
            PartitionSample last = p < samples.length ? samples[p] : null;
            long[] received = new long[stats.size()];
            for (PartitionStats q : stats) received[q.partition()] = q.eventsSentTo()[p];
            // work and utilisation sums are not in the result: they stay as last sampled
            exact[p] = new PartitionSample(p, last == null ? LOCAL : last.node(), s.windows(), s.events(),
                    last == null ? result.simulatedPs() : last.lastPs(), s.batchesWaitNanos(), s.eventsSentTo(), received,
                    s.wireBytesFrom(), last == null ? 0 : last.work(), last == null ? List.of() : last.kinds());
        }
        samples = exact;
        version++;
    }

    synchronized long windows() { return Math.max(rootWindows, sum(PartitionSample::windows)); }

    synchronized long events() { return Math.max(rootEvents, sum(PartitionSample::events)); }

    /** The time of the last event handled, in ps. */
    synchronized long simulatedPs() {
        long max = rootLastPs;
        for (PartitionSample s : samples) if (s != null) max = Math.max(max, s.lastPs());
        return max;
    }

    synchronized long epochs() { return epochs; }

    /** Wall time partitions waited at epoch barriers, summed. */
    synchronized long barrierWaitNanos() { return sum(PartitionSample::barrierWaitNanos); }

    /** The workload's work done, summed over the partitions' last samples. */
    synchronized long work() { return sum(PartitionSample::work); }

    /** Every partition's last sample, by partition (partitions not yet sampled left out). */
    synchronized List<PartitionSample> samples() {
        return Arrays.stream(samples).filter(java.util.Objects::nonNull).toList();
    }

    private long sum(java.util.function.ToLongFunction<PartitionSample> f) {
        long sum = 0;
        for (PartitionSample s : samples) if (s != null) sum += f.applyAsLong(s);
        return sum;
    }

    /** The nodes' figures, in node order; computed once per change of the samples. */
    synchronized List<LiveRun.NodeFigures> nodes() {
        if (nodesVersion == version) return nodes;
        Map<String, long[]> sums = new TreeMap<>(); // node -> windows, events, wait, sent, received, bytes sent, bytes received
        Map<String, List<Integer>> partitions = new TreeMap<>();
        Map<String, Map<String, long[]>> kinds = new TreeMap<>(); // node -> kind -> count, busy
        for (PartitionSample s : samples) {
            if (s == null) continue;
            long[] n = sums.computeIfAbsent(s.node(), k -> new long[7]);
            partitions.computeIfAbsent(s.node(), k -> new ArrayList<>()).add(s.partition());
            n[0] += s.windows();
            n[1] += s.events();
            n[2] += s.barrierWaitNanos();
            for (int q = 0; q < s.eventsSentTo().length; q++) {
                String other = q < samples.length && samples[q] != null ? samples[q].node() : null;
                if (other == null || other.equals(s.node())) continue; // same node, or not known yet
                n[3] += s.eventsSentTo()[q];
                n[4] += s.eventsReceivedFrom()[q];
                n[6] += s.wireBytesFrom()[q];
                sums.computeIfAbsent(other, k -> new long[7])[5] += s.wireBytesFrom()[q]; // measured where they arrive
            }
            for (PartitionSample.Kind k : s.kinds()) {
                long[] c = kinds.computeIfAbsent(s.node(), x -> new TreeMap<>()).computeIfAbsent(k.kind(), x -> new long[2]);
                c[0] += k.count();
                c[1] += k.busyPs();
            }
        }
        long now = simulatedPs();
        List<LiveRun.NodeFigures> figures = new ArrayList<>();
        sums.forEach((node, n) -> {
            Map<String, Double> utilisation = new LinkedHashMap<>();
            kinds.getOrDefault(node, Map.of()).forEach((kind, c) ->
                    utilisation.put(kind, now <= 0 || c[0] == 0 ? 0 : Math.min(1, (double) c[1] / c[0] / now)));
            figures.add(new LiveRun.NodeFigures(node, partitions.getOrDefault(node, List.of()), n[0], n[1], n[2] / 1e9, n[3], n[4], n[5], n[6], utilisation));
        });
        nodes = List.copyOf(figures);
        nodesVersion = version;
        return nodes;
    }
}
