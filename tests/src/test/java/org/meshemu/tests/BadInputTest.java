package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.meshemu.deploy.cli.Main;

/**
 * The bad-input corpus: every case must exit 2 with one message that contains what the case
 * expects (the file, the field or tensor, the value and what was expected), with no stack trace,
 * within a time bound. The scenario files of src/test/resources/bad say on their first line what
 * the message must contain and are validated and run; {@link BadCheckpoints} and {@link #commandLines}
 * add broken checkpoints, output paths and command lines.
 */
class BadInputTest {
    static final Path CORPUS = Path.of("src", "test", "resources", "bad");
    static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir Path tmp;

    record Result(int code, String out, String err) {}

    static Result cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** A bad input: files it writes into a fresh directory, the command lines that must refuse it, and what each message must contain. */
    record Case(String name, Setup setup, List<String> expected) {
        @Override public String toString() { return name; }
    }

    @FunctionalInterface
    interface Setup {
        /** Writes the case's files under {@code dir} and returns the command lines to try. */
        List<String[]> commands(Path dir) throws IOException;
    }

    static Stream<Case> cases() throws IOException {
        List<Case> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(CORPUS)) {
            for (Path file : files.sorted().toList()) all.add(scenarioFile(file));
        }
        all.addAll(BadCheckpoints.cases());
        all.addAll(commandLines());
        return all.stream();
    }

    /** A scenario of the corpus: {@code validate} and {@code run} must both refuse it, naming the file. */
    static Case scenarioFile(Path file) throws IOException {
        String first = Files.readAllLines(file).stream().findFirst().orElse("");
        if (!first.startsWith("# expect: ")) throw new IllegalStateException(file + " must start with '# expect: ...'");
        return new Case(file.getFileName().toString(), dir -> List.of(
                new String[] {"validate", file.toString()},
                new String[] {"run", file.toString(), "--out", dir.resolve("out").toString()}),
                List.of(file.getFileName().toString(), first.substring("# expect: ".length())));
    }

    static List<Case> commandLines() {
        String scenario = Scenarios.file("default").toString();
        List<Case> c = new ArrayList<>();
        c.add(new Case("out-is-a-file", dir -> {
            Path f = Files.writeString(dir.resolve("report.txt"), "x");
            return List.of(new String[] {"run", "--out", f.toString()}, new String[] {"reference", scenario, "--out", f.toString()});
        }, List.of("report.txt: is a file; the output directory must be a directory")));
        c.add(new Case("out-below-a-file", dir -> {
            Path f = Files.writeString(dir.resolve("plain"), "x");
            return List.<String[]>of(new String[] {"run", "--out", f.resolve("sub").toString()});
        }, List.of("plain/sub: cannot create the output directory")));
        c.add(new Case("out-unwritable", dir -> List.<String[]>of(new String[] {"run", "--out", "/proc/meshemu-out"}),
                List.of("/proc/meshemu-out: cannot create the output directory")));
        c.add(new Case("out-holds-an-earlier-run", dir -> {
            Files.writeString(dir.resolve("report.json"), "{}");
            return List.<String[]>of(new String[] {"run", "--out", dir.toString()});
        }, List.of("holds an earlier run", "pass --force")));
        c.add(new Case("set-without-value", dir -> List.<String[]>of(new String[] {"validate", scenario, "--set", "hardware.noc.width"}),
                List.of("--set hardware.noc.width: expected path=value")));
        c.add(new Case("set-below-a-scalar", dir -> List.<String[]>of(new String[] {"validate", scenario, "--set", "name.x=1"}),
                List.of("--set name.x: 'name' is not a mapping")));
        c.add(new Case("set-syntax-error", dir -> List.<String[]>of(new String[] {"validate", scenario, "--set", "hardware.noc.width=[1"}),
                List.of("--set hardware.noc.width", "YAML syntax error")));
        c.add(new Case("set-alias", dir -> List.<String[]>of(new String[] {"validate", scenario, "--set", "name=*a"}),
                List.of("--set name", "aliases (*a) are not supported")));
        c.add(new Case("set-zero-bandwidth", dir -> List.<String[]>of(new String[] {"validate", scenario, "--set", "hardware.dram.bytesPerCycle=0"}),
                List.of("hardware.dram.bytesPerCycle: must be >= 1, got 0")));
        c.add(new Case("scenario-too-long", dir -> {
            Path f = dir.resolve("huge.yaml");
            Files.writeString(f, "name: x\nworkload: {kind: gemm}\n" + "# padding\n".repeat(500_000));
            return List.<String[]>of(new String[] {"validate", f.toString()});
        }, List.of("huge.yaml: must be at most 4194304 characters (a scenario is a few kB), got 5000031 characters")));
        c.add(new Case("scenario-not-found", dir -> List.<String[]>of(new String[] {"validate", "no/such/scenario.yaml"}),
                List.of("no/such/scenario.yaml: scenario file not found")));
        // run checkpoints (resume): each refused by its checksum, magic or format, naming the file
        c.add(new Case("resume-without-checkpoints", dir -> List.<String[]>of(new String[] {"resume", dir.toString()}),
                List.of("holds no checkpoint", "--checkpoint-every N")));
        c.add(new Case("resume-checkpoint-of-garbage", dir -> List.<String[]>of(new String[] {"resume",
                        runCheckpoint(dir, "checkpoint-3.ckpt", "not a checkpoint at all".getBytes(), false)}),
                List.of("checkpoint-3.ckpt: fails its checksum (CRC-32C)")));
        c.add(new Case("resume-checkpoint-empty", dir -> List.<String[]>of(new String[] {"resume",
                        runCheckpoint(dir, "checkpoint-0.ckpt", new byte[0], false)}),
                List.of("checkpoint-0.ckpt: is truncated (0 bytes)")));
        c.add(new Case("resume-checkpoint-wrong-magic", dir -> List.<String[]>of(new String[] {"resume",
                        runCheckpoint(dir, "checkpoint-1.ckpt", java.nio.ByteBuffer.allocate(12).putLong(0x1234).putInt(1).array(), true)}),
                List.of("checkpoint-1.ckpt: is not a meshemu checkpoint")));
        c.add(new Case("resume-checkpoint-later-format", dir -> List.<String[]>of(new String[] {"resume",
                        runCheckpoint(dir, "checkpoint-2.ckpt", java.nio.ByteBuffer.allocate(12).putLong(0x4D455348434B5054L).putInt(99).array(), true)}),
                List.of("checkpoint-2.ckpt: has checkpoint format 99; this build reads format 2")));
        c.add(new Case("checkpoint-every-negative", dir -> List.<String[]>of(new String[] {"run", scenario, "--checkpoint-every", "-1"}),
                List.of("run.checkpointEvery: must be >= 0, got -1")));
        c.add(new Case("scenario-is-a-directory", dir -> List.<String[]>of(new String[] {"validate", dir.toString()}),
                List.of("cannot read the scenario file")));
        return c;
    }

    /** Writes {@code body} as run checkpoint {@code name} of a run directory under {@code dir} (with its CRC-32C if {@code sealed}); returns the run directory. */
    static String runCheckpoint(Path dir, String name, byte[] body, boolean sealed) throws IOException {
        Path checkpoints = Files.createDirectories(dir.resolve("run").resolve("checkpoints"));
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body);
        byte[] file = sealed ? java.nio.ByteBuffer.allocate(body.length + 8).put(body).putLong(crc.getValue()).array() : body;
        Files.write(checkpoints.resolve(name), file);
        return dir.resolve("run").toString();
    }

    @Test
    void theCorpusHasAtLeastSixtyCases() throws IOException {
        assertTrue(cases().count() >= 60, "cases: " + cases().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachBadInputExitsTwoWithOneMessageNamingWhatIsWrong(Case c) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(c.name()));
        for (String[] args : c.setup().commands(dir)) {
            String command = String.join(" ", args);
            Result r = assertTimeoutPreemptively(BOUND, () -> cli(args), command);
            assertEquals(2, r.code(), command + ": " + r.err());
            for (String expected : c.expected()) assertTrue(r.err().contains(expected), command + ": expected '" + expected + "' in: " + r.err());
            assertTrue(r.err().startsWith("error: "), r.err());
            assertFalse(r.err().contains("\tat ") || r.err().contains("Exception in"), "no stack trace: " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one message: " + r.err());
        }
    }

    @Test
    void anUnknownOptionExitsTwo() {
        assertEquals(2, cli("run", "--frobnicate").code());
    }

    @Test
    void theShippedScenariosAreValid() {
        for (String s : List.of("default", "gemm-cannon-8x8", "gemv-tree-16x16")) {
            Result r = cli("validate", Scenarios.file(s).toString());
            assertEquals(0, r.code(), s + ": " + r.err());
            assertTrue(r.out().contains(": valid"), r.out());
        }
    }
}
