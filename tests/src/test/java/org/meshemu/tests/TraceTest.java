package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.deploy.Runner;

/** `run --trace`: trace.json in the Chrome trace event format, bounded by region and limit. */
class TraceTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @TempDir Path out;

    @Test
    void everyInstructionOfEveryCoreIsOneSliceWithinTheRun() throws Exception {
        BadInputTest.Result r = BadInputTest.cli("run", "--out", out.toString(), "--threads", "2", "--trace");
        assertEquals(0, r.code(), r.err());
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        long endPs = report.get("simulatedTimePs").asLong();
        JsonNode trace = JSON.readTree(out.resolve("trace.json").toFile());

        Map<Long, String> threads = new HashMap<>();
        Map<Long, Integer> slicesByTrack = new HashMap<>();
        Map<Long, Long> lastEndByTrack = new HashMap<>();
        long slices = 0, linkBusyPs = 0;
        for (JsonNode e : trace.get("traceEvents")) {
            if (e.get("name").asText().equals("thread_name")) threads.put(e.get("tid").asLong(), e.get("args").get("name").asText());
            if (!e.get("ph").asText().equals("X")) continue;
            long start = ps(e.get("ts")), end = start + ps(e.get("dur"));
            assertTrue(0 <= start && start <= end && end <= endPs, "slice outside the run [0, " + endPs + "]: " + e);
            long tid = e.get("tid").asLong();
            // a core does one instruction at a time, a link serialises one packet at a time
            assertTrue(start >= lastEndByTrack.getOrDefault(tid, 0L), "overlapping slices on track " + tid + ": " + e);
            lastEndByTrack.put(tid, end);
            slicesByTrack.merge(tid, 1, Integer::sum);
            slices++;
            if (threads.getOrDefault(tid, "").startsWith("link")) linkBusyPs += end - start;
        }
        assertEquals(slices, trace.get("otherData").get("slices").asLong());
        assertEquals(0, trace.get("otherData").get("droppedSlices").asLong());

        // the default GEMM has no skips: each core executes its whole program
        var prepared = Runner.prepare(Scenarios.shipped("default"));
        int[] cores = prepared.built().cores();
        for (int n = 0; n < cores.length; n++) {
            assertTrue(threads.get((long) cores[n]).startsWith("core("), threads.get((long) cores[n]));
            assertEquals(prepared.plan().programs().get(n).size(), slicesByTrack.get((long) cores[n]), "slices of core " + n);
        }
        // transfers: the links' slices add up to their busy time
        JsonNode links = report.get("utilisation").get("link");
        long linkCount = report.get("components").get("link").asLong();
        assertEquals(links.get("mean").asDouble() * linkCount * endPs, linkBusyPs, 1e-6 * linkBusyPs);
    }

    @Test
    void aRegionAndALimitBoundTheTrace() throws Exception {
        BadInputTest.Result r = BadInputTest.cli("run", "--out", out.toString(), "--threads", "2", "--trace",
                "--trace-region", "1,2,2,3", "--trace-limit", "100");
        assertEquals(0, r.code(), r.err());
        JsonNode trace = JSON.readTree(out.resolve("trace.json").toFile());
        long slices = 0;
        int cores = 0;
        for (JsonNode e : trace.get("traceEvents")) {
            if (e.get("ph").asText().equals("X")) slices++;
            if (!e.get("name").asText().equals("thread_name")) continue;
            String label = e.get("args").get("name").asText();
            // labels name the node: core(x,y), link(x,y).east
            String[] xy = label.substring(label.indexOf('(') + 1, label.indexOf(')')).split(",");
            int x = Integer.parseInt(xy[0]), y = Integer.parseInt(xy[1]);
            assertTrue(x >= 1 && x <= 2 && y >= 2 && y <= 3, "traced outside the region: " + label);
            if (label.startsWith("core")) cores++;
        }
        assertEquals(4, cores);
        assertEquals(100, slices);
        assertEquals(100, trace.get("otherData").get("slices").asLong());
        assertTrue(trace.get("otherData").get("droppedSlices").asLong() > 0);
    }

    @Test
    void theDefaultRegionSamplesALargeMeshToAtMost32By32Nodes() throws Exception {
        // 64 x 64 nodes: every second node in each direction, 32 x 32 traced nodes
        BadInputTest.Result r = BadInputTest.cli("run", Scenarios.file("noc-uniform-8x8").toString(), "--out", out.toString(),
                "--threads", "2", "--trace", "--set", "hardware.noc.width=64", "--set", "hardware.noc.height=64",
                "--set", "workload.warmupCycles=10", "--set", "workload.measureCycles=20");
        assertEquals(0, r.code(), r.err());
        JsonNode trace = JSON.readTree(out.resolve("trace.json").toFile());
        java.util.Set<String> nodes = new java.util.HashSet<>();
        for (JsonNode e : trace.get("traceEvents")) {
            if (!e.get("name").asText().equals("thread_name")) continue;
            String label = e.get("args").get("name").asText();
            String[] xy = label.substring(label.indexOf('(') + 1, label.indexOf(')')).split(",");
            assertTrue(Integer.parseInt(xy[0]) % 2 == 0 && Integer.parseInt(xy[1]) % 2 == 0, "not on the stride: " + label);
            nodes.add(xy[0] + "," + xy[1]);
        }
        assertEquals(32 * 32, nodes.size());
        assertEquals("0,0,63,63 every 2", trace.get("otherData").get("region").asText());
    }

    /** Trace timestamps are decimal microseconds with six places: exact picoseconds. */
    private static long ps(JsonNode micros) {
        return micros.decimalValue().movePointRight(6).longValueExact();
    }
}
