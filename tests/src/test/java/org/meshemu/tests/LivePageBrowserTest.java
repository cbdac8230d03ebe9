package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.dashboards.Watch;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.RunObserver;
import org.meshemu.report.RunReport;

/**
 * Debian's {@code chromium}, headless, loads the live page of a running emulation: the page shows
 * the simulated time advancing and a heatmap with one cell per core. The screenshot is kept as
 * {@code tests/target/live-page.png}. Skipped only where the binary is absent.
 */
class LivePageBrowserTest {
    private static final Path SCREENSHOT = Path.of("target", "live-page.png");

    @TempDir Path dir;

    @Test
    void theLivePageShowsSimulatedTimeAdvancingAndOneCellPerCore() throws Exception {
        Path chromium = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .flatMap(p -> Stream.of(Path.of(p, "chromium"), Path.of(p, "chromium-browser")))
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(chromium != null, "no chromium on the PATH (.ci/run installs Debian's)");
        // 16 x 16 nodes, long enough (tens of seconds) for the browser to see several updates while it runs
        var scenario = Scenarios.shipped("noc-uniform-8x8", "hardware.noc.width=16", "hardware.noc.height=16", "workload.measureCycles=16000");
        try (Watch watch = new Watch(new Watch.Options(0, "127.0.0.1", null), new PrintWriter(Writer.nullWriter()), null)) {
            CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> Runner.run(scenario, dir.resolve("run"), RunObserver.NONE, watch).report());
            while (watch.address() == null || watch.run().status().events() == 0) {
                if (run.isDone()) run.get();
                Thread.sleep(50);
            }
            // ?updates=6: the page stops listening after 6 updates (3 s), so headless chromium sees the network idle and ends
            URI page = URI.create("http://127.0.0.1:" + watch.address().getPort() + "/?layer=link-utilisation&updates=6");

            String dom = chromium(chromium, "--virtual-time-budget=5000", "--dump-dom", page.toString());
            long first = attribute(dom, "data-first-simulated-ps"), last = attribute(dom, "data-simulated-ps");
            assertEquals(6, attribute(dom, "data-updates"), "updates: " + dom);
            assertTrue(0 <= first && first < last, "simulated time advances on the page: " + first + " -> " + last);
            Matcher canvas = Pattern.compile("<canvas [^>]*data-cells=\"(\\d+)\"").matcher(dom);
            assertTrue(canvas.find(), "a heatmap canvas: " + dom);
            assertEquals(16 * 16, Integer.parseInt(canvas.group(1)), "one cell per core of a 16 x 16 mesh");
            assertTrue(!canvas.find(), "one chip, one panel");

            Files.createDirectories(SCREENSHOT.getParent());
            Files.deleteIfExists(SCREENSHOT);
            chromium(chromium, "--virtual-time-budget=5000", "--window-size=1100,800", "--screenshot=" + SCREENSHOT.toAbsolutePath(), page.toString());
            assertTrue(Files.size(SCREENSHOT) > 0);
            run.get();
        }
    }

    /** Runs headless chromium on the page; returns what it printed on standard output. */
    private String chromium(Path binary, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("chromium-profile")));
        command.addAll(List.of(args));
        Path stdout = dir.resolve("chromium.out");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(dir.resolve("chromium.err").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s: " + Files.readString(dir.resolve("chromium.err")));
        }
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static long attribute(String dom, String name) {
        Matcher m = Pattern.compile(name + "=\"(\\d+)\"").matcher(dom);
        assertTrue(m.find(), name + " missing from the page: " + dom);
        return Long.parseLong(m.group(1));
    }
}
