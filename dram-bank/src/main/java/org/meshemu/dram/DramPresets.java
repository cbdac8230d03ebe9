package org.meshemu.dram;

import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Registry of named {@link DramStandard} presets. Every preset is a complete, validated standard;
 * callers adapt one with {@link DramStandard#preset(String, Map)} rather than writing a standard
 * from scratch, so the numbers and their sources live in one place.
 *
 * <h2>{@code stacked-3d-bank}: DRAM stacked over one AI core</h2>
 * The slice of a logic-on-DRAM 3D stack (hybrid-bonded or TSV-connected DRAM directly above each
 * core, as in Voxel/DeepStack-style designs) that one core owns, modelled as one channel.
 * <ul>
 *   <li><b>Interface</b>: 128-bit vertical data path (TSV / hybrid-bond width 128) at 1 GHz DDR
 *       = <b>32 GB/s per core slice</b>, the middle of the 16-64 GB/s per-bank range such designs
 *       quote. Sources for that range: UniIC SeDRAM, "A Stacked Embedded DRAM Array for
 *       LPDDR4/4X using Hybrid Bonding 3D Integration with 34GB/s/1Gb 0.88pJ/b Logic-to-Memory
 *       Interface", IEDM 2020 (34 GB/s per Gbit, so a 0.5-2 Gbit slice gives 17-68 GB/s);
 *       Jiang et al., "SSA-over-array (SSoA): a stacked DRAM architecture for near-memory
 *       computing", J. Semicond. 45(10):102201, 2024 (same group; bandwidth density as the
 *       figure of merit); DeepStack, arXiv:2604.04750, 2026 (DSE of distributed 3D-DRAM-stacked
 *       accelerators with per-bank activation constraints). Override {@code dataBusBits},
 *       {@code tsvWidthBits} and {@code tCKps} to move within the range (64 bits = 16 GB/s,
 *       256 bits = 64 GB/s at 1 GHz DDR).</li>
 *   <li><b>Sector</b>: 32 B bursts (128 bits x BL2), the access atom of GPU L2 sectors and of
 *       an HBM3 pseudo-channel burst; fine-grained access atoms are argued for by O'Connor et
 *       al., "Fine-Grained DRAM", MICRO 2017.</li>
 *   <li><b>Rows</b>: 2 KiB rows (64 sectors), 16384 rows x 8 banks = 256 MiB (2 Gbit) per core.
 *       Eight banks, one bank group: a single bank cannot stream across row switches
 *       (64 ns of data per row against ~34 ns of nRTP+nRP+nRCD), eight can hide them; use
 *       {@code banksPerGroup=1} to model a literal single bank.</li>
 *   <li><b>Array timing</b>: stacking changes the interface, not the cell array, so the array
 *       timings are those of DRAMsim3 {@code configs/HBM2_8Gb_x128.ini} (tCK 1 ns): nCL 14,
 *       nCWL 4, nRCD 14, nRP 14, nRAS 34, nRC = nRAS + nRP = 48, nRRD 4, nFAW 30, nWR 16,
 *       nRTP 6 (tRTP_L), nWTR 8 (tWTR_L), nREFI 3900, nRFC 260. nCCD 1 because a burst is one
 *       cycle and there are no bank groups.</li>
 * </ul>
 *
 * <h2>{@code hbm3-channel}: one HBM3 pseudo-channel</h2>
 * JEDEC JESD238 HBM3: 16 channels of 64 DQ per stack, each split into 2 pseudo-channels of
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
public final class DramPresets {

    /** Registry name of the per-core stacked DRAM preset. */
    public static final String STACKED_3D_BANK = "stacked-3d-bank";
    /** Registry name of the HBM3 pseudo-channel preset. */
    public static final String HBM3_CHANNEL = "hbm3-channel";

    private static final Map<String, Supplier<DramStandard>> PRESETS = new TreeMap<>();

    static {
        register(STACKED_3D_BANK, () -> new DramStandard(STACKED_3D_BANK,
                1, 1, 8, 16384, 2048,
                128, 2, 128, 1000,
                2, 14, 4, 14, 14, 34, 48,
                4, 4, 30, 16, 6, 8, 1, 1,
                3900, 260,
                RowPolicy.OPEN, "row-bank-column"));
        register(HBM3_CHANNEL, () -> new DramStandard(HBM3_CHANNEL,
                2, 4, 4, 32768, 1024,
                32, 4, 32, 625,
                8, 23, 7, 23, 23, 55, 78,
                2, 4, 48, 26, 10, 13, 2, 4,
                6240, 560,
                RowPolicy.OPEN, "row-bank-column-bankgroup"));
    }

    private DramPresets() {
    }

    /** Registers (or replaces) a preset; the supplier is called on every lookup. */
    public static synchronized void register(String name, Supplier<DramStandard> preset) {
        PRESETS.put(name, preset);
    }

    /** Registered preset names, sorted. */
    public static synchronized SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(PRESETS.keySet()));
    }

    /** The preset {@code name}; unknown names fail with {@code field() == "preset"} listing the valid ones. */
    public static synchronized DramStandard get(String name) {
        Supplier<DramStandard> preset = PRESETS.get(name);
        if (preset == null) {
            throw DramConfigException.expected("preset", "one of " + PRESETS.keySet(), name);
        }
        return preset.get();
    }
}
