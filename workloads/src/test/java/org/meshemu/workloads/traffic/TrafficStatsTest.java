package org.meshemu.workloads.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The nearest-rank percentile of a latency histogram. */
class TrafficStatsTest {
    @Test
    void p99IsTheSmallestLatencyCoveringNinetyNinePercent() {
        Map<Long, Long> h = new TreeMap<>(Map.of(10L, 98L, 20L, 1L, 30L, 1L)); // 100 packets
        assertEquals(20, TrafficStats.percentile(h, 100, 0.99), "rank 99 is the 99th packet, at 20");
        h.put(10L, 99L); // 101 packets: rank ceil(99.99) = 100, the 100th packet is at 20
        assertEquals(20, TrafficStats.percentile(h, 101, 0.99));
        h.put(10L, 100L); // 102 packets: rank ceil(100.98) = 101, at 20
        assertEquals(20, TrafficStats.percentile(h, 102, 0.99));
        assertEquals(10, TrafficStats.percentile(new TreeMap<>(Map.of(10L, 99L, 20L, 1L)), 100, 0.99), "n-1 at 10, the last at 20");
        assertEquals(0, TrafficStats.percentile(Map.of(), 0, 0.99));
    }
}
