package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.deploy.sweep.SweepFile;
import org.meshemu.scenario.InputException;

/**
 * {@code meshemu sweep}: the points a sweep file makes, its refusals before any point runs, rows
 * equal to single runs, resuming after a kill -9, and a failed point among completed ones. The
 * points run in real worker JVMs, as the command does.
 */
class SweepTest {
    /** An 8 x 8 Cannon GEMM small enough that a point takes well under a second once its worker is warm. */
    static final String BASE = """
            name: sweep-base
            seed: 7
            hardware:
              core: {clockGHz: 1.0, sramKiB: 512, matrixFlopsPerCycle: {fp32: 512}, vectorLanes: 16, instructionOverheadCycles: 1}
              noc: {topology: mesh2d, width: 8, height: 8, routing: xy, link: {bytesPerCycle: 32, latencyCycles: 1}}
              dram: {banksPerCore: 2, latencyCycles: 20, bytesPerCycle: 32}
            workload: {kind: gemm, algorithm: cannon, m: 64, n: 64, k: 64}
            run: {payload: full}
            """;
    /** Figures of the host, not of the emulated system: they differ between two runs of one point. */
    static final Set<String> HOST = Set.of("startupSeconds", "wallSeconds", "eventsPerSecond", "peakHeapBytes", "threads", "partitions");

    @TempDir Path dir;

    private Path sweepFile(String axes) throws IOException {
        Files.createDirectories(dir.resolve("scenarios"));
        Files.writeString(dir.resolve("scenarios/base.yaml"), BASE);
        Path file = dir.resolve("studies/sweep.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "base: ../scenarios/base.yaml\n" + axes);
        return file;
    }

    /** results.csv as one map per row, keyed by the header. */
    static List<Map<String, String>> rows(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = cells(lines.get(0));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> c = cells(line);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) row.put(header.get(i), c.get(i));
            rows.add(row);
        }
        return rows;
    }

    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted && ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') { cell.append('"'); i++; }
            else if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted) { cells.add(cell.toString()); cell.setLength(0); }
            else cell.append(ch);
        }
        cells.add(cell.toString());
        return cells;
    }

    @Test
    void theGridIsCrossedInFileOrderWithTheZipTakenTogetherInnermost() throws IOException {
        SweepFile sweep = SweepFile.load(sweepFile("""
                grid:
                  hardware.noc.link.bytesPerCycle: [8, 16, 32]
                  hardware.core.sramKiB: [256, 512]
                zip:
                  workload.m: [64, 128]
                  workload.n: [32, 96]
                """));
        assertEquals(dir.resolve("scenarios/base.yaml").toAbsolutePath().normalize(), sweep.base(), "relative to the sweep file");
        List<SweepFile.Point> points = sweep.points();
        assertEquals(3 * 2 * 2, points.size());
        assertEquals(List.of("hardware.noc.link.bytesPerCycle=8", "hardware.core.sramKiB=256", "workload.m=64", "workload.n=32"), points.get(0).overrides());
        assertEquals(List.of("hardware.noc.link.bytesPerCycle=8", "hardware.core.sramKiB=256", "workload.m=128", "workload.n=96"), points.get(1).overrides());
        assertEquals(List.of("hardware.noc.link.bytesPerCycle=8", "hardware.core.sramKiB=512", "workload.m=64", "workload.n=32"), points.get(2).overrides());
        assertEquals(List.of("hardware.noc.link.bytesPerCycle=32", "hardware.core.sramKiB=512", "workload.m=128", "workload.n=96"), points.get(11).overrides());
        Set<String> combinations = new HashSet<>();
        points.forEach(p -> combinations.add(p.label()));
        assertEquals(12, combinations.size(), "every combination once");
        for (SweepFile.Point p : points) {
            assertEquals(p.values().get("workload.m").asInt() == 64 ? 32 : 96, p.values().get("workload.n").asInt(), "zip lists go together");
        }
        assertEquals("0011-bytesPerCycle=32-sramKiB=512-m=128-n=96", points.get(11).directoryName());
    }

    @Test
    void zipListsOfDifferentLengthsAreRefusedWithExit2() throws IOException {
        Path file = sweepFile("zip:\n  workload.m: [64, 128]\n  workload.n: [64]\n");
        InputException e = org.junit.jupiter.api.Assertions.assertThrows(InputException.class, () -> SweepFile.load(file));
        assertTrue(e.getMessage().contains("zip.workload.n") && e.getMessage().contains("2 values"), e.getMessage());
        BadInputTest.Result r = BadInputTest.cli("sweep", file.toString(), "--out", dir.resolve("out").toString());
        assertEquals(2, r.code(), r.err());
    }

    @Test
    void aBadAxisPathIsExit2NamingItBeforeAnyPointRuns() throws IOException {
        for (String axis : List.of("hardware.noc.linkk.bytesPerCycle", "workload.mm")) {
            Path file = sweepFile("grid:\n  workload.m: [64, 128]\n  " + axis + ": [16, 32]\n");
            Path out = dir.resolve("out-" + axis);
            BadInputTest.Result r = BadInputTest.cli("sweep", file.toString(), "--out", out.toString());
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("grid." + axis), "names the axis: " + r.err());
            assertFalse(Files.exists(out), "nothing was run or written");
        }
    }

    @Test
    void eachRowEqualsASingleRunOfItsPointAndRunSettingsChangeNoFigure() throws IOException {
        Path file = sweepFile("""
                grid:
                  hardware.noc.link.bytesPerCycle: [16, 64]
                  run.partitions: [1, 4]
                zip:
                  workload.m: [64, 128]
                  run.threads: [1, 2]
                """);
        Path out = dir.resolve("out");
        BadInputTest.Result r = BadInputTest.cli("sweep", file.toString(), "--out", out.toString(), "--jobs", "2");
        assertEquals(0, r.code(), r.out() + r.err());
        List<Map<String, String>> rows = rows(out.resolve("results.csv"));
        assertEquals(8, rows.size());
        Map<String, String> digestOf = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            assertEquals(Integer.toString(i), row.get("point"), "rows in point order");
            assertEquals("completed", row.get("status"));
            for (String key : List.of("simulatedTimePs", "outputDigest", "energy.totalPj", "traffic.nocLinkBytes", "utilisation.link.mean")) {
                assertFalse(row.get(key).isEmpty(), key + " is a column");
            }
            // the same point by `meshemu run`, in this JVM
            Path single = dir.resolve("single-" + i);
            List<String> args = new ArrayList<>(List.of("run", dir.resolve("scenarios/base.yaml").toString(), "--out", single.toString()));
            for (String axis : List.of("hardware.noc.link.bytesPerCycle", "run.partitions", "workload.m", "run.threads")) {
                args.addAll(List.of("--set", axis + "=" + row.get(axis)));
            }
            assertEquals(0, BadInputTest.cli(args.toArray(String[]::new)).code());
            JsonNode report = new ObjectMapper().readTree(single.resolve("report.json").toFile());
            Map<String, String> expected = new LinkedHashMap<>();
            flatten("", report, expected);
            for (var e : expected.entrySet()) {
                if (!HOST.contains(e.getKey())) assertEquals(e.getValue(), row.get(e.getKey()), "point " + i + ": " + e.getKey());
            }
            // threads and partitions change no figure: one result per link width and size
            String key = row.get("hardware.noc.link.bytesPerCycle") + "/" + row.get("workload.m");
            String figures = row.get("outputDigest") + " " + row.get("simulatedTimePs") + " " + row.get("events") + " " + row.get("energy.totalPj");
            assertEquals(digestOf.computeIfAbsent(key, k -> figures), figures, "point " + i);
        }
        assertTrue(Files.readString(out.resolve("summary.md")).contains("completed 8, failed 0"));
        assertTrue(Files.exists(out.resolve("plots/simulatedTimePs-vs-hardware.noc.link.bytesPerCycle.png")));
        assertTrue(Files.size(out.resolve("plots/simulatedTimePs-vs-hardware.noc.link.bytesPerCycle.png")) > 1000);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
        else if (node.isNull()) out.put(prefix, "");
        else if (!node.isArray()) out.put(prefix, node.asText());
    }

    @Test
    void aSweepKilledWithSignal9RunsOnlyTheMissingPointsWhenStartedAgain() throws Exception {
        Path file = sweepFile("grid:\n  workload.m: [64, 128, 192, 256]\n  hardware.noc.link.bytesPerCycle: [16, 32]\n");
        Path out = dir.resolve("out");
        Files.createDirectories(dir.resolve("child"));
        Process sweep = ChildJvm.start(dir.resolve("child"), List.of(), "sweep", file.toString(), "--out", out.toString(), "--jobs", "1");
        List<ProcessHandle> family = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (completed(out).size() < 2) {
            assertTrue(sweep.isAlive(), "the sweep ended before it was killed");
            assertTrue(System.nanoTime() < deadline, "no two points completed in time");
            sweep.descendants().forEach(family::add);
            Thread.sleep(100);
        }
        sweep.descendants().forEach(family::add);
        sweep.destroyForcibly(); // SIGKILL: no hook runs in the sweep
        assertTrue(sweep.waitFor(30, TimeUnit.SECONDS));
        for (ProcessHandle worker : family) worker.onExit().get(30, TimeUnit.SECONDS); // a worker leaves when its sweep is gone
        Map<Path, FileTime> before = new HashMap<>();
        for (Path p : completed(out)) before.put(p, Files.getLastModifiedTime(p.resolve("report.json")));
        assertTrue(before.size() < 8, "killed mid-sweep: " + before.size() + " of 8 done");

        BadInputTest.Result r = BadInputTest.cli("sweep", file.toString(), "--out", out.toString(), "--jobs", "1");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("(" + before.size() + " done before, " + (8 - before.size()) + " to run)"), r.out());
        for (var e : before.entrySet()) {
            assertEquals(e.getValue(), Files.getLastModifiedTime(e.getKey().resolve("report.json")), e.getKey() + " was not run again");
        }
        assertEquals(8, completed(out).size());
        assertTrue(rows(out.resolve("results.csv")).stream().allMatch(row -> row.get("status").equals("completed")));
    }

    /** The point directories holding a completed run. */
    private static List<Path> completed(Path out) throws IOException {
        if (!Files.isDirectory(out.resolve("points"))) return List.of();
        try (Stream<Path> points = Files.list(out.resolve("points"))) {
            return points.filter(p -> {
                try {
                    return Files.exists(p.resolve("report.json"))
                            && new ObjectMapper().readTree(p.resolve("status.json").toFile()).path("state").asText().equals("completed");
                } catch (IOException e) {
                    return false; // being written
                }
            }).sorted().toList();
        }
    }

    @Test
    void aWorkerJvmKilledMidSweepFailsOnlyItsPointAndAFreshWorkerRunsTheRest() throws Exception {
        // point 1 is the longest: the worker is killed while it runs
        Path file = sweepFile("grid:\n  workload.m: [64, 2048, 128, 192, 256, 320]\n");
        Path out = dir.resolve("out");
        var sweep = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> BadInputTest.cli("sweep", file.toString(), "--out", out.toString(), "--jobs", "1"));
        Path second = out.resolve("points/0001-m=2048/status.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(second) || !Files.readString(second).contains("running")) {
            assertTrue(System.nanoTime() < deadline && !sweep.isDone(), "point 1 started");
            Thread.sleep(20);
        }
        // with --jobs 1 the sweep, running in this JVM, has started one child: its worker
        List<ProcessHandle> children = ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
        assertEquals(1, children.size(), "one worker JVM: " + children);
        ProcessHandle worker = children.get(0);
        worker.destroyForcibly(); // as the kernel's OOM killer would
        BadInputTest.Result r = sweep.get(120, TimeUnit.SECONDS);
        assertEquals(1, r.code(), "one point failed: " + r.out() + r.err());
        List<Map<String, String>> rows = rows(out.resolve("results.csv"));
        List<Map<String, String>> failed = rows.stream().filter(row -> row.get("status").equals("failed")).toList();
        assertEquals(1, failed.size(), "only the point the worker was running: " + rows);
        assertEquals("1", failed.get(0).get("point"));
        assertTrue(failed.get(0).get("message").contains("the worker JVM running it died"), failed.get(0).get("message"));
        assertEquals(5, rows.stream().filter(row -> row.get("status").equals("completed")).count(), "a fresh worker ran the rest");
    }

    @Test
    void aFailingPointIsRecordedWithItsMessageWhileTheOthersComplete() throws IOException {
        // 1 KiB of SRAM cannot hold a core's tiles of a 512-deep product: that point fails when it is assembled
        Path file = sweepFile("grid:\n  hardware.core.sramKiB: [512, 1, 256]\n  workload.k: [512]\n");
        Path out = dir.resolve("out");
        BadInputTest.Result r = BadInputTest.cli("sweep", file.toString(), "--out", out.toString(), "--jobs", "1");
        assertEquals(1, r.code(), "some point failed: " + r.out() + r.err());
        List<Map<String, String>> rows = rows(out.resolve("results.csv"));
        assertEquals(List.of("completed", "failed", "completed"), rows.stream().map(row -> row.get("status")).toList());
        assertTrue(rows.get(1).get("message").contains("hardware.core.sramKiB: too small"), rows.get(1).get("message"));
        assertTrue(rows.get(1).get("simulatedTimePs").isEmpty());
        assertFalse(rows.get(2).get("simulatedTimePs").isEmpty());
        assertTrue(r.out().contains("1 failed"), r.out());
        assertTrue(Files.readString(out.resolve("summary.md")).contains("## Failed points"));
    }
}
