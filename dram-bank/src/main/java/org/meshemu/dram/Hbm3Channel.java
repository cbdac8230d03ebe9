package org.meshemu.dram;

/**
 * {@code hbm3-channel}: one HBM3 pseudo-channel.
 *
 * <p>JEDEC JESD238 HBM3: 16 channels of 64 DQ per stack, each split into 2 pseudo-channels of
 * 32 DQ; BL8, so a 32 B burst; 4 bank groups x 4 banks per pseudo-channel and stack ID; 6.4 Gb/s
 * per pin = <b>25.6 GB/s per pseudo-channel</b> (819 GB/s per stack); fCK = data rate / 4, so
 * tCK = 625 ps and a BL8 burst takes 2 tCK. Numbers are Ramulator 2's {@code HBM3_6.4Gbps}
 * timing preset and {@code HBM3_8Gb_1R} organisation ({@code src/dram/impl/HBM3.cpp},
 * CMU-SAFARI/ramulator2, which cites JESD238A for the organisation and DRAMsim3's HBM2
 * nanosecond values for the timings): nCL 23, nCWL 7, nRCD 23, nRP 23, nRAS 55, nRRD_S 2,
 * nRRD_L 4, nFAW 48, nWR 26, nRTP 10 (nRTPL), nWTR 13 (nWTRL), nCCD_S 2, nCCD_L 4, nREFI 6240
 * (3.9 us), nRFC 560 (its 350 ns for 8 Gbit dies), 32768 rows, 1 KiB page (32 columns x 32 DQ x
 * prefetch 8). Deviations: nRC is 78, not Ramulator's 77, because 77 < nRAS + nRP = 78 (each
 * ns value was rounded separately) and this class enforces nRC >= nRAS + nRP; refresh is
 * all-bank (REFab), Ramulator also models per-bank REFsb. Default mapping
 * {@code row-bank-column-bankgroup} so a stream alternates bank groups (nCCD_S = burst time)
 * instead of being throttled by nCCD_L = 2 bursts.
 */
public final class Hbm3Channel implements DramPreset {
    @Override public String name() { return DramPresets.HBM3_CHANNEL; }

    @Override
    public DramStandard standard() {
        return new DramStandard(DramPresets.HBM3_CHANNEL,
                2, 4, 4, 32768, 1024,
                32, 4, 32, 625,
                8, 23, 7, 23, 23, 55, 78,
                2, 4, 48, 26, 10, 13, 2, 4,
                6240, 560,
                RowPolicy.OPEN, "row-bank-column-bankgroup");
    }
}
