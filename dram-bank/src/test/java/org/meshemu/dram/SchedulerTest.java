package org.meshemu.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshemu.dram.RuleFixture.TCK;
import static org.meshemu.dram.RuleFixture.addr;
import static org.meshemu.dram.RuleFixture.ns;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import org.junit.jupiter.api.Test;

/**
 * The controller's choices: which queued request goes first (FCFS against FR-FCFS, the row-hit
 * cap), the command bus (one row and one column command per edge) and the spacing rules that
 * relate a command to every earlier one, not only the last, probed at n-1 and n with _L > 2 x _S.
 */
class SchedulerTest {

    private static final DramStandard S = RuleFixture.standard();
    /** Two bank groups of four banks (flat banks 0, 2, 4, 6 in group 0), _L more than twice _S. */
    private static final DramStandard GROUPED = RuleFixture.standard(
            Map.of("bankGroups", 2, "banksPerGroup", 4, "nRRD_S", 2, "nRRD_L", 5, "nCCD_S", 1, "nCCD_L", 3));

    private static BankTimingModel model(DramStandard s, String scheduler, int cap) {
        return new BankTimingModel(s, DramScheduler.REGISTRY.named(scheduler).create(), cap).recording();
    }

    private static final MemoryTiming.Done IGNORE = (tag, ps) -> { };

    /** Queues reads arriving at {@code at} once every edge before it is decided, as the bank actor does. */
    private static List<Long> readsAt(BankTimingModel m, long at, long... addresses) {
        for (long due = m.nextDuePs(); due <= at; due = m.nextDuePs()) m.advance(due, IGNORE);
        m.advance(at, IGNORE);
        List<Long> tags = new ArrayList<>();
        for (long a : addresses) tags.add(m.submit(at, a, 32, false));
        m.advance(at, IGNORE);
        return tags;
    }

    private static long actOf(Completion c) {
        return c.commandsOf(DramCommand.Activate.class).get(0).atPs();
    }

    private static long columnOf(Completion c) {
        return c.commandsOf(DramCommand.Read.class).get(0).atPs();
    }

    @Test
    void underFrFcfsARequestToAnIdleBankIsNotHeldUpByOneWaitingForItsBank() {
        for (String scheduler : List.of("fcfs", "frfcfs")) {
            BankTimingModel m = model(S, scheduler, 4);
            readsAt(m, 0, addr(S, 0, 0, 0));
            // Bank 0 must wait for nRC to reopen; bank 1 is idle.
            List<Long> tags = readsAt(m, ns(1), addr(S, 0, 1, 0), addr(S, 1, 0, 0));
            m.advance(BankTimingModel.NONE, IGNORE);
            long waiting = actOf(m.completion(tags.get(0)));
            long idle = actOf(m.completion(tags.get(1)));
            assertEquals(ns(RuleFixture.RC), waiting, scheduler + ": bank 0 reopens nRC after its first ACT");
            if (scheduler.equals("fcfs")) {
                assertEquals(waiting + ns(RuleFixture.RRD_L), idle, "fcfs: row commands in arrival order");
            } else {
                assertEquals(ns(RuleFixture.RRD_L), idle, "frfcfs: the idle bank activates as soon as nRRD allows");
            }
        }
    }

    @Test
    void youngerRowHitsPassAnOlderConflictAtMostRowHitCapTimes() {
        for (int cap : new int[] {1, 2, 8}) {
            BankTimingModel m = model(S, "frfcfs", cap);
            readsAt(m, 0, addr(S, 0, 0, 0));
            // A conflict on bank 0, then four hits to the row it still has open.
            List<Long> tags = readsAt(m, ns(1), addr(S, 0, 1, 0), addr(S, 0, 0, 1), addr(S, 0, 0, 2), addr(S, 0, 0, 3),
                    addr(S, 0, 0, 4));
            m.advance(BankTimingModel.NONE, IGNORE);
            long conflict = columnOf(m.completion(tags.get(0)));
            int passed = 0;
            for (int i = 1; i < tags.size(); i++) {
                Completion hit = m.completion(tags.get(i));
                if (columnOf(hit) < conflict) {
                    passed++;
                    assertEquals(0, hit.rowMisses() + hit.rowConflicts(), "a passing hit found its row open");
                }
            }
            assertEquals(Math.min(cap, 4), passed, "cap " + cap);
        }
    }

    @Test
    void fcfsNeverLetsAYoungerHitPass() {
        BankTimingModel m = model(S, "fcfs", 4);
        readsAt(m, 0, addr(S, 0, 0, 0));
        List<Long> tags = readsAt(m, ns(1), addr(S, 0, 1, 0), addr(S, 0, 0, 1));
        m.advance(BankTimingModel.NONE, IGNORE);
        assertTrue(columnOf(m.completion(tags.get(1))) > columnOf(m.completion(tags.get(0))));
        assertEquals(1, m.completion(tags.get(1)).rowConflicts(), "the row was closed for the older request");
    }

    /** n-1/n: a command meant for {@code boundary - tCK} waits until {@code boundary}; one meant for it issues then. */
    private static void assertBoundary(long boundaryPs, LongFunction<Long> commandTimeForArrival) {
        assertEquals(boundaryPs, commandTimeForArrival.apply(boundaryPs - TCK), "arrival at n-1 must wait for n");
        assertEquals(boundaryPs, commandTimeForArrival.apply(boundaryPs), "arrival at n issues at n");
    }

    @Test
    void oneRowCommandPerEdge() {
        // Bank 0's conflict precharges at nRAS = 20 ns; an ACT to idle bank 1 ready on that edge goes one edge later.
        assertBoundary(ns(RuleFixture.RAS) + TCK, arrival -> {
            BankTimingModel m = model(S, "frfcfs", 4);
            readsAt(m, 0, addr(S, 0, 0, 0));
            readsAt(m, ns(1), addr(S, 0, 1, 0));
            long tag = readsAt(m, arrival, addr(S, 1, 0, 0)).get(0);
            m.advance(BankTimingModel.NONE, IGNORE);
            return actOf(m.completion(tag));
        });
    }

    @Test
    void activateWaitsNrrdLAfterEveryEarlierActivateOfItsGroupNotOnlyTheLast() {
        // ACTs to group 0 at 0 and group 1 at nRRD_S; a third, to group 0, waits nRRD_L after the first.
        assertBoundary(ns(5), arrival -> {
            BankTimingModel m = model(GROUPED, "frfcfs", 4);
            m.read(0, addr(GROUPED, 0, 0, 0), 32);
            m.read(ns(2), addr(GROUPED, 1, 0, 0), 32);
            return actOf(m.read(arrival, addr(GROUPED, 2, 0, 0), 32));
        });
    }

    @Test
    void columnWaitsNccdLAfterEveryEarlierColumnOfItsGroupNotOnlyTheLast() {
        // Rows open in banks 0, 1 (groups 0, 1) and 2 (group 0); then hits at T, T + nCCD_S, and a
        // third to group 0, which waits nCCD_L after the first.
        long t0 = ns(100);
        assertBoundary(t0 + ns(3), arrival -> {
            BankTimingModel m = model(GROUPED, "frfcfs", 4);
            for (int bank = 0; bank < 3; bank++) m.read(ns(10L * bank), addr(GROUPED, bank, 0, 0), 32);
            m.read(t0, addr(GROUPED, 0, 0, 1), 32);
            m.read(t0 + ns(1), addr(GROUPED, 1, 0, 1), 32);
            return columnOf(m.read(arrival, addr(GROUPED, 2, 0, 1), 32));
        });
    }

    @Test
    void aRunOfBurstsPlacedAtOnceEqualsTheRulesBurstByBurst() {
        // A whole row read by one request (a run, placed at once) against the same bursts as separate
        // requests queued together: the same column times.
        int bursts = S.columnsPerRow();
        BankTimingModel whole = model(S, "frfcfs", 4);
        List<DramCommand.Read> run = whole.read(0, addr(S, 3, 5, 0), bursts * S.burstBytes()).commandsOf(DramCommand.Read.class);
        BankTimingModel single = model(S, "frfcfs", 4);
        long[] addresses = new long[bursts];
        for (int i = 0; i < bursts; i++) addresses[i] = addr(S, 3, 5, i);
        List<Long> tags = readsAt(single, 0, addresses);
        single.advance(BankTimingModel.NONE, IGNORE);
        assertEquals(bursts, run.size());
        for (int i = 0; i < bursts; i++) {
            assertEquals(columnOf(single.completion(tags.get(i))), run.get(i).atPs(), "burst " + i);
        }
    }

    @Test
    void schedulersAreRegisteredByNameAndUnknownNamesAreRefused() {
        assertEquals(java.util.List.of("fcfs", "frfcfs"), DramScheduler.REGISTRY.names());
        assertEquals("frfcfs", DramScheduler.DEFAULT);
        org.meshemu.scenario.InputException e = assertThrows(org.meshemu.scenario.InputException.class, () -> DramScheduler.REGISTRY.named("lifo"));
        assertEquals("hardware.dram.scheduler: must be one of [fcfs, frfcfs], got 'lifo'", e.getMessage());
        assertThrows(DramConfigException.class, () -> new BankTimingModel(S, DramScheduler.REGISTRY.named("frfcfs").create(), 0));
    }
}
