package org.meshemu.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The side-by-side figures of docs/validation/dramsim3.csv: meshemu's are what the model gives
 * today (recomputed here), and they are within 10% of DRAMSim3's wherever DRAMSim3's controller is
 * not the limit (the file's {@code limit} column, explained in docs/validation/README.md).
 */
class DramSim3ValidationTest {

    private static final Path CSV = Path.of("..", "docs", "validation", "dramsim3.csv");

    @Test
    void ourFiguresAreTheFilesAndAgreeWithDramSim3WhereItsControllerIsNotTheLimit() throws IOException {
        List<String> lines = Files.readAllLines(CSV);
        assertEquals("preset,pattern,depth,requests,request_bytes,dramsim3_GBps,dramsim3_latency_ns,meshemu_GBps,"
                + "meshemu_latency_ns,limit", lines.get(0));
        int compared = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            DramStandard s = DramPresets.get(f[0]);
            int depth = Integer.parseInt(f[2]);
            int requests = Integer.parseInt(f[3]);
            DramBandwidthProbe.Result ours = f[1].equals("sequential")
                    ? DramBandwidthProbe.sequential(s, DramScheduler.DEFAULT, depth, requests, Integer.parseInt(f[4]))
                    : DramBandwidthProbe.random(s, DramScheduler.DEFAULT, depth, requests, DramBandwidthProbe.RANDOM_SEED);
            double gbps = ours.achievedBytesPerSecond() / 1e9, latencyNs = ours.meanLatencyPs() / 1e3;
            assertEquals(Double.parseDouble(f[7]), gbps, 0.0015, "meshemu GB/s changed: " + line);
            assertEquals(Double.parseDouble(f[8]), latencyNs, 0.015, "meshemu latency changed: " + line);
            if (f[9].equals("none")) {
                compared++;
                assertTrue(Math.abs(gbps / Double.parseDouble(f[5]) - 1) <= 0.10, "bandwidth off by more than 10%: " + line);
                assertTrue(Math.abs(latencyNs / Double.parseDouble(f[6]) - 1) <= 0.10, "latency off by more than 10%: " + line);
            }
        }
        assertEquals(28, lines.size() - 1, "both presets, both patterns, depths 1 to 64");
        assertTrue(compared >= 18, compared + " rows compared");
    }
}
