package org.meshemu.dram;

import java.util.HashMap;
import java.util.Map;

/**
 * A standard whose timings are all different, so each test can tell which rule placed a command.
 * tCK = 1 ns; times below are in ns and converted with {@link #ns(long)}.
 */
final class RuleFixture {

    static final long TCK = 1000;

    /** Cycles of each rule in {@link #standard()}. */
    static final int CL = 5, CWL = 3, RCD = 7, RP = 6, RAS = 20, RC = 30, RRD_S = 3, RRD_L = 4, FAW = 25,
            WR = 15, RTP = 5, WTR = 4, CCD_S = 2, CCD_L = 3, REFI = 1000, RFC = 100;
    /** Burst of 32 B on a 128-bit DDR bus: one cycle. */
    static final int BURST = 1;

    private RuleFixture() {
    }

    static Map<String, Number> overrides() {
        Map<String, Number> o = new HashMap<>();
        o.put("tCKps", TCK);
        o.put("nCL", CL);
        o.put("nCWL", CWL);
        o.put("nRCD", RCD);
        o.put("nRP", RP);
        o.put("nRAS", RAS);
        o.put("nRC", RC);
        o.put("nRRD_S", RRD_S);
        o.put("nRRD_L", RRD_L);
        o.put("nFAW", FAW);
        o.put("nWR", WR);
        o.put("nRTP", RTP);
        o.put("nWTR", WTR);
        o.put("nCCD_S", CCD_S);
        o.put("nCCD_L", CCD_L);
        o.put("nREFI", REFI);
        o.put("nRFC", RFC);
        return o;
    }

    /** One bank group of eight banks, open page, row-bank-column: bank b row r is at {@link #addr}. */
    static DramStandard standard() {
        return DramPresets.get(DramPresets.STACKED_3D_BANK).withOverrides(overrides());
    }

    /** As {@link #standard()} with extra overrides applied on top. */
    static DramStandard standard(Map<String, Number> extra) {
        Map<String, Number> o = overrides();
        o.putAll(extra);
        return DramPresets.get(DramPresets.STACKED_3D_BANK).withOverrides(o);
    }

    static long ns(long ns) {
        return ns * TCK;
    }

    /** Byte address of column {@code column} of {@code row} in flat bank {@code bank} under row-bank-column. */
    static long addr(DramStandard s, int bank, int row, int column) {
        return ((long) row * s.banks() + bank) * s.rowBytes() + (long) column * s.burstBytes();
    }
}
