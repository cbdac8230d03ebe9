package org.meshemu.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshemu.dram.RuleFixture.BURST;
import static org.meshemu.dram.RuleFixture.CCD_L;
import static org.meshemu.dram.RuleFixture.CCD_S;
import static org.meshemu.dram.RuleFixture.CL;
import static org.meshemu.dram.RuleFixture.CWL;
import static org.meshemu.dram.RuleFixture.FAW;
import static org.meshemu.dram.RuleFixture.RAS;
import static org.meshemu.dram.RuleFixture.RC;
import static org.meshemu.dram.RuleFixture.RCD;
import static org.meshemu.dram.RuleFixture.RFC;
import static org.meshemu.dram.RuleFixture.REFI;
import static org.meshemu.dram.RuleFixture.RP;
import static org.meshemu.dram.RuleFixture.RRD_L;
import static org.meshemu.dram.RuleFixture.RRD_S;
import static org.meshemu.dram.RuleFixture.RTP;
import static org.meshemu.dram.RuleFixture.TCK;
import static org.meshemu.dram.RuleFixture.WR;
import static org.meshemu.dram.RuleFixture.WTR;
import static org.meshemu.dram.RuleFixture.addr;
import static org.meshemu.dram.RuleFixture.ns;

import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import org.junit.jupiter.api.Test;

/**
 * One timing rule per test. Where the constrained command is the first command of a request,
 * the request is probed arriving one cycle before the rule's boundary n (it must be delayed to
 * n) and at n (it must issue at n); otherwise the test asserts the exact spacing n.
 */
class BankTimingRulesTest {

    private static final DramStandard S = RuleFixture.standard();

    /**
     * Asserts the n-1/n probe: with the probe arriving at {@code boundary - tCK} its command is
     * delayed to {@code boundary}; arriving at {@code boundary} it issues at {@code boundary}.
     */
    private static void assertBoundary(long boundaryPs, LongFunction<Long> commandTimeForArrival) {
        assertEquals(boundaryPs, commandTimeForArrival.apply(boundaryPs - TCK), "arrival at n-1 must wait for n");
        assertEquals(boundaryPs, commandTimeForArrival.apply(boundaryPs), "arrival at n issues at n");
    }

    private static <C extends DramCommand> long timeOf(Completion c, Class<C> type) {
        return c.commandsOf(type).get(0).atPs();
    }

    private static BankTimingModel model(DramStandard s) {
        return new BankTimingModel(s, DramScheduler.REGISTRY.named(DramScheduler.DEFAULT).create(), BankTimingModel.DEFAULT_ROW_HIT_CAP);
    }

    @Test
    void readHitDeliversDataNclPlusBurstAfterTheColumnCommand() {
        BankTimingModel m = model(S);
        m.read(0, addr(S, 0, 0, 0), 32);
        Completion hit = m.read(ns(200), addr(S, 0, 0, 1), 32);
        assertEquals(1, hit.rowHits());
        assertEquals(List.of(DramCommand.Read.class), hit.commands().stream().map(Object::getClass).toList());
        long rd = timeOf(hit, DramCommand.Read.class);
        assertEquals(ns(200), rd);
        assertEquals(rd + ns(CL + BURST), hit.doneDataPs());
        assertEquals(rd + ns(CL), hit.commandsOf(DramCommand.Read.class).get(0).dataStartPs());
    }

    @Test
    void missOnClosedBankActivatesAndIssuesTheColumnNrcdLater() {
        Completion miss = model(S).read(ns(10), addr(S, 3, 5, 0), 32);
        assertEquals(1, miss.rowMisses());
        long act = timeOf(miss, DramCommand.Activate.class);
        assertEquals(ns(10), act);
        assertEquals(act + ns(RCD), timeOf(miss, DramCommand.Read.class));
        assertEquals(act + ns(RCD + CL + BURST), miss.doneDataPs());
    }

    @Test
    void conflictPrechargesThenActivatesNrpLater() {
        BankTimingModel m = model(S);
        m.read(0, addr(S, 0, 0, 0), 32);
        Completion conflict = m.read(ns(100), addr(S, 0, 1, 0), 32);
        assertEquals(1, conflict.rowConflicts());
        long pre = timeOf(conflict, DramCommand.Precharge.class);
        assertEquals(ns(100), pre);
        assertEquals(pre + ns(RP), timeOf(conflict, DramCommand.Activate.class));
        assertEquals(pre + ns(RP + RCD), timeOf(conflict, DramCommand.Read.class));
    }

    @Test
    void prechargeWaitsNrasAfterActivate() {
        // ACT at 0, RD at nRCD; nRTP ends at 12 ns < nRAS = 20 ns, so nRAS is the binding rule.
        assertBoundary(ns(RAS), arrival -> {
            BankTimingModel m = model(S);
            m.read(0, addr(S, 0, 0, 0), 32);
            return timeOf(m.read(arrival, addr(S, 0, 1, 0), 32), DramCommand.Precharge.class);
        });
    }

    @Test
    void activateToActivateSameBankWaitsNrc() {
        // PRE at arrival (>= nRAS), ACT at max(arrival + nRP, nRC): nRC binds for arrival <= nRC - nRP.
        assertBoundary(ns(RC), actAt -> {
            BankTimingModel m = model(S);
            m.read(0, addr(S, 0, 0, 0), 32);
            return timeOf(m.read(actAt - ns(RP), addr(S, 0, 1, 0), 32), DramCommand.Activate.class);
        });
    }

    @Test
    void activateToActivateDifferentBanksSameGroupWaitsNrrdL() {
        assertBoundary(ns(RRD_L), arrival -> {
            BankTimingModel m = model(S);
            m.read(0, addr(S, 0, 0, 0), 32);
            return timeOf(m.read(arrival, addr(S, 1, 0, 0), 32), DramCommand.Activate.class);
        });
    }

    @Test
    void activateToActivateDifferentGroupsWaitsNrrdS() {
        DramStandard grouped = RuleFixture.standard(Map.of("bankGroups", 2, "banksPerGroup", 4));
        // Flat banks 0 and 1 are in groups 0 and 1.
        assertBoundary(ns(RRD_S), arrival -> {
            BankTimingModel m = model(grouped);
            m.read(0, addr(grouped, 0, 0, 0), 32);
            return timeOf(m.read(arrival, addr(grouped, 1, 0, 0), 32), DramCommand.Activate.class);
        });
    }

    @Test
    void fifthActivateWithinNfawWaitsForTheWindowEnd() {
        // Four ACTs at 0, 4, 8, 12 ns (nRRD_L apart); nRRD alone would allow the fifth at 16 ns.
        assertBoundary(ns(FAW), arrival -> {
            BankTimingModel m = model(S);
            for (int bank = 0; bank < 4; bank++) {
                m.read(ns((long) bank * RRD_L), addr(S, bank, 0, 0), 32);
            }
            return timeOf(m.read(arrival, addr(S, 4, 0, 0), 32), DramCommand.Activate.class);
        });
    }

    @Test
    void prechargeAfterWriteWaitsWriteRecoveryNwr() {
        // WR at nRCD, data ends nRCD + nCWL + burst = 11 ns; PRE >= 11 + nWR = 26 ns > nRAS.
        long boundary = ns(RCD + CWL + BURST + WR);
        assertBoundary(boundary, arrival -> {
            BankTimingModel m = model(S);
            m.write(0, addr(S, 0, 0, 0), 32);
            return timeOf(m.read(arrival, addr(S, 0, 1, 0), 32), DramCommand.Precharge.class);
        });
    }

    @Test
    void prechargeAfterReadWaitsNrtp() {
        // A late hit at 30 ns moves the read-to-precharge boundary past nRAS: 30 + nRTP = 35 ns.
        assertBoundary(ns(30 + RTP), arrival -> {
            BankTimingModel m = model(S);
            m.read(0, addr(S, 0, 0, 0), 32);
            m.read(ns(30), addr(S, 0, 0, 1), 32);
            return timeOf(m.read(arrival, addr(S, 0, 1, 0), 32), DramCommand.Precharge.class);
        });
    }

    @Test
    void columnToColumnSameGroupWaitsNccdL() {
        assertBoundary(ns(100 + CCD_L), arrival -> {
            BankTimingModel m = model(S);
            m.read(0, addr(S, 0, 0, 0), 32);
            m.read(ns(4), addr(S, 1, 0, 0), 32);
            m.read(ns(100), addr(S, 0, 0, 1), 32); // hit, RD at 100 ns
            return timeOf(m.read(arrival, addr(S, 1, 0, 1), 32), DramCommand.Read.class);
        });
    }

    @Test
    void columnToColumnDifferentGroupsWaitsNccdS() {
        DramStandard grouped = RuleFixture.standard(Map.of("bankGroups", 2, "banksPerGroup", 4));
        assertBoundary(ns(100 + CCD_S), arrival -> {
            BankTimingModel m = model(grouped);
            m.read(0, addr(grouped, 0, 0, 0), 32);
            m.read(ns(4), addr(grouped, 1, 0, 0), 32);
            m.read(ns(100), addr(grouped, 0, 0, 1), 32);
            return timeOf(m.read(arrival, addr(grouped, 1, 0, 1), 32), DramCommand.Read.class);
        });
    }

    @Test
    void burstsSerialiseOnTheDataBus() {
        // BL8 on 128 bits: a 4-cycle burst, longer than nCCD_L, so the bus is the binding rule.
        DramStandard longBurst = RuleFixture.standard(Map.of("nBL", 8));
        int burst = longBurst.burstCycles();
        assertEquals(4, burst);
        assertBoundary(ns(100 + burst), arrival -> {
            BankTimingModel m = model(longBurst);
            m.read(0, addr(longBurst, 0, 0, 0), 128);
            m.read(ns(100), addr(longBurst, 0, 0, 1), 128);
            Completion second = m.read(arrival, addr(longBurst, 0, 0, 2), 128);
            DramCommand.Read rd = second.commandsOf(DramCommand.Read.class).get(0);
            assertEquals(rd.atPs() + ns(CL), rd.dataStartPs());
            return rd.atPs();
        });
    }

    @Test
    void readAfterWriteWaitsNwtrAfterWriteData() {
        // WR hit at 100 ns: data ends 100 + nCWL + burst = 104 ns; a read may issue at 104 + nWTR.
        assertBoundary(ns(100 + CWL + BURST + WTR), arrival -> {
            BankTimingModel m = model(S);
            m.read(0, addr(S, 0, 0, 0), 32);
            m.read(ns(4), addr(S, 1, 0, 0), 32);
            m.write(ns(100), addr(S, 0, 0, 1), 32);
            return timeOf(m.read(arrival, addr(S, 1, 0, 1), 32), DramCommand.Read.class);
        });
    }

    @Test
    void refreshBlocksAllBanksForNrfc() {
        long refreshEnd = ns(REFI + RFC);
        LongFunction<Long> actFor = arrival -> {
            BankTimingModel m = model(S);
            return timeOf(m.read(arrival, addr(S, 2, 0, 0), 32), DramCommand.Activate.class);
        };
        assertEquals(refreshEnd, actFor.apply(refreshEnd - 1), "last ps inside the refresh waits for its end");
        assertEquals(refreshEnd, actFor.apply(refreshEnd), "first ps after the refresh issues at once");
        assertEquals(refreshEnd + TCK, actFor.apply(refreshEnd + 1), "later arrivals round up to the next edge");
    }

    @Test
    void burstThatWouldOverlapRefreshMovesAfterIt() {
        // Before REF every bank must be precharged: a miss ACT at a can be closed at a + nRAS
        // (nRTP ends earlier) and is idle nRP later, so it fits iff a + nRAS + nRP <= refresh start.
        long refreshStart = ns(REFI);
        long fits = refreshStart - ns(RAS + RP);
        LongFunction<Long> actFor = arrival ->
                timeOf(model(S).read(arrival, addr(S, 0, 0, 0), 32), DramCommand.Activate.class);
        assertEquals(fits, actFor.apply(fits));
        assertEquals(refreshStart + ns(RFC), actFor.apply(fits + TCK));
    }

    @Test
    void refreshClosesOpenRows() {
        BankTimingModel m = model(S);
        m.read(0, addr(S, 0, 0, 0), 32);
        assertEquals(1, m.read(ns(REFI - 100), addr(S, 0, 0, 1), 32).rowHits());
        Completion after = m.read(ns(REFI + RFC), addr(S, 0, 0, 2), 32);
        assertEquals(1, after.rowMisses(), "the refresh precharged the row");
        assertEquals(1, m.stats().refreshes());
    }

    @Test
    void closedPolicyAutoPrechargesAfterEachAccess() {
        DramStandard closed = S.withRowPolicy(RowPolicy.CLOSED);
        BankTimingModel m = model(closed);
        Completion first = m.read(0, addr(closed, 0, 0, 0), 64); // two bursts, one row: one ACT, one PRE
        assertEquals(1, first.commandsOf(DramCommand.Activate.class).size());
        List<DramCommand.Precharge> pre = first.commandsOf(DramCommand.Precharge.class);
        assertEquals(1, pre.size());
        assertTrue(pre.get(0).auto());
        assertEquals(ns(RAS), pre.get(0).atPs(), "auto-precharge still honours nRAS");
        Completion again = m.read(ns(200), addr(closed, 0, 0, 2), 32);
        assertEquals(1, again.rowMisses(), "same row again is a miss under the closed policy");
        assertEquals(0, again.rowConflicts());
    }

    @Test
    void requestIsSplitIntoBursts() {
        // 100 bytes from address 16 touch bursts [0,32) [32,64) [64,96) [96,128).
        BankTimingModel m = model(S);
        Completion c = m.read(0, 16, 100);
        assertEquals(4, c.bursts());
        assertEquals(1, c.rowMisses());
        assertEquals(3, c.rowHits());
        assertEquals(4, c.commandsOf(DramCommand.Read.class).size());
        assertEquals(128, m.stats().totalBytesRead(), "stats count whole bursts");
    }

    @Test
    void requestsMustArriveInOrder() {
        BankTimingModel m = model(S);
        m.read(ns(10), 0, 32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.read(ns(9), 0, 32));
        assertTrue(e.getMessage().startsWith("arrivalPs:"), e.getMessage());
    }
}
