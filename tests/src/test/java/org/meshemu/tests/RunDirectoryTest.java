package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.deploy.RunDirectory;
import org.meshemu.scenario.InputException;

/** Outputs are never lost or half-written: the rules of {@link RunDirectory} through the command line. */
class RunDirectoryTest {
    @TempDir Path tmp;

    static JsonNode json(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    static BadInputTest.Result small(String command, String... more) {
        return BadInputTest.cli(Scenarios.concat(new String[] {command, Scenarios.file("default").toString(), "--set", "workload.m=64",
                "--set", "workload.n=64", "--set", "workload.k=64"}, more));
    }

    @Test
    void aCompletedRunSaysSoInItsStatus() throws IOException {
        BadInputTest.Result r = small("run", "--out", tmp.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode status = json(tmp.resolve("status.json"));
        assertEquals("completed", status.get("state").asText());
        assertEquals("default", status.get("scenario").asText());
        assertEquals(json(tmp.resolve("report.json")).get("scenarioSha256"), status.get("scenarioSha256"));
        assertEquals(ProcessHandle.current().pid(), status.get("pid").asLong());
        assertTrue(status.has("startedAt") && status.has("endedAt"), status.toString());
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of("C.npy", "bank-traffic.png", "banks.csv", "core-utilisation.png", "link-utilisation.png", "report.json", "status.json"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no temporary file is left");
        }
    }

    @Test
    void anEarlierRunNamedByOutIsRefusedWithoutForceBeforeAnythingIsWritten() throws IOException {
        assertEquals(0, small("run", "--out", tmp.toString()).code());
        byte[] report = Files.readAllBytes(tmp.resolve("report.json"));
        byte[] status = Files.readAllBytes(tmp.resolve("status.json"));
        for (String command : List.of("run", "reference")) {
            BadInputTest.Result again = small(command, "--out", tmp.toString(), "--set", "seed=5");
            assertEquals(2, again.code(), again.err());
            assertTrue(again.err().contains(tmp.toString()) && again.err().contains("--force"), again.err());
            assertFalse(again.err().contains("\tat "), again.err());
            assertTrue(java.util.Arrays.equals(report, Files.readAllBytes(tmp.resolve("report.json"))), "the report is untouched");
            assertTrue(java.util.Arrays.equals(status, Files.readAllBytes(tmp.resolve("status.json"))), "the status is untouched");
        }
        BadInputTest.Result forced = small("run", "--out", tmp.toString(), "--set", "seed=5", "--force");
        assertEquals(0, forced.code(), forced.err());
        assertFalse(java.util.Arrays.equals(report, Files.readAllBytes(tmp.resolve("report.json"))), "--force overwrites");
    }

    @Test
    void theDefaultDirectoryMovesAnEarlierRunAsideSoRunWorksTwice() throws IOException {
        String name = "run-twice-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path dir = Path.of("out", name);
        try {
            for (int run = 1; run <= 3; run++) {
                BadInputTest.Result r = small("run", "--set", "name=" + name, "--set", "seed=" + run);
                assertEquals(0, r.code(), r.err());
                if (run > 1) assertTrue(r.out().contains("earlier run      moved to " + dir + "." + (run - 1)), r.out());
            }
            // .1 holds the first run, .2 the second, the directory itself the last
            for (int kept = 1; kept <= 2; kept++) {
                Path aside = Path.of("out", name + "." + kept);
                assertEquals("completed", json(aside.resolve("status.json")).get("state").asText());
                assertTrue(Files.exists(aside.resolve("C.npy")));
            }
            JsonNode first = json(Path.of("out", name + ".1", "report.json")), last = json(dir.resolve("report.json"));
            assertFalse(first.get("outputDigest").equals(last.get("outputDigest")), "each seed's run is where the rule says");
        } finally {
            for (String d : List.of(name, name + ".1", name + ".2")) deleteTree(Path.of("out", d));
        }
    }

    @Test
    void anOutThatIsAFileOrCannotBeCreatedExitsTwoNamingThePath() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        for (String command : List.of("run", "reference")) {
            for (Path out : List.of(file, file.resolve("below"), Path.of("/proc/meshemu-cannot-be-here"))) {
                BadInputTest.Result r = small(command, "--out", out.toString());
                assertEquals(2, r.code(), command + " --out " + out + ": " + r.err());
                assertTrue(r.err().startsWith("error: " + out + ": "), r.err());
                assertFalse(r.err().contains("\tat ") || r.err().contains("internal error"), r.err());
                assertEquals(1, r.err().strip().lines().count(), r.err());
            }
        }
        assertEquals("not a directory", Files.readString(file));
    }

    @Test
    void aFailedWriteLeavesTheEarlierFileWholeAndNamesThePath() throws IOException {
        RunDirectory dir = RunDirectory.open(Scenarios.shipped("default").scenario(), tmp, true);
        dir.write("x.bin", out -> out.write(new byte[] {1, 2, 3}));
        InputException e = assertThrows(InputException.class, () -> dir.write("x.bin", out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().startsWith(tmp.resolve("x.bin") + ": cannot write the file (IOException: No space left on device)"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(tmp.resolve("x.bin")), "the earlier file is whole");
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of("x.bin"), files.map(f -> f.getFileName().toString()).toList(), "the temporary file is gone");
        }
    }

    @Test
    void aRunFailingAfterItStartedSaysFailedWithTheMessage() throws IOException {
        BadInputTest.Result r = BadInputTest.cli("run", Scenarios.file("default").toString(), "--out", tmp.toString(),
                "--set", "hardware.core.sramKiB=1");
        assertEquals(2, r.code(), r.err());
        JsonNode status = json(tmp.resolve("status.json"));
        assertEquals("failed", status.get("state").asText());
        assertTrue(status.get("message").asText().contains("hardware.core.sramKiB: too small"), status.toString());
        assertFalse(Files.exists(tmp.resolve("report.json")));
    }

    @Test
    void sigtermMarksTheRunInterruptedWithItsLastProgress() throws Exception {
        Path out = tmp.resolve("run");
        Files.createDirectories(tmp.resolve("logs"));
        Process p = ChildJvm.start(tmp.resolve("logs"), List.of("-Xmx512m"), "run", Scenarios.file("noc-uniform-8x8").toString(),
                "--out", out.toString(), "--set", "workload.measureCycles=100000000", "--threads", "1", "--checkpoint-every", "200");
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                // wait until the run is past its first windows, then stop it as Ctrl-C or kill would
                while (!Files.exists(out.resolve("status.json")) || !Files.readString(tmp.resolve("logs/stderr.txt")).contains("windows")
                        || !Files.readString(tmp.resolve("logs/stderr.txt")).contains(".ckpt")) {
                    assertTrue(p.isAlive(), () -> "the run ended early: " + read(tmp.resolve("logs/stderr.txt")));
                    Thread.sleep(100);
                }
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            });
        } finally {
            p.destroyForcibly();
        }
        JsonNode status = json(out.resolve("status.json"));
        assertEquals("interrupted", status.get("state").asText(), status.toString());
        assertTrue(status.get("progress").get("windows").asLong() > 0 && status.get("progress").get("events").asLong() > 0, status.toString());
        assertTrue(status.get("message").asText().endsWith("continue it with: meshemu resume " + out), status.toString());
        assertFalse(Files.exists(out.resolve("report.json")));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
