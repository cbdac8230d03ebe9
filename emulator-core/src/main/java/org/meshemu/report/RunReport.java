package org.meshemu.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.DoubleSummaryStatistics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.RunResult;
import org.meshemu.tensor.Tensor;

/**
 * What a run produces in {@code report.json}. Every field is defined, with its unit, in
 * docs/REPORT.md; researchers cite these names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunReport(
        String scenario,
        String scenarioSha256,
        String payload,
        int partitions,
        int threads,
        long windowPs,
        long simulatedTimePs,
        long events,
        long windows,
        long epochs,
        double startupSeconds,
        double wallSeconds,
        double eventsPerSecond,
        long peakHeapBytes,
        String outputDigest,
        Reference reference,
        Map<String, Long> components,
        Map<String, Utilisation> utilisation,
        Traffic traffic,
        Dram dram,
        Energy energy,
        Noc noc,
        Generation generation,
        Cluster cluster,
        List<PartitionLoad> partitionLoad,
        Checkpoints checkpoints,
        Weights weights,
        @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> workloadSections) {

    /**
     * Sections a workload adds under its own name ({@code gnn}), each a record of the workload's
     * (the plan's {@code Section}); written at the top level of the report, beside the typed ones.
     */
    @com.fasterxml.jackson.annotation.JsonAnyGetter
    public Map<String, Object> workloadSectionsByName() {
        return workloadSections == null ? Map.of() : workloadSections;
    }

    /**
     * One partition's share of the run (absent with one partition).
     *
     * @param partition  the partition
     * @param components components placed in it
     * @param weight     the events its components were expected to handle, as the placement balanced them
     * @param events     the events they handled
     */
    public record PartitionLoad(int partition, long components, long weight, long events) {}

    /**
     * The checkpoints a run took and the one it resumed from (absent when neither).
     *
     * @param every              local windows of a partition between checkpoints (0: none taken)
     * @param taken              checkpoints this run completed (since it resumed, if it did)
     * @param lastBytes          size of the last checkpoint's file
     * @param stateSeconds       wall time spent writing state, summed over checkpoints (the slowest partition of each)
     * @param resumedFrom        the checkpoint file the run resumed from (absent: it started fresh)
     * @param resumedAtEpoch     that checkpoint's epoch
     * @param eventsBeforeResume events handled before that checkpoint ({@code eventsPerSecond} counts only those after)
     */
    public record Checkpoints(int every, int taken, long lastBytes, double stateSeconds, String resumedFrom, Long resumedAtEpoch,
                              Long eventsBeforeResume) {}

    /**
     * How a run spread over the JVMs of a cluster (absent in one JVM).
     *
     * @param nodes            worker JVMs that hosted partitions
     * @param placement        each node's partitions and components
     * @param crossNodeEvents  events carried between partitions on different nodes
     * @param crossNodeBytes   serialised bytes of the batches that carried them
     */
    public record Cluster(int nodes, List<Node> placement, long crossNodeEvents, long crossNodeBytes) {
        /**
         * @param address            the node's Pekko address
         * @param partitions         the partitions it hosted
         * @param components         components in them
         * @param weight             the events they were expected to handle, as the placement balanced them
         * @param events             the events they handled
         * @param barrierWaitSeconds wall time its partitions waited between epochs, summed over them
         * @param weightsMappedBytes bytes of checkpoint files the node mapped for the weight tiles of its banks
         */
        public record Node(String address, List<Integer> partitions, long components, long weight, long events, double barrierWaitSeconds,
                           long weightsMappedBytes) {}
    }

    /**
     * Error of the emulated outputs against the independent reference (absent in timing mode).
     * {@code tokensMatch} is null when the outputs have no integer tensor.
     */
    public record Reference(double maxAbsError, double maxRelError, Boolean tokensMatch) {
        public Reference(double maxAbsError, double maxRelError) {
            this(maxAbsError, maxRelError, null);
        }

        /**
         * Over the float outputs: maxAbsError = max |e - r|, maxRelError = maxAbsError / max |r| (normwise, so
         * that outputs near zero do not inflate it). Integer outputs (token ids) must be equal: tokensMatch.
         */
        public static Reference compare(List<Tensor> emulated, List<Tensor> reference) {
            double maxAbs = 0, maxRef = 0;
            Boolean match = null;
            for (Tensor r : reference) {
                Tensor e = emulated.stream().filter(t -> t.name().equals(r.name())).findFirst()
                        .orElseThrow(() -> new IllegalStateException("the run produced no output named " + r.name()));
                if (e.size() != r.size()) throw new IllegalStateException(r.name() + ": " + e.size() + " values, reference has " + r.size());
                if (r.i32() != null) {
                    match = (match == null || match) && e.i32() != null && java.util.Arrays.equals(e.i32(), r.i32());
                    continue;
                }
                for (int i = 0; i < r.size(); i++) {
                    double rv = r.f32()[i];
                    double ev = e.f32() != null ? e.f32()[i] : e.i32()[i];
                    maxAbs = Math.max(maxAbs, Math.abs(ev - rv));
                    maxRef = Math.max(maxRef, Math.abs(rv));
                }
            }
            return new Reference(maxAbs, maxRef == 0 ? maxAbs : maxAbs / maxRef, match);
        }
    }

    /**
     * Token generation in simulated time (generate workloads only). TTFT: from the start to the logits
     * after the prompt; TPOT: mean time between later logits; tokens per simulated second = 1e12 / TPOT.
     * The breakdowns sum, over the run, the critical-path time (measured where the results are assembled)
     * spent in each operator and in each layer ("embed" and "head" outside the layers), in ps.
     * weightBytesPerBank: bytes of weights resident per DRAM bank (max and total over banks). mapping and
     * experts: the projection mapping and the expert placement the run used.
     */
    public record Generation(int promptTokens, int decodeSteps, String mapping, String experts, long timeToFirstTokenPs,
                             long timePerOutputTokenPs, double tokensPerSimulatedSecond,
                             Map<String, Long> perOperatorPs, Map<String, Long> perLayerPs,
                             long maxWeightBytesPerBank, long totalWeightBytes) {}

    /** Busy fraction of the components of one kind: busyPs / simulatedTimePs, mean and max over them. */
    public record Utilisation(double mean, double max) {}

    /** Bytes moved: over NoC links (summed over hops), read from and written to DRAM. */
    public record Traffic(long nocLinkBytes, long dramBytesRead, long dramBytesWritten) {}

    /**
     * DRAM over all banks: row-buffer hit rate (hits / (hits + misses + conflicts), null for a
     * model without rows), achieved bandwidth (bytes read and written / simulated time) against
     * the sum of the banks' peaks, and the spread of bytes moved per bank (the tensor-to-bank
     * mapping's balance).
     */
    public record Dram(Double rowHitRate, double achievedBytesPerSecond, double peakBytesPerSecond,
                       long minBankBytes, double meanBankBytes, long maxBankBytes) {}

    /**
     * Network statistics of a synthetic-traffic run (null otherwise). A packet here is one message
     * of the traffic generator; latency runs from its creation at the source to the ejection of its
     * last packet at the destination, source queueing included, over the messages created in the
     * measurement window (all of them are drained before the run ends).
     *
     * @param avgPacketLatencyCycles         mean latency, in core cycles
     * @param p99PacketLatencyCycles         99th percentile latency (nearest rank), in core cycles
     * @param acceptedPacketsPerNodePerCycle messages ejected during the measurement window, per endpoint per cycle
     * @param offeredPacketsPerNodePerCycle  messages created during the measurement window, per endpoint per cycle
     * @param measuredPackets                messages whose latency was measured
     * @param linkUtilisation                busy fraction of every link over the whole run, by label
     */
    public record Noc(double avgPacketLatencyCycles, double p99PacketLatencyCycles, double acceptedPacketsPerNodePerCycle,
                      double offeredPacketsPerNodePerCycle, long measuredPackets, long createdPackets, Map<String, Double> linkUtilisation) {}

    /** Kinds whose utilisation the report gives. */
    static final List<String> UTILISED = List.of("core", "link", "bank");

    /**
     * The report's sections beside the run's own figures, each null when absent: the models'
     * summaries, the workload's ({@code generation}, or its own sections by name), where it ran.
     */
    public record Sections(Dram dram, Energy energy, Noc noc, Generation generation, Cluster cluster,
                           List<PartitionLoad> partitionLoad, Checkpoints checkpoints, Map<String, Object> workload, Weights weights) {}

    /**
     * Weights read from checkpoint files in place (absent when no bank holds any: timing mode, random weights).
     *
     * @param mappedBytes bytes of the files mapped for the banks' weight tiles, summed over the JVMs hosting banks
     *                    (each maps, per tensor, the spans of the file its banks read: at most 64, see {@code Stored.map})
     */
    public record Weights(long mappedBytes) {}

    /**
     * What the report counts over every component: components by kind, the utilisation of the kinds
     * that report it, and the traffic. {@link #tally} makes it in one pass, which the caller may run
     * beside the sections' passes.
     */
    public record Tally(Map<String, Long> components, Map<String, Utilisation> utilisation, Traffic traffic) {}

    /** A component kind met in {@link #tally}: its measures, its count, and its utilisation if it is reported. */
    private static final class Kind {
        final ComponentMeasures measures;
        final DoubleSummaryStatistics utilisation;
        long count;

        Kind(ComponentMeasures measures, DoubleSummaryStatistics utilisation) {
            this.measures = measures;
            this.utilisation = utilisation;
        }
    }

    /**
     * The tally of {@code result}'s components, in one pass (millions of them at wafer scale): each
     * kind's measures found once, and its utilisation kept as running statistics, whose mean and
     * maximum are those of its values in id order (the same compensated sum as a stream's average).
     */
    public static Tally tally(RunResult result) {
        Map<String, Kind> kinds = new HashMap<>();
        Map<String, DoubleSummaryStatistics> busy = new TreeMap<>();
        long nocBytes = 0, read = 0, written = 0;
        double simulated = result.simulatedPs();
        for (ComponentReport c : result.reports()) {
            Kind kind = kinds.computeIfAbsent(c.kind(), k -> new Kind(ComponentMeasures.of(c),
                    UTILISED.contains(k) ? busy.computeIfAbsent(k, x -> new DoubleSummaryStatistics()) : null));
            kind.count++;
            if (kind.utilisation != null) kind.utilisation.accept(simulated == 0 ? 0 : c.busyPs() / simulated);
            ComponentMeasures m = kind.measures;
            for (long linkBusy : m.drivenLinkBusyPs(c).values()) {
                busy.computeIfAbsent("link", k -> new DoubleSummaryStatistics()).accept(simulated == 0 ? 0 : linkBusy / simulated);
            }
            nocBytes += m.nocBytes(c);
            read += m.dramBytesRead(c);
            written += m.dramBytesWritten(c);
        }
        Map<String, Long> counts = new TreeMap<>();
        kinds.forEach((name, kind) -> counts.put(name, kind.count));
        Map<String, Utilisation> util = new TreeMap<>();
        busy.forEach((kind, values) -> util.put(kind, new Utilisation(values.getAverage(), values.getMax())));
        return new Tally(counts, util, new Traffic(nocBytes, read, written));
    }

    public static RunReport of(String scenario, String sha256, String payload, int partitions, int threads, long windowPs,
                               RunResult result, String outputDigest, Reference reference, long peakHeapBytes, Tally tally,
                               Sections sections) {
        double wall = result.wallNanos() / 1e9;
        Checkpoints c = sections.checkpoints();
        long handledHere = result.events() - (c == null || c.eventsBeforeResume() == null ? 0 : c.eventsBeforeResume()); // a resumed run's own
        List<PartitionLoad> load = sections.partitionLoad() != null && sections.partitionLoad().size() > 1 ? List.copyOf(sections.partitionLoad()) : null;
        Map<String, Object> workload = sections.workload() == null ? null : java.util.Collections.unmodifiableMap(new TreeMap<>(sections.workload()));
        return new RunReport(scenario, sha256, payload, partitions, threads, windowPs, result.simulatedPs(), result.events(),
                result.windows(), result.epochs(), result.startupNanos() / 1e9, wall, wall > 0 ? handledHere / wall : 0, peakHeapBytes, outputDigest,
                reference, tally.components(), tally.utilisation(), tally.traffic(), sections.dram(), sections.energy(), sections.noc(),
                sections.generation(), sections.cluster(), load, c, sections.weights(), workload);
    }
}
