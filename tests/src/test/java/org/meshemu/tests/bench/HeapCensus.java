package org.meshemu.tests.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.HeapGuard;
import org.meshemu.kernel.RunObserver;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.ScenarioLoader;

/**
 * Measures what the heap estimate is made of: the live heap after a full collection before the
 * scenario is planned and once every component is started, and a class histogram at that moment
 * ({@code jcmd GC.class_histogram}, into {@code HISTOGRAM}, none for {@code -}), and the heap guard's
 * reserve (part of the live heap, not of the run). Usage: HeapCensus HISTOGRAM SCENARIO [path=value ...]
 */
public final class HeapCensus {
    private HeapCensus() {}

    public static void main(String[] args) throws Exception {
        Path histogram = Path.of(args[0]);
        LoadedScenario loaded = ScenarioLoader.load(Path.of(args[1]), List.of(Arrays.copyOfRange(args, 2, args.length)));
        long before = KernelBench.liveHeapBytes();
        long[] started = {0};
        RunObserver measure = new RunObserver() {
            @Override public void windowDone(long windows, long simulatedPs, long events) {}

            @Override public void started(int components, long startupNanos) {
                started[0] = KernelBench.liveHeapBytes();
                if (histogram.toString().equals("-")) return;
                try {
                    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                            String.valueOf(ProcessHandle.current().pid()), "GC.class_histogram")
                            .redirectOutput(histogram.toFile()).start();
                    p.waitFor();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        RunReport r = Runner.run(loaded, Files.createTempDirectory("meshemu-census"), measure).report();
        System.out.printf(Locale.ROOT, "{\"scenario\": \"%s\", \"components\": %s, \"liveBeforeBytes\": %d, \"liveStartedBytes\": %d,"
                + " \"reserveBytes\": %d, \"peakHeapBytes\": %d}%n", r.scenario(), r.components(), before, started[0], HeapGuard.reserveBytes(),
                r.peakHeapBytes());
        System.exit(0);
    }
}
