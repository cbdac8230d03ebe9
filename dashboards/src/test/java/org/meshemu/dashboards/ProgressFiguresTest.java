package org.meshemu.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshemu.kernel.PartitionSample;
import org.meshemu.kernel.Work;

/** Progress, time left, the terminal line and the per-node sums, from given figures. */
class ProgressFiguresTest {
    private static final Work WORK = new Work(1000, "instructions", "core");

    @Test
    void progressIsWorkDoneOverTheLengthAndOneOnceFinished() {
        assertEquals(0.25, LiveRun.progress(WORK, 250, false));
        assertEquals(1.0, LiveRun.progress(WORK, 1000, false));
        assertEquals(1.0, LiveRun.progress(WORK, 250, true), "the end is the end, whatever was last sampled");
        assertNull(LiveRun.progress(null, 250, false));
    }

    @Test
    void timeLeftAssumesTheAveragePaceSoFarAndIsUnknownWhenItCannotBeTold() {
        assertEquals(30.0, LiveRun.eta(0.25, 10, false), 1e-12);
        assertEquals(0.0, LiveRun.eta(0.25, 10, true));
        assertNull(LiveRun.eta(0.0, 10, false), "nothing done yet");
        assertNull(LiveRun.eta(1.0, 10, false), "all work done, run not over (a network draining)");
        assertNull(LiveRun.eta(null, 10, false));
    }

    @Test
    void theTerminalLineStartsWithABarPercentageAndTimeLeft() {
        assertEquals("[#####...............]  25.0% | 30 s left", TerminalProgress.done(0.25, 30.0, true));
        assertEquals(" 99.9% | 2:05 left", TerminalProgress.done(0.999, 125.0, false));
        assertEquals("[....................]   0.0% | ? left", TerminalProgress.done(0, null, true));
    }

    @Test
    void nodeFiguresSumTheirPartitionsAndCountOnlyTrafficBetweenNodes() {
        RunCounts counts = new RunCounts(0);
        // partitions 0 and 1 on node a, 2 on node b
        counts.record(sample(0, "a", 10, 1, new long[] {0, 4, 6}, new long[] {0, 2, 5}, new long[] {0, 0, 500}));
        counts.record(sample(1, "a", 20, 2, new long[] {2, 0, 1}, new long[] {4, 0, 3}, new long[] {0, 0, 300}));
        counts.record(sample(2, "b", 30, 3, new long[] {5, 3, 0}, new long[] {6, 1, 0}, new long[] {700, 100, 0}));
        List<LiveRun.NodeFigures> nodes = counts.nodes();
        assertEquals(List.of("a", "b"), nodes.stream().map(LiveRun.NodeFigures::node).toList());
        LiveRun.NodeFigures a = nodes.get(0), b = nodes.get(1);
        assertEquals(List.of(0, 1), a.partitions());
        assertEquals(List.of(30L, 30L), List.of(a.events(), b.events()));
        assertEquals(List.of(7L, 8L), List.of(a.crossEventsSent(), a.crossEventsReceived()), "to and from partition 2 only");
        assertEquals(List.of(8L, 7L), List.of(b.crossEventsSent(), b.crossEventsReceived()));
        assertEquals(List.of(800L, 800L), List.of(a.crossBytesReceived(), b.crossBytesSent()), "bytes are measured where they arrive");
        assertEquals(List.of(800L, 800L), List.of(a.crossBytesSent(), b.crossBytesReceived()));
        assertEquals(60, counts.events());
        assertEquals(6, counts.work());
    }

    private static PartitionSample sample(int p, String node, long events, long work, long[] sent, long[] received, long[] bytes) {
        return new PartitionSample(p, node, 1, events, 100, 0, sent, received, bytes, work, List.of());
    }
}
