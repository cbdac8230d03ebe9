package org.meshemu.workloads.traffic;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.RunResult;
import org.meshemu.report.ComponentMeasures;
import org.meshemu.report.RunReport;

/**
 * Turns the reports of {@link TrafficSource}s and of the links (link components, or the links a
 * router drives itself, as its {@link ComponentMeasures} tell) into the report's {@code noc} section. Everything comes from the components' own counters, so the numbers are the same however
 * the run was partitioned.
 */
public final class TrafficStats {
    private TrafficStats() {}

    /** The noc section of a run, or null if it had no traffic generators. */
    public static RunReport.Noc summarise(RunResult result, IntFunction<String> labelOf) {
        long endpoints = 0, offered = 0, accepted = 0, measured = 0, created = 0, latencySum = 0, measureCycles = 0;
        Map<Long, Long> histogram = new TreeMap<>();
        for (ComponentReport c : result.reports()) {
            if (!c.kind().equals("traffic")) continue;
            endpoints++;
            offered += c.counter(TrafficSource.OFFERED);
            accepted += c.counter(TrafficSource.ACCEPTED);
            measured += c.counter(TrafficSource.MEASURED);
            created += c.counter(TrafficSource.CREATED);
            latencySum += c.counter(TrafficSource.LATENCY_SUM);
            measureCycles = c.counter(TrafficSource.MEASURE_CYCLES);
            c.counters().forEach((name, count) -> {
                if (name.startsWith(TrafficSource.HISTOGRAM)) {
                    histogram.merge(Long.parseLong(name.substring(TrafficSource.HISTOGRAM.length())), count, Long::sum);
                }
            });
        }
        // a run without generators (a model's) has no noc section: its links, hundreds of thousands on a wafer, are not labelled
        if (endpoints == 0) return null;
        double perNodeCycle = (double) endpoints * measureCycles;
        return new RunReport.Noc(measured == 0 ? 0 : (double) latencySum / measured, percentile(histogram, measured, 0.99),
                accepted / perNodeCycle, offered / perNodeCycle, measured, created, linkUtilisation(result, labelOf));
    }

    /** Each link's busy fraction of the simulated time, by label. */
    private static Map<String, Double> linkUtilisation(RunResult result, IntFunction<String> labelOf) {
        Map<String, Double> links = new TreeMap<>();
        long simulatedPs = result.simulatedPs();
        for (ComponentReport c : result.reports()) {
            switch (c.kind()) {
                case "link" -> links.put(labelOf.apply(c.id()), simulatedPs == 0 ? 0 : (double) c.busyPs() / simulatedPs);
                default -> ComponentMeasures.of(c).drivenLinkBusyPs(c).forEach((label, busyPs) ->
                        links.put(label, simulatedPs == 0 ? 0 : (double) busyPs / simulatedPs));
            }
        }
        return links;
    }

    /** Nearest-rank percentile: the smallest latency at or below which a fraction q of the packets lie. */
    static double percentile(Map<Long, Long> histogram, long total, double q) {
        if (total == 0) return 0;
        long rank = (long) Math.ceil(q * total), seen = 0;
        for (var e : histogram.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) return e.getKey();
        }
        throw new IllegalStateException("histogram holds " + seen + " packets, expected " + total);
    }
}
