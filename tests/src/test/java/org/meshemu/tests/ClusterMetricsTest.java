package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.dashboards.Watch;
import org.meshemu.deploy.RunDirectory;
import org.meshemu.deploy.Runner;
import org.meshemu.deploy.cluster.ClusterRun;
import org.meshemu.deploy.cluster.NodeHost;
import org.meshemu.kernel.PartitionSample;
import org.meshemu.kernel.RunObserver;
import org.meshemu.report.RunReport;

/**
 * Per-node metrics of a cluster run: two worker actor systems in this JVM joined over Artery on
 * 127.0.0.1 (as {@link ClusterTest}, but batches between partitions of one node are not
 * serialised, as in a real cluster), a launcher serving /metrics. After the run, the series of each
 * node add up to the run's figures in report.json.
 */
class ClusterMetricsTest {
    static final List<ActorSystem<NodeHost.Command>> workers = new ArrayList<>();
    static String seed;

    @BeforeAll
    static void startWorkers() throws InterruptedException {
        seed = ClusterTest.start(workers, 2, ConfigFactory.empty());
    }

    @AfterAll
    static void stopWorkers() {
        workers.forEach(ActorSystem::terminate);
    }

    @Test
    void perNodeSeriesAddUpToTheRunsTotals(@TempDir Path out) throws Exception {
        var loaded = Scenarios.shipped("noc-uniform-8x8", "workload.warmupCycles=100", "workload.measureCycles=300", "run.partitions=4");
        RunReport report;
        String metrics;
        try (Watch watch = new Watch(new Watch.Options(0, "127.0.0.1", null), new PrintWriter(Writer.nullWriter()), null)) {
            report = Runner.run(loaded, RunDirectory.open(loaded.scenario(), out, true), RunObserver.NONE, watch,
                    ClusterRun.on(new ClusterRun.Existing(seed, "127.0.0.1"))).report();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + watch.address().getPort() + "/metrics"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            metrics = r.body();
        }
        List<String> nodes = report.cluster().placement().stream().map(RunReport.Cluster.Node::address).toList();
        assertEquals(nodes, List.copyOf(series(metrics, "meshemu_node_events_total", "").keySet()), "one series per node, labelled by its address");

        assertEquals(report.events(), sum(series(metrics, "meshemu_node_events_total", "")), metrics);
        assertEquals(report.windows(), sum(series(metrics, "meshemu_node_windows_total", "")));
        assertEquals(report.events(), sum(series(metrics, "meshemu_partition_events_total", "")), "four partitions' series");
        assertEquals(4, Pattern.compile("(?m)^meshemu_partition_events_total\\{").matcher(metrics).results().count(), "one series per partition");
        long crossEvents = report.cluster().crossNodeEvents(), crossBytes = report.cluster().crossNodeBytes();
        assertTrue(crossEvents > 0 && crossBytes > 0, "traffic crossed nodes");
        assertEquals(crossEvents, sum(series(metrics, "meshemu_node_cross_events_total", "direction=\"sent\",")));
        assertEquals(crossEvents, sum(series(metrics, "meshemu_node_cross_events_total", "direction=\"received\",")));
        assertEquals(crossBytes, sum(series(metrics, "meshemu_node_cross_bytes_total", "direction=\"sent\",")));
        assertEquals(crossBytes, sum(series(metrics, "meshemu_node_cross_bytes_total", "direction=\"received\",")));
        for (RunReport.Cluster.Node n : report.cluster().placement()) {
            double wait = series(metrics, "meshemu_node_barrier_wait_seconds_total", "").get(n.address());
            assertEquals(n.barrierWaitSeconds(), wait, 1e-6, "barrier wait of " + n.address());
            assertEquals(2.0, series(metrics, "meshemu_node_partitions", "").get(n.address()));
        }
        // sampled on the nodes: each node's links were busy some of the time
        for (double u : series(metrics, "meshemu_node_utilisation_mean_ratio", "kind=\"link\",").values()) assertTrue(u > 0 && u <= 1, metrics);
        assertTrue(metrics.contains("meshemu_progress_ratio{scenario=\"noc-uniform-8x8\"} 1.0"), metrics);
    }

    /**
     * Each of a node's partitions sends its final figures, however long the sampling interval: with
     * one longer than the run, the partitions' last samples still hold every event of the run.
     */
    @Test
    void eachPartitionsLastSampleHoldsItsFinalFigures(@TempDir Path out) {
        var loaded = Scenarios.shipped("noc-uniform-8x8", "workload.warmupCycles=100", "workload.measureCycles=300", "run.partitions=4");
        Map<Integer, PartitionSample> last = new ConcurrentHashMap<>();
        RunObserver observer = new RunObserver() {
            @Override public void windowDone(long windows, long simulatedPs, long events) {}

            @Override public void sampled(PartitionSample sample) { last.put(sample.partition(), sample); }

            @Override public long remoteSampleNanos() { return TimeUnit.HOURS.toNanos(1); }
        };
        RunReport report = Runner.run(loaded, out, observer, ClusterRun.on(new ClusterRun.Existing(seed, "127.0.0.1"))).report();
        assertEquals(4, last.size(), "a last sample of each partition");
        assertEquals(report.events(), last.values().stream().mapToLong(PartitionSample::events).sum());
    }

    /** The value of each series of {@code name} whose labels start with {@code labels}, by node. */
    static Map<String, Double> series(String metrics, String name, String labels) {
        Map<String, Double> values = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{" + Pattern.quote(labels) + "node=\"([^\"]+)\"[^}]*} (\\S+)$").matcher(metrics);
        while (m.find()) values.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
        return values;
    }

    static long sum(Map<String, Double> values) {
        return Math.round(values.values().stream().mapToDouble(Double::doubleValue).sum());
    }
}
