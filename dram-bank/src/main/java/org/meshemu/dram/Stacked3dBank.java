package org.meshemu.dram;

/**
 * {@code stacked-3d-bank}: DRAM stacked over one AI core.
 *
 * <p>The slice of a logic-on-DRAM 3D stack (hybrid-bonded or TSV-connected DRAM directly above each
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
 */
public final class Stacked3dBank implements DramPreset {
    @Override public String name() { return DramPresets.STACKED_3D_BANK; }

    @Override
    public DramStandard standard() {
        return new DramStandard(DramPresets.STACKED_3D_BANK,
                1, 1, 8, 16384, 2048,
                128, 2, 128, 1000,
                2, 14, 4, 14, 14, 34, 48,
                4, 4, 30, 16, 6, 8, 1, 1,
                3900, 260,
                RowPolicy.OPEN, "row-bank-column");
    }
}
