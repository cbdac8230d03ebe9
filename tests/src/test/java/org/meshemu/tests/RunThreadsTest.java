package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.kernel.Placement;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.Scenario;

/**
 * A run whose scenario leaves the thread count to the machine takes one thread below
 * {@link Placement#ONE_THREAD_BELOW_COMPONENTS} components and every thread above; a count the
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
    void aLargerSystemRunsOnEveryThread() {
        RunReport r = Scenarios.run("noc-uniform-8x8", out, "hardware.noc.width=32", "hardware.noc.height=32",
                "workload.warmupCycles=10", "workload.measureCycles=20");
        assertEquals(Scenario.RunSpec.defaultThreads(), r.threads(), "6,016 components");
    }
}
