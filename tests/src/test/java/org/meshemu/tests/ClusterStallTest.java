package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.deploy.Runner;
import org.meshemu.deploy.cluster.ClusterRun;
import org.meshemu.deploy.cluster.NodeHost;
import org.meshemu.kernel.RunObserver;

/**
 * Nodes whose threads stop running the run's actors while the run is under way (a wedged thread
 * pool; the cluster's failure detector, on other threads, sees nothing wrong): each node's watchdog
 * fails the run naming itself, instead of the run waiting for ever.
 */
class ClusterStallTest {

    @Test
    void aRunWhoseNodesThreadsStopFailsNamingTheNode(@TempDir Path out) throws Exception {
        List<ActorSystem<NodeHost.Command>> workers = new ArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        try {
            String seed = ClusterTest.start(workers, 2, ConfigFactory.parseString("meshemu.kernel.stall-timeout = 1s"));
            // long enough to be under way when the first progress comes (about 10 s of uniform traffic)
            var loaded = Scenarios.shipped("noc-uniform-8x8", "run.partitions=2", "workload.measureCycles=200000");
            AtomicBoolean held = new AtomicBoolean();
            RunObserver holdTheNodes = (windows, simulatedPs, events) -> {
                if (!held.compareAndSet(false, true)) return;
                for (ActorSystem<NodeHost.Command> w : workers) { // each node's one thread, held by a task that is none of the run's
                    w.executionContext().execute(() -> {
                        try {
                            release.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
            };
            RuntimeException e = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> assertThrows(RuntimeException.class,
                    () -> Runner.run(loaded, out, holdTheNodes, ClusterRun.on(new ClusterRun.Existing(seed, "127.0.0.1")))));
            assertTrue(held.get(), "the run was under way");
            assertTrue(e.getMessage().matches("(?s).*node pekko://\\S+: the run stopped: no partition has handled a message for \\d+ s.*"),
                    e.getMessage());
        } finally {
            release.countDown();
            workers.forEach(ActorSystem::terminate);
        }
    }
}
