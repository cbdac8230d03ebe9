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
import org.junit.jupiter.params.provider.EnumSource;

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

    @ParameterizedTest
    @EnumSource(RowPolicy.class)
    void everyCommandOfRandomMixedTrafficSatisfiesEveryRule(RowPolicy policy) {
        DramStandard s = GROUPED.withRowPolicy(policy);
        BankTimingModel model = new BankTimingModel(s);
        SplittableRandom rng = new SplittableRandom(7);
        List<Issued> trace = new ArrayList<>();
        long arrival = 0;
        long address = 0;
        for (int i = 0; i < 3000; i++) {
            arrival += rng.nextInt(4) == 0 ? rng.nextLong(20_000) : 0;
            // Mix of row-local and random traffic so hits, misses and conflicts all occur.
            address = rng.nextBoolean() ? address + 32 : rng.nextLong(s.capacityBytes() / 4);
            Completion c = model.access(arrival, address, 1 + rng.nextInt(160), rng.nextInt(3) == 0);
            assertTrue(c.doneDataPs() > arrival);
            for (DramCommand cmd : c.commands()) {
                trace.add(new Issued(i, arrival, cmd));
            }
        }
        checkIssueTimes(s, trace);
        checkBanks(s, trace);
        checkChannel(s, trace);
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

    private static void checkChannel(DramStandard s, List<Issued> trace) {
        List<DramCommand> acts = trace.stream().map(Issued::command).filter(c -> c instanceof DramCommand.Activate)
                .sorted(Comparator.comparingLong(DramCommand::atPs)).toList();
        for (int i = 1; i < acts.size(); i++) {
            DramCommand prev = acts.get(i - 1);
            DramCommand cur = acts.get(i);
            int rrd = group(s, prev) == group(s, cur) ? s.nRRD_L() : s.nRRD_S();
            assertTrue(cur.atPs() - prev.atPs() >= s.ps(rrd), "nRRD: " + prev + " -> " + cur);
            if (i >= 4) {
                assertTrue(cur.atPs() - acts.get(i - 4).atPs() >= s.ps(s.nFAW()), "nFAW at " + cur);
            }
        }
        List<Issued> cols = trace.stream().filter(i -> i.command() instanceof DramCommand.Read
                || i.command() instanceof DramCommand.Write).toList();
        long lastWriteDataEnd = Long.MIN_VALUE / 4;
        for (int i = 1; i < cols.size(); i++) {
            Issued prev = cols.get(i - 1);
            Issued cur = cols.get(i);
            assertTrue(cur.request() >= prev.request(), "FCFS");
            int ccd = group(s, prev.command()) == group(s, cur.command()) ? s.nCCD_L() : s.nCCD_S();
            assertTrue(cur.command().atPs() - prev.command().atPs() >= s.ps(ccd), "nCCD: " + prev + " -> " + cur);
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
