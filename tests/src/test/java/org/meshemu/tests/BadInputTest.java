package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.meshemu.deploy.cli.Main;

/**
 * The bad-input corpus (src/test/resources/bad): each file says on its first line what the one
 * error message must contain; validating it must exit 2 and print that, with no stack trace.
 */
class BadInputTest {
    static final Path CORPUS = Path.of("src", "test", "resources", "bad");

    @org.junit.jupiter.api.io.TempDir Path out;

    record Result(int code, String out, String err) {}

    static Result cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    static Stream<Path> corpus() throws IOException {
        return Files.list(CORPUS).sorted();
    }

    @Test
    void theCorpusHasAtLeastTenCases() throws IOException {
        assertTrue(corpus().count() >= 10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachMalformedScenarioExitsTwoNamingTheField(Path file) throws IOException {
        String first = Files.readAllLines(file).get(0);
        assertTrue(first.startsWith("# expect: "), file + " must start with '# expect: ...'");
        String expected = first.substring("# expect: ".length());
        for (String command : List.of("validate", "run")) {
            Result r = command.equals("run") ? cli(command, file.toString(), "--out", out.toString()) : cli(command, file.toString());
            assertEquals(2, r.code(), command + " " + file + ": " + r.err());
            assertTrue(r.err().contains(expected), command + " " + file + ": expected '" + expected + "' in: " + r.err());
            assertTrue(r.err().contains(file.getFileName().toString()), "the message names the file: " + r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one message: " + r.err());
        }
    }

    @Test
    void aMissingFileExitsTwo() {
        Result r = cli("validate", "no/such/scenario.yaml");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no/such/scenario.yaml: scenario file not found"), r.err());
    }

    @Test
    void aMalformedOverrideExitsTwo() {
        Result r = cli("validate", Scenarios.file("default").toString(), "--set", "hardware.noc.width");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--set hardware.noc.width: expected path=value"), r.err());
    }

    @Test
    void anOverrideIsValidatedLikeTheFile() {
        Result r = cli("validate", Scenarios.file("default").toString(), "--set", "hardware.dram.bytesPerCycle=0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("hardware.dram.bytesPerCycle: must be >= 1, got 0"), r.err());
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
