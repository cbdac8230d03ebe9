package org.meshemu.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Independent check of the scheduler: random mixed traffic is run through the model and the
 * whole command trace is re-verified against every timing rule by a separate, brute-force
 * oracle that knows nothing about how the model chose the times.
 */
class TraceOracleTest {

    /** Small refresh interval so the trace crosses many refreshes. */
    private static final DramStandard GROUPED = RuleFixture.standard(
            Map.of("bankGroups", 2, "banksPerGroup", 4, "nREFI", 400, "nRFC", 40));

    private record Issued(int request, long arrivalPs, DramCommand command) {
    }

    static List<Arguments> schedulersAndPolicies() {
        List<Arguments> all = new ArrayList<>();
        for (String scheduler : DramScheduler.REGISTRY.names()) {
            for (RowPolicy policy : RowPolicy.values()) all.add(Arguments.of(scheduler, policy));
        }
        return all;
    }

    @ParameterizedTest
    @MethodSource("schedulersAndPolicies")
    void everyCommandOfRandomMixedTrafficSatisfiesEveryRule(String scheduler, RowPolicy policy) {
        // nRRD_L and nCCD_L more than twice the _S values: a rule checked only against the last
        // command lets a same-group pair through with another group's command between them.
        DramStandard s = GROUPED.withRowPolicy(policy).withOverrides(Map.of("nRRD_S", 2, "nRRD_L", 5, "nCCD_S", 1, "nCCD_L", 3));
        BankTimingModel model = new BankTimingModel(s, DramScheduler.REGISTRY.named(scheduler).create(), 2).recording();
        SplittableRandom rng = new SplittableRandom(7);
        List<Issued> trace = new ArrayList<>();
        List<Long> tags = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        MemoryTiming.Done done = (tag, ps) -> { };
        long arrival = 0;
        long address = 0;
        for (int i = 0; i < 3000; i++) {
            arrival += rng.nextInt(4) == 0 ? rng.nextLong(20_000) : 0;
            // Drive the model as the bank actor does: wake-ups before the arrival, then queue it.
            for (long due = model.nextDuePs(); due <= arrival; due = model.nextDuePs()) model.advance(due, done);
            model.advance(arrival, done);
            // Mix of row-local and random traffic so hits, misses and conflicts all occur.
            address = rng.nextBoolean() ? address + 32 : rng.nextLong(s.capacityBytes() / 4);
            tags.add(model.submit(arrival, address, 1 + rng.nextInt(160), rng.nextInt(3) == 0));
            arrivals.add(arrival);
            model.advance(arrival, done);
        }
        model.advance(BankTimingModel.NONE, done);
        for (int i = 0; i < tags.size(); i++) {
            Completion c = model.completion(tags.get(i));
            assertTrue(c.doneDataPs() > arrivals.get(i));
            for (DramCommand cmd : c.commands()) trace.add(new Issued(i, arrivals.get(i), cmd));
        }
        checkIssueTimes(s, trace);
        checkBanks(s, trace);
        checkChannel(s, trace, scheduler.equals("fcfs"));
        DramStats st = model.stats();
        assertTrue(st.totalRowHits() > 0 && st.totalRowMisses() > 0 && st.totalRowConflicts() + (policy == RowPolicy.CLOSED ? 1 : 0) > 0);
        assertTrue(st.refreshes() > 10);
    }

    private static void checkIssueTimes(DramStandard s, List<Issued> trace) {
        long refi = s.ps(s.nREFI());
        long rfc = s.ps(s.nRFC());
        for (Issued i : trace) {
            long at = i.command().atPs();
            assertEquals(0, at % s.tCKps(), "off the clock edge: " + i);
            assertTrue(at >= i.arrivalPs(), "before arrival: " + i);
            long k = at / refi;
            assertTrue(k == 0 || at >= k * refi + rfc, "inside refresh window: " + i);
            if (i.command() instanceof DramCommand.Read r) {
                assertEquals(at + s.ps(s.nCL()), r.dataStartPs());
                assertEquals(r.dataStartPs() + s.ps(s.burstCycles()), r.dataEndPs());
                assertTrue(r.dataEndPs() <= (k + 1) * refi, "data overlaps the next refresh: " + i);
            } else if (i.command() instanceof DramCommand.Write w) {
                assertEquals(at + s.ps(s.nCWL()), w.dataStartPs());
                assertEquals(w.dataStartPs() + s.ps(s.burstCycles()), w.dataEndPs());
                assertTrue(w.dataEndPs() <= (k + 1) * refi, "data overlaps the next refresh: " + i);
            }
        }
    }

    /** Replays each bank's commands in time order through a row-buffer state machine. */
    private static void checkBanks(DramStandard s, List<Issued> trace) {
        long refi = s.ps(s.nREFI());
        for (int bank = 0; bank < s.banks(); bank++) {
            final int b = bank;
            List<DramCommand> cmds = trace.stream().map(Issued::command).filter(c -> c.bank() == b)
                    .sorted(Comparator.comparingLong(DramCommand::atPs)).toList();
            boolean open = false;
            int openRow = -1;
            long act = Long.MIN_VALUE / 4;
            long pre = Long.MIN_VALUE / 4;
            long preReady = Long.MIN_VALUE / 4;
            for (DramCommand c : cmds) {
                if (open && c.atPs() / refi > act / refi) {
                    // A refresh started since the ACT: the bank must have been closable and idle by then.
                    long refreshStart = (act / refi + 1) * refi;
                    assertTrue(preReady + s.ps(s.nRP()) <= refreshStart, "bank busy into refresh: " + c);
                    open = false;
                    pre = Long.MIN_VALUE / 4;
                }
                switch (c) {
                    case DramCommand.Activate a -> {
                        if (open) {
                            fail("ACT to an open bank: " + a);
                        }
                        assertTrue(a.atPs() >= act + s.ps(s.nRC()), "nRC: " + a);
                        assertTrue(a.atPs() >= pre + s.ps(s.nRP()), "nRP: " + a);
                        open = true;
                        openRow = a.row();
                        act = a.atPs();
                        preReady = act + s.ps(s.nRAS());
                    }
                    case DramCommand.Precharge p -> {
                        assertTrue(open, "PRE to a closed bank: " + p);
                        assertTrue(p.atPs() >= preReady, "nRAS/nRTP/nWR: " + p);
                        open = false;
                        pre = p.atPs();
                    }
                    case DramCommand.Read r -> {
                        assertTrue(open, "RD to a closed bank: " + r);
                        assertEquals(openRow, r.row(), "RD to a row that is not open: " + r);
                        assertTrue(r.atPs() >= act + s.ps(s.nRCD()), "nRCD: " + r);
                        preReady = Math.max(preReady, r.atPs() + s.ps(s.nRTP()));
                    }
                    case DramCommand.Write w -> {
                        assertTrue(open, "WR to a closed bank: " + w);
                        assertEquals(openRow, w.row(), "WR to a row that is not open: " + w);
                        assertTrue(w.atPs() >= act + s.ps(s.nRCD()), "nRCD: " + w);
                        preReady = Math.max(preReady, w.dataEndPs() + s.ps(s.nWR()));
                    }
                }
            }
        }
    }

    private static int group(DramStandard s, DramCommand c) {
        return c.bank() % s.bankGroups();
    }

    /** Every pair of commands a rule relates, not only neighbours; one row and one column command per edge. */
    private static void checkChannel(DramStandard s, List<Issued> trace, boolean inArrivalOrder) {
        List<DramCommand> acts = trace.stream().map(Issued::command).filter(c -> c instanceof DramCommand.Activate)
                .sorted(Comparator.comparingLong(DramCommand::atPs)).toList();
        for (int i = 1; i < acts.size(); i++) {
            DramCommand cur = acts.get(i);
            for (int j = i - 1; j >= 0 && cur.atPs() - acts.get(j).atPs() < s.ps(s.nRRD_L()); j--) {
                DramCommand prev = acts.get(j);
                int rrd = group(s, prev) == group(s, cur) ? s.nRRD_L() : s.nRRD_S();
                assertTrue(cur.atPs() - prev.atPs() >= s.ps(rrd), "nRRD: " + prev + " -> " + cur);
            }
            if (i >= 4) {
                assertTrue(cur.atPs() - acts.get(i - 4).atPs() >= s.ps(s.nFAW()), "nFAW at " + cur);
            }
        }
        List<DramCommand> rowCommands = trace.stream().map(Issued::command)
                .filter(c -> c instanceof DramCommand.Activate || c instanceof DramCommand.Precharge p && !p.auto())
                .sorted(Comparator.comparingLong(DramCommand::atPs)).toList();
        for (int i = 1; i < rowCommands.size(); i++) {
            assertTrue(rowCommands.get(i).atPs() > rowCommands.get(i - 1).atPs(), "two row commands on one edge: " + rowCommands.get(i));
        }
        List<Issued> cols = trace.stream().filter(i -> i.command() instanceof DramCommand.Read
                || i.command() instanceof DramCommand.Write).sorted(Comparator.comparingLong(i -> i.command().atPs())).toList();
        long lastWriteDataEnd = Long.MIN_VALUE / 4;
        for (int i = 1; i < cols.size(); i++) {
            Issued prev = cols.get(i - 1);
            Issued cur = cols.get(i);
            if (inArrivalOrder) assertTrue(cur.request() >= prev.request(), "FCFS");
            assertTrue(cur.command().atPs() > prev.command().atPs(), "two column commands on one edge: " + cur);
            for (int j = i - 1; j >= 0 && cur.command().atPs() - cols.get(j).command().atPs() < s.ps(s.nCCD_L()); j--) {
                DramCommand earlier = cols.get(j).command();
                int ccd = group(s, earlier) == group(s, cur.command()) ? s.nCCD_L() : s.nCCD_S();
                assertTrue(cur.command().atPs() - earlier.atPs() >= s.ps(ccd), "nCCD: " + earlier + " -> " + cur);
            }
            assertTrue(dataStart(cur.command()) >= dataEnd(prev.command()), "bus overlap: " + prev + " -> " + cur);
            if (prev.command() instanceof DramCommand.Write w) {
                lastWriteDataEnd = w.dataEndPs();
            }
            if (cur.command() instanceof DramCommand.Read r) {
                assertTrue(r.atPs() >= lastWriteDataEnd + s.ps(s.nWTR()), "nWTR: " + cur);
            }
        }
    }

    private static long dataStart(DramCommand c) {
        return c instanceof DramCommand.Read r ? r.dataStartPs() : ((DramCommand.Write) c).dataStartPs();
    }

    private static long dataEnd(DramCommand c) {
        return c instanceof DramCommand.Read r ? r.dataEndPs() : ((DramCommand.Write) c).dataEndPs();
    }
}
