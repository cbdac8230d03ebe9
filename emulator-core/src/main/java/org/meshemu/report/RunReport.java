package org.meshemu.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
        double wallSeconds,
        double eventsPerSecond,
        String outputDigest,
        Reference reference,
        Map<String, Long> components,
        Map<String, Utilisation> utilisation,
        Traffic traffic,
        Noc noc) {

    /** Error of the emulated outputs against the independent reference (absent in timing mode). */
    public record Reference(double maxAbsError, double maxRelError) {
        /**
         * maxAbsError = max |e - r| over all output elements; maxRelError = maxAbsError / max |r|
         * (normwise, so that outputs near zero do not inflate it).
         */
        public static Reference compare(List<Tensor> emulated, List<Tensor> reference) {
            double maxAbs = 0, maxRef = 0;
            for (Tensor r : reference) {
                Tensor e = emulated.stream().filter(t -> t.name().equals(r.name())).findFirst()
                        .orElseThrow(() -> new IllegalStateException("the run produced no output named " + r.name()));
                if (e.size() != r.size()) throw new IllegalStateException(r.name() + ": " + e.size() + " values, reference has " + r.size());
                for (int i = 0; i < r.size(); i++) {
                    double rv = r.f32() != null ? r.f32()[i] : r.i32()[i];
                    double ev = e.f32() != null ? e.f32()[i] : e.i32()[i];
                    maxAbs = Math.max(maxAbs, Math.abs(ev - rv));
                    maxRef = Math.max(maxRef, Math.abs(rv));
                }
            }
            return new Reference(maxAbs, maxRef == 0 ? maxAbs : maxAbs / maxRef);
        }
    }

    /** Busy fraction of the components of one kind: busyPs / simulatedTimePs, mean and max over them. */
    public record Utilisation(double mean, double max) {}

    /** Bytes moved: over NoC links (summed over hops), read from and written to DRAM. */
    public record Traffic(long nocLinkBytes, long dramBytesRead, long dramBytesWritten) {}

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
                      double offeredPacketsPerNodePerCycle, long measuredPackets, Map<String, Double> linkUtilisation) {}

    /** Kinds whose utilisation the report gives. */
    static final List<String> UTILISED = List.of("core", "link", "bank");

    public static RunReport of(String scenario, String sha256, String payload, int partitions, int threads, long windowPs,
                               RunResult result, String outputDigest, Reference reference, Noc noc) {
        Map<String, Long> counts = new TreeMap<>();
        Map<String, List<Double>> busy = new TreeMap<>();
        long nocBytes = 0, read = 0, written = 0;
        for (ComponentReport c : result.reports()) {
            counts.merge(c.kind(), 1L, Long::sum);
            if (UTILISED.contains(c.kind())) {
                busy.computeIfAbsent(c.kind(), k -> new ArrayList<>())
                        .add(result.simulatedPs() == 0 ? 0 : (double) c.busyPs() / result.simulatedPs());
            }
            if (c.kind().equals("link")) nocBytes += c.counter("bytes");
            read += c.counter("bytesRead");
            written += c.counter("bytesWritten");
        }
        Map<String, Utilisation> util = new TreeMap<>();
        busy.forEach((kind, values) -> util.put(kind, new Utilisation(
                values.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                values.stream().mapToDouble(Double::doubleValue).max().orElse(0))));
        double wall = result.wallNanos() / 1e9;
        return new RunReport(scenario, sha256, payload, partitions, threads, windowPs, result.simulatedPs(), result.events(),
                result.windows(), wall, wall > 0 ? result.events() / wall : 0, outputDigest, reference, counts, util,
                new Traffic(nocBytes, read, written), noc);
    }

    public void write(Path file) {
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
