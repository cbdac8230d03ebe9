package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code run --checkpoint-every N} and {@code resume DIR}: a run resumed from its checkpoint ends
 * with the simulated time, events, output digest and NoC figures of the uninterrupted run, on any
 * partitioning; a damaged checkpoint is refused by its checksum and the one before is used.
 */
class CheckpointResumeTest {
    @TempDir Path tmp;

    static BadInputTest.Result cli(String... args) {
        return BadInputTest.cli(args);
    }

    /** The figures a resumed run must share with the uninterrupted one. */
    static void assertSameResults(JsonNode expected, JsonNode actual) {
        for (String field : List.of("simulatedTimePs", "events", "outputDigest", "noc", "energy", "generation")) {
            assertEquals(expected.get(field), actual.get(field), field);
        }
    }

    static List<Path> checkpoints(Path run) throws IOException {
        try (Stream<Path> files = Files.list(run.resolve("checkpoints"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ckpt")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0} (overriding: {4}), checkpoints every {1} windows on {2} partitions, resumed on {3}")
    @CsvSource({"noc-uniform-8x8, 150, 2, 1,", "noc-uniform-8x8, 150, 2, 1, hardware.noc.router=vc", "gemm-cannon-8x8, 40, 1, 2,",
            "retnet-tiny-mesh, 300, 2, 3,"})
    void aResumedRunEndsAsTheUninterruptedOne(String scenario, int every, int partitions, int resumePartitions, String override)
            throws IOException {
        String file = Scenarios.file(scenario).toString();
        String[] set = override == null ? new String[0] : new String[] {"--set", override};
        Path whole = tmp.resolve("whole"), checkpointed = tmp.resolve("checkpointed");
        BadInputTest.Result r = cli(Scenarios.concat(new String[] {"run", file, "--out", whole.toString()}, set));
        assertEquals(0, r.code(), r.err());
        r = cli(Scenarios.concat(new String[] {"run", file, "--out", checkpointed.toString(), "--checkpoint-every", "" + every,
                "--partitions", "" + partitions, "--threads", "2"}, set));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("checkpoint ") && r.err().contains(".ckpt"), r.err());
        JsonNode expected = RunDirectoryTest.json(whole.resolve("report.json"));
        assertSameResults(expected, RunDirectoryTest.json(checkpointed.resolve("report.json")));
        List<Path> kept = checkpoints(checkpointed);
        assertEquals(2, kept.size(), "the newest two are kept: " + kept);
        JsonNode taken = RunDirectoryTest.json(checkpointed.resolve("report.json")).get("checkpoints");
        assertEquals(every, taken.get("every").asInt());
        assertTrue(taken.get("taken").asInt() >= 2 && taken.get("lastBytes").asLong() > 0, taken.toString());

        Files.delete(checkpointed.resolve("report.json"));
        r = cli("resume", checkpointed.toString(), "--partitions", "" + resumePartitions, "--threads", "2");
        assertEquals(0, r.code(), r.err());
        Path newest = kept.stream().max(java.util.Comparator.comparingLong(CheckpointResumeTest::epoch)).orElseThrow();
        assertTrue(r.out().contains("resuming") && r.out().contains("from " + newest), r.out());
        JsonNode resumed = RunDirectoryTest.json(checkpointed.resolve("report.json"));
        assertSameResults(expected, resumed);
        assertEquals(newest.toString(), resumed.get("checkpoints").get("resumedFrom").asText());
        long before = resumed.get("checkpoints").get("eventsBeforeResume").asLong();
        assertTrue(before > 0 && before < resumed.get("events").asLong(), resumed.get("checkpoints").toString());
        assertEquals("completed", RunDirectoryTest.json(checkpointed.resolve("status.json")).get("state").asText());
    }

    private static long epoch(Path checkpoint) {
        return Long.parseLong(checkpoint.getFileName().toString().replaceAll("\\D", ""));
    }

    @Test
    void aDamagedCheckpointIsRefusedByItsChecksumAndTheOneBeforeIsUsed() throws IOException {
        String file = Scenarios.file("noc-uniform-8x8").toString();
        Path whole = tmp.resolve("whole"), run = tmp.resolve("run");
        assertEquals(0, cli("run", file, "--out", whole.toString()).code());
        assertEquals(0, cli("run", file, "--out", run.toString(), "--checkpoint-every", "100").code());
        List<Path> kept = checkpoints(run).stream().sorted((a, b) -> Long.compare(epoch(b), epoch(a))).toList();
        Path newest = kept.get(0), previous = kept.get(1);
        try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) { // one bit, in the middle
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x10);
        }
        BadInputTest.Result r = cli("resume", run.toString(), "--checkpoint-every", "0"); // leaves the checkpoints as they are
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(newest.toString()) && r.out().contains("checksum"), r.out());
        assertTrue(r.out().contains("from " + previous), r.out());
        assertSameResults(RunDirectoryTest.json(whole.resolve("report.json")), RunDirectoryTest.json(run.resolve("report.json")));

        try (RandomAccessFile f = new RandomAccessFile(previous.toFile(), "rw")) {
            f.setLength(f.length() - 100); // truncated
        }
        r = cli("resume", run.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(newest.toString()) && r.err().contains(previous.toString()), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void aDirectoryWithoutCheckpointsIsRefused() {
        BadInputTest.Result r = cli("resume", tmp.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(tmp.toString()) && r.err().contains("--checkpoint-every"), r.err());
    }

    /** The real thing: a run in its own JVM killed (SIGKILL) after a checkpoint, resumed by the command line. */
    @Test
    void aKilledRunResumesFromItsCheckpoint() throws Exception {
        String file = Scenarios.file("noc-uniform-8x8").toString();
        String[] longer = {};
        Path whole = tmp.resolve("whole"), run = tmp.resolve("run");
        Files.createDirectories(run);
        assertEquals(0, cli(Scenarios.concat(new String[] {"run", file, "--out", whole.toString()}, longer)).code());
        Process p = ChildJvm.start(tmp, List.of("-Xmx512m"),
                Scenarios.concat(new String[] {"run", file, "--out", run.toString(), "--checkpoint-every", "200", "--threads", "1"}, longer));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && (!Files.isDirectory(run.resolve("checkpoints")) || checkpoints(run).isEmpty())) {
            assertTrue(System.nanoTime() < deadline, "no checkpoint within 120 s");
            Thread.sleep(20);
        }
        p.destroyForcibly().waitFor();
        assertTrue(Files.notExists(run.resolve("report.json")), "killed before the end: the test needs a longer run");
        BadInputTest.Result r = cli("resume", run.toString());
        assertEquals(0, r.code(), r.err());
        assertSameResults(RunDirectoryTest.json(whole.resolve("report.json")), RunDirectoryTest.json(run.resolve("report.json")));
    }
}
