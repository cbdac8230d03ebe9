package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshemu.deploy.HeapEstimate;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.Assembly;
import org.meshemu.scenario.LoadedScenario;

/** The heap estimate made before anything is built, the refusal of a run that cannot fit, and out-of-memory handling. */
class ResourceGuardTest {
    /** Stands for the JVM options the launcher gives a run ({@link #launcherOptions}) where a test names a collector. */
    static final String LAUNCHER = "launcher";

    /** A child JVM's options: {@code collector} (space-separated, or {@link #LAUNCHER}) and {@code heap}. */
    private static List<String> jvm(String collector, String heap) throws Exception {
        List<String> options = new ArrayList<>(List.of(collector.equals(LAUNCHER) ? launcherOptions() : collector.split(" ")));
        options.add(heap);
        return options;
    }

    @TempDir Path tmp;

    /** The estimate counts, without building, exactly the components and channels the assembler builds. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "default          | ",
            "default          | hardware.dram.banksPerCore=3",
            "gemv-tree-16x16  | hardware.noc.topology=torus2d",
            "noc-uniform-8x8  | hardware.noc.width=7,hardware.noc.height=1",
            "noc-uniform-8x8  | hardware.noc.topology=torus2d,hardware.noc.width=2,hardware.noc.height=3",
            "noc-uniform-8x8  | hardware.noc.topology=all-to-all,hardware.noc.width=4,hardware.noc.height=2",
            "retnet-tiny-mesh | ",
            "retnet-tiny-cluster | "})
    void countsWhatTheAssemblerBuilds(String scenario, String overrides) {
        LoadedScenario loaded = Scenarios.shipped(scenario, overrides == null ? new String[0] : overrides.split(","));
        HeapEstimate estimate = HeapEstimate.of(loaded);
        Assembly built = Runner.prepare(loaded).built().assembly();
        Map<String, Long> kinds = new TreeMap<>();
        long channels = 0;
        for (int id = 0; id < built.size(); id++) {
            kinds.merge(built.node(id).kind(), 1L, Long::sum);
            channels += built.targets(id).length;
        }
        assertEquals(kinds, new TreeMap<>(estimate.components()));
        assertEquals(channels, estimate.channels());
        assertEquals(built.size(), estimate.totalComponents());
    }

    @Test
    void fullPayloadAddsTheTensorsAndTimingDoesNot() {
        HeapEstimate full = HeapEstimate.of(Scenarios.shipped("gemv-tree-16x16"));
        HeapEstimate timing = HeapEstimate.of(Scenarios.shipped("gemv-tree-16x16", "run.payload=timing"));
        assertEquals(2L * 4 * (2048L * 2048 + 2048 + 2048), full.payloadBytes(), "matrix and vectors, as inputs and as tiles");
        assertEquals(0, timing.payloadBytes());
        assertEquals(full.payloadBytes(), full.bytes() - timing.bytes());
    }

    @Test
    void aMeshThatCannotFitIsRefusedInSecondsBeforeAnythingIsBuilt() {
        String[] huge = {Scenarios.file("gemv-tree-16x16").toString(), "--set", "hardware.noc.width=3000", "--set", "hardware.noc.height=3000",
                "--set", "workload.rows=12000", "--set", "workload.cols=12000", "--set", "run.payload=timing"};
        for (String command : List.of("validate", "run")) {
            String[] args = command.equals("run") ? Scenarios.concat(huge, "--out", tmp.resolve("huge").toString()) : huge;
            BadInputTest.Result r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> BadInputTest.cli(Scenarios.concat(new String[] {command}, args)));
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("gemv-tree-16x16.yaml: estimated heap ") && r.err().contains("9,000,000 core"), r.err());
            assertTrue(r.err().contains("MESHEMU_JAVA_OPTS=-Xmx") && r.err().contains("--nodes N"), r.err());
            assertFalse(r.err().contains("run.payload: timing"), "the run is in timing mode already: " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertFalse(Files.exists(tmp.resolve("huge")), "nothing is written");
    }

    @Test
    void tensorsThatCannotFitSuggestTimingMode() {
        BadInputTest.Result r = BadInputTest.cli("validate", Scenarios.file("gemv-tree-16x16").toString(),
                "--set", "workload.rows=65536", "--set", "workload.cols=32768");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("GiB of tensors") && r.err().contains("set run.payload: timing"), r.err());
    }

    @Test
    void validateAndRunSayTheEstimate() {
        BadInputTest.Result r = BadInputTest.cli("validate", Scenarios.file("default").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*estimated heap [0-9.]+ MiB of [0-9.]+ [MG]iB available \\(64 core, 64 router, 224 link, 64 bank, .*"), r.out());
    }

    /**
     * The estimate's prices are what a started run keeps (the live heap after a full collection once
     * every component is started, less the heap guard's reserve), with the launcher's JVM options:
     * within a fifth, for a wafer-style GEMV and for synthetic traffic. Prices that drift further
     * would refuse runs that fit, or let a run start that cannot.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "gemv-tree-16x16 | hardware.preset=wse2-like,run.payload=timing,hardware.noc.width=64,hardware.noc.height=64",
            "noc-uniform-8x8 | hardware.noc.width=64,hardware.noc.height=64,workload.warmupCycles=10,workload.measureCycles=10"})
    void thePricesAreWhatAStartedRunKeeps(String scenario, String overrides) throws Exception {
        List<String> options = jvm(LAUNCHER, "-Xmx2g");
        List<String> args = new ArrayList<>(List.of("-", Scenarios.file(scenario).toString()));
        args.addAll(List.of(overrides.split(",")));
        Process p = ChildJvm.startMain(tmp, options, "org.meshemu.tests.bench.HeapCensus", args.toArray(String[]::new));
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(tmp.resolve("stdout.txt"));
        assertEquals(0, p.exitValue(), out + Files.readString(tmp.resolve("stderr.txt")));
        Matcher m = Pattern.compile("\"liveStartedBytes\": (\\d+), \"reserveBytes\": (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        long kept = Long.parseLong(m.group(1)) - Long.parseLong(m.group(2));
        long estimated = HeapEstimate.of(Scenarios.shipped(scenario, overrides.split(","))).bytes();
        double ratio = estimated / (double) kept;
        assertTrue(ratio > 0.8 && ratio < 1.25, "estimated " + estimated + " B against " + kept + " B kept: " + out);
    }

    /**
     * The heap takes transparent huge pages wherever the kernel offers them: a first touch of a 4 KiB
     * page cost about 12 us on this project's machines, and wafer-scale runs touch gigabytes.
     */
    @Test
    void theHeapTakesHugePagesWhereTheKernelOffersThem() throws Exception {
        Path mode = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        String selected = Files.isReadable(mode) ? Files.readString(mode) : "";
        boolean offered = selected.contains("[always]") || selected.contains("[madvise]");
        assertEquals(offered, List.of(launcherOptions()).contains("-XX:+UseTransparentHugePages"), mode + ": " + selected.strip());
    }

    /** The JVM options the launcher gives a run on this test's JDK ({@code meshemu --java-options}). */
    private static String[] launcherOptions() throws Exception {
        // JAVA_HOME: the JDK the child runs on
        return LauncherTest.answer("--java-options", Map.of("JAVA_HOME", System.getProperty("java.home")), Path.of(".")).split(" ");
    }

    /**
     * The estimate is compared with what long-lived objects can fill: the whole heap under G1, the old
     * generation under the parallel collector (four fifths of the heap with the launcher's options).
     */
    @ParameterizedTest(name = "{0}: at most {1} MiB")
    @CsvSource({LAUNCHER + ", 490", "-XX:+UseG1GC, 600"})
    void theEstimateIsWeighedAgainstWhatTheCollectorLetsARunKeep(String collector, int atMostMiB) throws Exception {
        Process p = ChildJvm.start(tmp, jvm(collector, "-Xmx600m"), "validate", Scenarios.file("default").toString());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = Files.readString(tmp.resolve("stdout.txt"));
        assertEquals(0, p.exitValue(), out + Files.readString(tmp.resolve("stderr.txt")));
        Matcher m = Pattern.compile("estimated heap [0-9.]+ MiB of ([0-9.]+) MiB available").matcher(out);
        assertTrue(m.find(), out);
        double available = Double.parseDouble(m.group(1));
        assertTrue(available <= atMostMiB && available >= 0.6 * atMostMiB, out);
    }

    /**
     * Traffic beyond saturation with unbounded buffers grows the heap until it is full, in a JVM of 64 MiB:
     * with the launcher's options (its collector and 1 s pause goal), and with G1 (the JVM's default)
     * at its own pause goal and at the launcher's (G1 then collects the old generation late).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {LAUNCHER, "-XX:+UseG1GC -XX:MaxGCPauseMillis=200",
            "-XX:+UseG1GC -XX:MaxGCPauseMillis=1000"})
    void runningOutOfHeapEndsWithOneMessageAndExitOne(String collector) throws Exception {
        Path out = tmp.resolve("run");
        Process p = ChildJvm.start(tmp, jvm(collector, "-Xmx64m"), "run", Scenarios.file("noc-uniform-8x8").toString(), "--out", out.toString(),
                "--set", "workload.injectionRate=1.0", "--set", "workload.measureCycles=1000000000");
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(180), () -> assertTrue(p.waitFor(180, TimeUnit.SECONDS)));
        } finally {
            p.destroyForcibly();
        }
        String err = Files.readAllLines(tmp.resolve("stderr.txt")).stream()
                .filter(l -> !l.startsWith("WARNING") && !l.startsWith("  ... ")).reduce("", (a, b) -> a + b + "\n");
        assertEquals(1, p.exitValue(), err);
        assertTrue(err.startsWith("out of memory (") && err.contains("-Xmx"), err);
        assertEquals(1, err.strip().lines().count(), "one message, no trace: " + err);
        assertTrue(Files.readString(out.resolve("status.json")).contains("\"state\" : \"failed\""));
    }
}
