package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshemu.deploy.RunCheckpoints;
import org.meshemu.deploy.RunDirectory;
import org.meshemu.deploy.Runner;
import org.meshemu.deploy.cluster.ClusterRun;
import org.meshemu.deploy.cluster.NodeHost;
import org.meshemu.kernel.RunObserver;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.ScenarioLoader;

/**
 * A cluster inside this JVM: two worker actor systems joined over Artery on 127.0.0.1, with
 * {@code serialize-messages = on}, so every message between partitions, even two on one node, goes
 * through the wire serializer. A run over them equals the run in one JVM, bit for bit.
 */
class ClusterTest {
    static final List<ActorSystem<NodeHost.Command>> workers = new ArrayList<>();
    static String seed;

    @BeforeAll
    static void startWorkers() {
        for (int i = 0; i < 2; i++) {
            ActorSystem<NodeHost.Command> w = NodeHost.start("127.0.0.1", 0, seed == null ? List.of() : List.of(seed), 1,
                    ConfigFactory.parseString("pekko.actor.serialize-messages = on"));
            if (seed == null) seed = NodeHost.hostPort(w);
            workers.add(w);
        }
    }

    @AfterAll
    static void stopWorkers() {
        workers.forEach(ActorSystem::terminate);
    }

    /** Same as one JVM: time, events, outputs, utilisation and NoC figures. */
    static void assertSameRun(RunReport one, RunReport cluster, String what) {
        assertEquals(one.simulatedTimePs(), cluster.simulatedTimePs(), what);
        assertEquals(one.events(), cluster.events(), what);
        assertEquals(one.outputDigest(), cluster.outputDigest(), what);
        assertEquals(one.utilisation(), cluster.utilisation(), what);
        assertEquals(one.noc(), cluster.noc(), what);
        assertEquals(one.generation(), cluster.generation(), what);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gemm-cannon-8x8", "noc-uniform-8x8", "retnet-tiny-mesh", "retnet-tiny-cluster"})
    void aRunOverTwoNodesEqualsOneJvm(String scenario, @TempDir Path out) {
        String[] shorter = scenario.equals("noc-uniform-8x8") ? new String[] {"workload.warmupCycles=100", "workload.measureCycles=300"} : new String[0];
        RunReport one = Scenarios.run(scenario, out.resolve("one"), shorter);
        // four partitions on two nodes: batches cross nodes and stay inside them
        var loaded = Scenarios.shipped(scenario, Scenarios.concat(shorter, "run.partitions=4"));
        RunReport cluster = Runner.run(loaded, out.resolve("cluster"), RunObserver.NONE,
                ClusterRun.on(new ClusterRun.Existing(seed, "127.0.0.1"))).report();
        assertSameRun(one, cluster, scenario);
        RunReport.Cluster c = cluster.cluster();
        assertEquals(2, c.nodes());
        assertEquals(List.of(List.of(0, 1), List.of(2, 3)), c.placement().stream().map(RunReport.Cluster.Node::partitions).toList());
        assertEquals(one.components().values().stream().mapToLong(Long::longValue).sum(),
                c.placement().stream().mapToLong(RunReport.Cluster.Node::components).sum());
        assertTrue(c.crossNodeEvents() > 0, "events crossed nodes");
        assertTrue(c.crossNodeBytes() > c.crossNodeEvents(), "and took bytes on the wire: " + c.crossNodeBytes());
    }

    /** Checkpoints taken on the nodes are written by the launcher, and a resume in one JVM ends as the run did. */
    @Test
    void aClusterRunsCheckpointsResumeInOneJvm(@TempDir Path out) {
        String[] shorter = {"workload.warmupCycles=100", "workload.measureCycles=300"};
        RunReport one = Scenarios.run("noc-uniform-8x8", out.resolve("one"), shorter);
        var loaded = Scenarios.shipped("noc-uniform-8x8", Scenarios.concat(shorter, "run.partitions=4", "run.checkpointEvery=60"));
        Path dir = out.resolve("cluster");
        RunReport cluster = Runner.run(loaded, dir, RunObserver.NONE, ClusterRun.on(new ClusterRun.Existing(seed, "127.0.0.1"))).report();
        assertSameRun(one, cluster, "checkpointed on the cluster");
        RunCheckpoints.Loaded checkpoint = RunCheckpoints.newest(dir, line -> {});
        assertTrue(checkpoint.resume().soFar().events() > 0 && checkpoint.resume().soFar().events() < one.events());
        var again = ScenarioLoader.parse(checkpoint.source(), checkpoint.scenarioJson(), List.of("run.checkpointEvery=0"));
        RunReport resumed = Runner.run(again, RunDirectory.open(again.scenario(), dir, true), RunObserver.NONE,
                org.meshemu.dashboards.Watch.picturesOnly(), Runner.Execution.THIS_JVM, checkpoint).report();
        assertSameRun(one, resumed, "resumed in one JVM");
    }
}
