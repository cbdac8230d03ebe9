package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.kernel.Placement;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.Scenario;

/**
 * A run whose scenario leaves the thread count to the machine takes one thread when it has one
 * partition ({@link Placement#threadsFor}) and every thread when it has several; a count the
 * scenario sets is kept. The report says what the run used.
 */
class RunThreadsTest {
    @TempDir Path out;

    @Test
    void aSmallSystemRunsOnOneThreadUnlessTheScenarioSaysOtherwise() {
        RunReport chosen = Scenarios.run("default", out.resolve("chosen"));
        assertEquals(1, chosen.threads(), "416 components");
        RunReport set = Scenarios.run("default", out.resolve("set"), "run.threads=2");
        assertEquals(2, set.threads());
        assertEquals(chosen.outputDigest(), set.outputDigest());
        assertEquals(chosen.simulatedTimePs(), set.simulatedTimePs());
    }

    @Test
    void aRunOfOnePartitionRunsOnOneThreadAndOfSeveralOnEvery() {
        String[] mesh = {"hardware.noc.width=32", "hardware.noc.height=32", "workload.warmupCycles=10", "workload.measureCycles=20"};
        RunReport one = Scenarios.run("noc-uniform-8x8", out.resolve("one"), mesh);
        assertEquals(1, one.partitions(), "6,016 components: one partition");
        assertEquals(1, one.threads());
        String[] two = Arrays.copyOf(mesh, mesh.length + 1);
        two[mesh.length] = "run.partitions=2";
        RunReport r = Scenarios.run("noc-uniform-8x8", out.resolve("two"), two);
        assertEquals(Scenario.RunSpec.defaultThreads(), r.threads());
        assertEquals(one.simulatedTimePs(), r.simulatedTimePs());
        assertEquals(one.events(), r.events());
    }
}
