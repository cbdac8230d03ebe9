package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshemu.report.RunReport;

/**
 * The product's promise: the shipped scenarios give the same simulated time, event count and output
 * bits on 1 or 2 threads and on 1, 2 or 4 partitions, and the outputs match the reference; so do the
 * GEMV's other reductions and the GEMM's other algorithms (a shipped scenario with overrides).
 */
class DeterminismTest {
    @TempDir Path out;

    @ParameterizedTest
    @ValueSource(strings = {"default", "gemm-cannon-8x8", "gemv-tree-16x16", "retnet-tiny-mesh", "bitnet-tiny-mesh", "phimoe-tiny-mesh",
            "phi3-tiny-mesh", "gnn-gcn-tiny", "gemv-tree-16x16 workload.reduction=ring", "gemv-tree-16x16 workload.reduction=central",
            "gemm-cannon-8x8 workload.algorithm=summa", "gemm-cannon-8x8 workload.algorithm=gather workload.m=128 workload.n=128 workload.k=128",
            "gemm-cannon-8x8 workload.kParts=2",
            "studies/bases/elk-layers-pod4 workload.prefetch=overlap run.payload=full workload.layers=3 workload.tokens=4 workload.width=32"})
    void sameResultsOnAnyThreadsAndPartitions(String scenarioAndOverrides) {
        String[] words = scenarioAndOverrides.split(" ");   // a shipped scenario, then overrides
        String scenario = words[0];
        String[] overrides = java.util.Arrays.copyOfRange(words, 1, words.length);
        RunReport base = Scenarios.run(scenario, out.resolve("base"), Scenarios.concat(overrides, "run.threads=1", "run.partitions=1"));
        assertNotNull(base.outputDigest());
        assertTrue(base.reference().maxRelError() <= 1e-5, "max rel error " + base.reference().maxRelError());
        String[][] variants = {{"run.threads=2", "run.partitions=1"}, {"run.threads=2", "run.partitions=2"},
                {"run.threads=2", "run.partitions=4"}, {"run.threads=1", "run.partitions=4"}};
        for (String[] v : variants) {
            RunReport r = Scenarios.run(scenario, out.resolve(String.join("-", v)), Scenarios.concat(overrides, v));
            String what = scenarioAndOverrides + " with " + String.join(", ", v);
            assertEquals(base.simulatedTimePs(), r.simulatedTimePs(), what);
            assertEquals(base.events(), r.events(), what);
            if (v[1].equals("run.partitions=1")) assertEquals(base.windows(), r.windows(), what + ": threads never change the windows");
            assertEquals(base.outputDigest(), r.outputDigest(), what);
            assertEquals(base.utilisation(), r.utilisation(), what);
        }
    }
}
