package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.io.PrintWriter;
import java.io.Writer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.dashboards.Watch;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.RunObserver;
import org.meshemu.report.RunReport;

/** `run --serve`: the HTTP endpoints of a running emulation, and results that do not depend on being watched. */
class LiveDashboardTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** report.json fields measured on the host, which vary from run to run anyway. */
    private static final List<String> HOST_FIELDS = List.of("startupSeconds", "wallSeconds", "eventsPerSecond", "peakHeapBytes");

    @TempDir Path out;

    @Test
    void resultsAreIdenticalWithAndWithoutServe() throws Exception {
        for (String scenario : List.of("gemv-tree-16x16", "noc-uniform-8x8")) {
            Path plain = out.resolve(scenario + "-plain"), served = out.resolve(scenario + "-served");
            String file = Scenarios.file(scenario).toString();
            BadInputTest.Result a = BadInputTest.cli("run", file, "--out", plain.toString(), "--threads", "2", "--partitions", "2");
            BadInputTest.Result b = BadInputTest.cli("run", file, "--out", served.toString(), "--threads", "2", "--partitions", "2",
                    "--serve", "0", "--serve-exit");
            assertEquals(0, a.code(), a.err());
            assertEquals(0, b.code(), b.err());
            assertTrue(b.out().contains("live at http://127.0.0.1:"), b.out());
            assertEquals(withoutHostFields(plain), withoutHostFields(served), scenario);
            for (String f : List.of("banks.csv", "y.npy")) {
                if (Files.exists(plain.resolve(f))) assertEquals(-1L, Files.mismatch(plain.resolve(f), served.resolve(f)), scenario + " " + f);
            }
        }
    }

    private static JsonNode withoutHostFields(Path dir) throws Exception {
        ObjectNode report = (ObjectNode) JSON.readTree(dir.resolve("report.json").toFile());
        report.remove(HOST_FIELDS);
        return report;
    }

    @Test
    void servesMetricsStatusPageAndEventsWhileRunningAndTheFinalStateAfter() throws Exception {
        var scenario = Scenarios.shipped("noc-uniform-8x8", "hardware.noc.width=16", "hardware.noc.height=16", "workload.measureCycles=3000");
        try (Watch watch = new Watch(new Watch.Options(0, "127.0.0.1", null), new PrintWriter(Writer.nullWriter()), null)) {
            CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> Runner.run(scenario, out, RunObserver.NONE, watch).report());
            URI base = awaitAddress(watch, run);
            HttpClient http = HttpClient.newHttpClient();

            String page = get(http, base.resolve("/"));
            assertTrue(page.contains("<canvas") || page.contains("live.js"), page);
            JsonNode firstEvent = JSON.readTree(firstServerSentEvent(base.resolve("/api/events?layer=link-utilisation")));
            assertEquals("noc-uniform-8x8", firstEvent.get("status").get("scenario").asText());
            JsonNode panel = firstEvent.get("heatmap").get("panels").get(0);
            assertEquals(16 * 16, panel.get("values").size(), "one cell per node of a 16 x 16 mesh");

            RunReport report = run.get();
            JsonNode status = JSON.readTree(get(http, base.resolve("/api/status")));
            assertEquals("finished", status.get("state").asText());
            assertEquals(report.events(), status.get("events").asLong());
            assertEquals(report.simulatedTimePs(), status.get("simulatedTimePs").asLong());
            assertEquals(report.traffic().nocLinkBytes(), status.get("nocLinkBytes").asLong());
            assertTrue(status.get("samples").asLong() > 0, "sampled at barriers: " + status);
            assertEquals(report.wallSeconds(), status.get("wallSeconds").asDouble());
            assertEquals(report.energy().totalPj() * 1e-12, status.get("energyJoules").asDouble(), 1e-18);
            assertEquals(1.0, status.get("progress").asDouble(), "synthetic traffic knows its length");
            assertEquals(0.0, status.get("etaSeconds").asDouble());
            assertEquals("injection cycles", status.get("workUnit").asText());
            assertEquals(List.of("local"), status.get("nodes").findValuesAsText("node"), "a run in one JVM is one node");
            assertEquals(report.events(), status.get("nodes").get(0).get("events").asLong());

            String metrics = get(http, base.resolve("/metrics"));
            assertTrue(metrics.contains("meshemu_events_total{scenario=\"noc-uniform-8x8\"} " + (double) report.events()), metrics);
            assertTrue(metrics.contains("meshemu_run_finished{scenario=\"noc-uniform-8x8\"} 1.0"), metrics);
            assertTrue(metrics.contains("meshemu_progress_ratio{scenario=\"noc-uniform-8x8\"} 1.0"), metrics);
            assertTrue(metrics.contains("meshemu_node_events_total{node=\"local\",scenario=\"noc-uniform-8x8\"} " + (double) report.events()), metrics);
            double maxLink = report.utilisation().get("link").max();
            assertTrue(metrics.contains("meshemu_utilisation_ratio{kind=\"link\",quantile=\"1.0\",scenario=\"noc-uniform-8x8\"} "
                    + Math.round(maxLink * 100) / 100.0), "the largest link utilisation, to 0.01: " + maxLink);
        }
    }

    private static URI awaitAddress(Watch watch, CompletableFuture<?> run) throws Exception {
        while (watch.address() == null) {
            if (run.isDone()) run.get(); // a failure to start surfaces here
            Thread.sleep(20);
        }
        InetSocketAddress a = watch.address();
        return URI.create("http://127.0.0.1:" + a.getPort() + "/");
    }

    private static String get(HttpClient http, URI uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), uri + ": " + r.body());
        return r.body();
    }

    /** The data of the first server-sent event of {@code uri}. */
    private static String firstServerSentEvent(URI uri) throws Exception {
        var connection = (java.net.HttpURLConnection) uri.toURL().openConnection();
        connection.setReadTimeout(30_000);
        assertTrue(connection.getContentType().startsWith("text/event-stream"), connection.getContentType());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("data:")) return line.substring(5).trim();
            }
        } finally {
            connection.disconnect();
        }
        throw new AssertionError("no event from " + uri);
    }
}
