package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshemu.deploy.Runner;
import org.meshemu.deploy.cli.Main;
import org.meshemu.deploy.cluster.ClusterRun;
import org.meshemu.kernel.RunObserver;
import org.meshemu.report.RunReport;

/**
 * Real worker JVMs on 127.0.0.1: three long-lived {@code meshemu node} processes that runs join
 * with {@code --cluster}, workers a run starts itself with {@code --nodes}, and a worker killed
 * mid-run.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ClusterProcessesTest {
    static final List<Process> nodes = new ArrayList<>();
    static String seed;
    @TempDir static Path logs;

    /** The nodes' temporary directory: where they keep each run's files. */
    static Path nodesTmp() {
        return logs.resolve("tmp");
    }

    /**
     * A node in a working directory of its own ({@code logs}), so that it sees none of the paths
     * relative to this JVM's, with its own temporary directory.
     */
    static Process node(String... args) throws Exception {
        Files.createDirectories(nodesTmp());
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Djava.io.tmpdir=" + nodesTmp(), "-cp", System.getProperty("java.class.path"), "org.meshemu.deploy.cli.Main", "node",
                "--port", "0", "--threads", "1", "--exit-with-stdin"));
        command.addAll(List.of(args));
        Path log = logs.resolve("node-" + nodes.size() + ".log");
        Process p = new ProcessBuilder(command).directory(logs.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        nodes.add(p);
        if (seed == null) {
            Pattern address = Pattern.compile("meshemu node pekko://meshemu@(127\\.0\\.0\\.1:\\d+)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seed == null && System.nanoTime() < deadline && p.isAlive()) {
                Matcher m = address.matcher(Files.readString(log));
                if (m.find()) seed = m.group(1);
                else Thread.sleep(100);
            }
            assertTrue(seed != null, "the first node printed its address: " + Files.readString(log));
        }
        return p;
    }

    @BeforeAll
    static void startNodes() throws Exception {
        node();
        node("--seed", seed);
        node("--seed", seed);
        // every node a member before any test runs, so that a launcher finds all three
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; i < 3; i++) {
            Path log = logs.resolve("node-" + i + ".log");
            while (!Files.readString(log).contains("is up") && System.nanoTime() < deadline) Thread.sleep(100);
            assertTrue(Files.readString(log).contains("is up"), "node " + i + " joined: " + Files.readString(log));
        }
    }

    @AfterAll
    static void stopNodes() throws Exception {
        for (Process p : nodes) p.getOutputStream().close(); // they exit when their input closes
        for (Process p : nodes) if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gemm-cannon-8x8", "noc-uniform-8x8", "retnet-tiny-mesh", "retnet-tiny-cluster"})
    void threeWorkerProcessesGiveTheOneJvmResults(String scenario, @TempDir Path out) {
        String[] shorter = scenario.equals("noc-uniform-8x8") ? new String[] {"workload.warmupCycles=200", "workload.measureCycles=800"} : new String[0];
        RunReport one = Scenarios.run(scenario, out.resolve("one"), shorter);
        RunReport cluster = Runner.run(Scenarios.shipped(scenario, shorter), out.resolve("cluster"), RunObserver.NONE,
                ClusterRun.on(new ClusterRun.Existing(seed, "127.0.0.1"))).report();
        ClusterTest.assertSameRun(one, cluster, scenario);
        assertEquals(3, cluster.cluster().nodes());
        assertEquals(3, cluster.partitions(), "one partition per node");
    }

    /** {@code sweep --cluster} runs each point over the cluster's nodes, with the rows of a sweep on local worker JVMs. */
    @Test
    void aSweepRunsEachPointOverTheClusterWithTheLocalRows(@TempDir Path out) throws Exception {
        Files.writeString(out.resolve("base.yaml"), SweepTest.BASE);
        Path sweep = out.resolve("sweep.yaml");
        Files.writeString(sweep, "base: base.yaml\ngrid:\n  hardware.noc.link.bytesPerCycle: [16, 64]\n");
        BadInputTest.Result overCluster = BadInputTest.cli("sweep", sweep.toString(), "--out", out.resolve("cluster").toString(), "--cluster", seed);
        assertEquals(0, overCluster.code(), overCluster.out() + overCluster.err());
        BadInputTest.Result local = BadInputTest.cli("sweep", sweep.toString(), "--out", out.resolve("local").toString(), "--jobs", "1");
        assertEquals(0, local.code(), local.out() + local.err());
        var clusterRows = SweepTest.rows(out.resolve("cluster/results.csv"));
        var localRows = SweepTest.rows(out.resolve("local/results.csv"));
        assertEquals(2, clusterRows.size());
        for (int i = 0; i < 2; i++) {
            assertEquals("3", clusterRows.get(i).get("cluster.nodes"), "point " + i + " ran over the three nodes");
            for (String key : List.of("outputDigest", "simulatedTimePs", "events", "energy.totalPj", "traffic.nocLinkBytes")) {
                assertEquals(localRows.get(i).get(key), clusterRows.get(i).get(key), "point " + i + ": " + key);
            }
        }
    }

    /**
     * The scenario names its checkpoint relative to itself, and itself relative to this JVM's working
     * directory, where the nodes, running elsewhere, cannot find it: the checkpoint travels with the
     * run, and each node deletes its copy when the run ends.
     */
    @Test
    void aCheckpointTheNodesCannotSeeTravelsWithTheRun(@TempDir Path out) throws Exception {
        Path here = Files.createTempDirectory(Path.of("target"), "launcher-");
        try {
            assertTrue(!here.isAbsolute() && Files.notExists(logs.resolve(here)), "the nodes' working directory has no " + here);
            RunReport one = Scenarios.run(ClusterTest.fromCheckpoint(here), out.resolve("one"));
            RunReport cluster = Runner.run(ClusterTest.fromCheckpoint(here), out.resolve("cluster"), RunObserver.NONE,
                    ClusterRun.on(new ClusterRun.Existing(seed, "127.0.0.1"))).report();
            assertTrue(one.outputDigest() != null, "full payload: outputs to compare");
            ClusterTest.assertSameRun(one, cluster, "from a checkpoint");
            // as many nodes as the launcher found registered (the first test after start-up may see fewer than 3): any one proves it
            assertTrue(cluster.cluster().nodes() >= 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (runDirectories() > 0 && System.nanoTime() < deadline) Thread.sleep(100);
            assertEquals(0, runDirectories(), "the nodes deleted the run's files");
        } finally {
            org.meshemu.deploy.cluster.FileTransfer.delete(here);
        }
    }

    static long runDirectories() throws Exception {
        try (var dirs = Files.list(nodesTmp())) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("meshemu-run-")).count();
        }
    }

    /** Children of this JVM started as workers of a run (not the long-lived nodes above). */
    static Set<ProcessHandle> runWorkers() {
        Set<Long> ours = nodes.stream().map(Process::pid).collect(Collectors.toSet());
        return ProcessHandle.current().children().filter(h -> !ours.contains(h.pid())).collect(Collectors.toSet());
    }

    @Test
    void aRunStartsItsOwnWorkersAndStopsThem(@TempDir Path out) throws Exception {
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"run", Scenarios.file("gemm-cannon-8x8").toString(), "--nodes", "2", "--out", out.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(Scenarios.run("gemm-cannon-8x8", out.resolve("one")).outputDigest(), report.get("outputDigest").asText());
        assertEquals(2, report.get("cluster").get("nodes").asInt());
        assertEquals(2, report.get("cluster").get("placement").size());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!runWorkers().isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
        assertEquals(Set.of(), runWorkers(), "the run's workers exit with it");
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // last: it leaves a dead member in the long-lived cluster
    void anUnreachableNodeEndsTheRunWithExitCode3(@TempDir Path out) throws Exception {
        // a node of its own for this test, joined to the long-lived cluster, killed mid-run
        Process doomed = node("--seed", seed);
        Path log = logs.resolve("node-" + (nodes.size() - 1) + ".log");
        long up = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains("is up") && System.nanoTime() < up) Thread.sleep(100);
        Thread.sleep(3000); // the receptionist's registry reaches the other members by gossip
        String err = killMidRun(out, new String[] {"--cluster", seed}, "4 nodes ready", doomed::destroyForcibly);
        assertTrue(err.contains("unreachable") || err.contains("left the cluster"), err);
    }

    @Test
    void losingAWorkerEndsTheRunWithExitCode3(@TempDir Path out) throws Exception {
        String err = killMidRun(out, new String[] {"--nodes", "2"}, "2 nodes ready", () -> runWorkers().iterator().next().destroyForcibly());
        assertTrue(err.contains("exited with code") && err.contains("epoch"), err);
    }

    /** Issue: a node lost mid-run costs only the work since the last checkpoint; fresh workers resume it exactly. */
    @Test
    void aRunThatLostAWorkerResumesFromItsCheckpointOnFreshWorkers(@TempDir Path out) throws Exception {
        String[] sets = {"--set", "workload.measureCycles=6000"};
        Path run = out.resolve("run");
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("run", Scenarios.file("noc-uniform-8x8").toString(), "--checkpoint-every", "400",
                "--nodes", "2", "--out", run.toString()));
        args.addAll(List.of(sets));
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> Main.execute(args.toArray(String[]::new),
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!err.toString().contains(".ckpt") && System.nanoTime() < deadline && !code.isDone()) Thread.sleep(50);
        assertTrue(err.toString().contains(".ckpt"), "a checkpoint was taken: " + err);
        runWorkers().iterator().next().destroyForcibly();
        assertEquals(3, code.get(60, TimeUnit.SECONDS), err.toString());
        assertTrue(Files.notExists(run.resolve("report.json")), "killed before the end: the test needs a longer run");

        StringWriter resumedErr = new StringWriter();
        int resumed = Main.execute(new String[] {"resume", run.toString(), "--nodes", "2", "--partitions", "3"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(resumedErr, true));
        assertEquals(0, resumed, resumedErr.toString());
        RunReport one = Scenarios.run("noc-uniform-8x8", out.resolve("one"), "workload.measureCycles=6000");
        JsonNode report = new ObjectMapper().readTree(run.resolve("report.json").toFile());
        assertEquals(one.simulatedTimePs(), report.get("simulatedTimePs").asLong());
        assertEquals(one.events(), report.get("events").asLong());
        assertEquals(one.noc().avgPacketLatencyCycles(), report.get("noc").get("avgPacketLatencyCycles").asDouble());
        assertEquals(one.noc().measuredPackets(), report.get("noc").get("measuredPackets").asLong());
        assertEquals(2, report.get("cluster").get("nodes").asInt());
        assertTrue(report.get("checkpoints").get("eventsBeforeResume").asLong() > 0, report.get("checkpoints").toString());
    }

    /**
     * Starts a long synthetic-traffic run on {@code where}, waits until it is under way after
     * {@code ready}, kills a node, and checks that the run ends with exit code 3 within 30 s and no
     * report; returns what the run printed on its error stream.
     */
    static String killMidRun(Path out, String[] where, String ready, Runnable kill) throws Exception {
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("run", Scenarios.file("noc-uniform-8x8").toString(), "--set",
                "workload.measureCycles=100000000", "--out", out.toString()));
        args.addAll(List.of(where));
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> Main.execute(args.toArray(String[]::new),
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!err.toString().contains(" events") && System.nanoTime() < deadline && !code.isDone()) Thread.sleep(100);
        assertTrue(err.toString().contains(ready) && err.toString().contains(" events"), "the run is under way: " + err);
        long killed = System.nanoTime();
        kill.run();
        int exit = code.get(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - killed) / 1e9;
        assertEquals(3, exit, err.toString());
        assertTrue(seconds < 30, "ended " + seconds + " s after the kill");
        assertTrue(Files.notExists(out.resolve("report.json")), "no report that looks complete");
        return err.toString();
    }
}
