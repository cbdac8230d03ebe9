package org.meshemu.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshemu.dram.RuleFixture.addr;
import static org.meshemu.dram.RuleFixture.ns;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Statistics bookkeeping and the bandwidth probe's output format. */
class DramStatsTest {

    private static final DramStandard S = RuleFixture.standard();

    @Test
    void countsBytesOutcomesAndActivatesPerBank() {
        BankTimingModel m = new BankTimingModel(S, DramScheduler.REGISTRY.named(DramScheduler.DEFAULT).create(), BankTimingModel.DEFAULT_ROW_HIT_CAP);
        m.read(0, addr(S, 0, 0, 0), 64);              // miss + hit, bank 0
        m.write(ns(50), addr(S, 0, 0, 2), 32);        // hit, bank 0
        m.read(ns(100), addr(S, 0, 1, 0), 32);        // conflict, bank 0
        m.read(ns(150), addr(S, 5, 3, 0), 32);        // miss, bank 5
        DramStats st = m.stats();
        assertEquals(96, st.bytesRead(0));
        assertEquals(32, st.bytesWritten(0));
        assertEquals(32, st.bytesRead(5));
        assertEquals(2, st.rowHits(0));
        assertEquals(1, st.rowMisses(0));
        assertEquals(1, st.rowConflicts(0));
        assertEquals(2, st.activates(0));
        assertEquals(1, st.activates(5));
        assertEquals(3, st.totalActivates());
        assertEquals(2.0 / 5, st.rowHitRate(), 1e-12);
        assertEquals(ns(5L * S.burstCycles()), st.busBusyPs());
        assertEquals(0, st.refreshes());
        long elapsed = st.elapsedPs();
        assertEquals(160 * 1e12 / elapsed, st.achievedBytesPerSecond(), 1e-3);
        assertEquals(st.achievedBytesPerSecond() / S.peakBytesPerSecond(), st.peakFraction(), 1e-12);
    }

    @Test
    void countsRefreshesUpToTheLastData() {
        BankTimingModel m = new BankTimingModel(S, DramScheduler.REGISTRY.named(DramScheduler.DEFAULT).create(), BankTimingModel.DEFAULT_ROW_HIT_CAP);
        m.read(0, 0, 32);
        m.read(ns(3 * RuleFixture.REFI + 500), 0, 32);
        assertEquals(3, m.stats().refreshes());
    }

    @Test
    void probePrintsOneJsonLinePerPresetPatternAndDepth() {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            DramBandwidthProbe.main(new String[] {"2000"});
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        original.print(out); // keep the numbers visible in the test log
        String[] lines = out.strip().split("\n");
        assertEquals(DramPresets.names().size() * 2 * DramBandwidthProbe.DEPTHS.length, lines.length);
        for (String line : lines) {
            assertTrue(line.startsWith("{\"preset\":\"") && line.endsWith("}"), line);
            assertTrue(line.contains("\"GBps\":") && line.contains("\"latencyNs\":"), line);
        }
    }
}
