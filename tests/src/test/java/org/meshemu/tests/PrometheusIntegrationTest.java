package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.dashboards.Watch;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.RunObserver;
import org.meshemu.report.RunReport;

/**
 * Debian's {@code prometheus} (installed by .ci/run) scrapes a running emulation on 127.0.0.1 and
 * answers {@code meshemu_events_total} through its query API. Skipped only where the binary is absent.
 */
class PrometheusIntegrationTest {
    @TempDir Path dir;

    @Test
    void prometheusScrapesTheEventCountOfARunningEmulation() throws Exception {
        Path prometheus = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(p -> Path.of(p, "prometheus")).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(prometheus != null, "no prometheus binary on the PATH (.ci/run installs Debian's)");
        int servePort = freePort(), prometheusPort = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global: {scrape_interval: 1s}
                scrape_configs:
                  - job_name: meshemu
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(servePort));
        Process server = new ProcessBuilder(prometheus.toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        var scenario = Scenarios.shipped("noc-uniform-8x8", "hardware.noc.width=16", "hardware.noc.height=16", "workload.measureCycles=3000");
        try (Watch watch = new Watch(new Watch.Options(servePort, "127.0.0.1", null), new PrintWriter(Writer.nullWriter()), null)) {
            CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> Runner.run(scenario, dir.resolve("run"), RunObserver.NONE, watch).report());
            HttpClient http = HttpClient.newHttpClient();
            URI query = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query=meshemu_events_total");
            double events = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (events <= 0 && System.nanoTime() < deadline) {
                Thread.sleep(500);
                events = eventsIn(http, query);
            }
            run.get(); // the server stays up until the watch closes, so a scrape after the end counts too
            assertTrue(events > 0, "prometheus saw no events in 90 s; its log: " + Files.readString(dir.resolve("prometheus.log")));
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The value of the query's first sample, 0 while Prometheus has none (or is still starting). */
    private static double eventsIn(HttpClient http, URI query) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(query).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode result = new ObjectMapper().readTree(r.body()).path("data").path("result");
            return result.isEmpty() ? 0 : result.get(0).get("value").get(1).asDouble();
        } catch (java.io.IOException e) {
            return 0; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
