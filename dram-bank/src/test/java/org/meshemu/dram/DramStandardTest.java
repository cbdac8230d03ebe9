package org.meshemu.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Presets, overrides and validation: every rejection names the parameter and the value. */
class DramStandardTest {

    private static DramConfigException reject(String preset, Map<String, Number> overrides) {
        return assertThrows(DramConfigException.class, () -> DramPresets.get(preset).withOverrides(overrides));
    }

    @Test
    void bothPresetsAreRegisteredAndValid() {
        assertEquals(java.util.List.of("hbm3-channel", "stacked-3d-bank"), java.util.List.copyOf(DramPresets.names()));
        DramStandard hbm3 = DramPresets.get(DramPresets.HBM3_CHANNEL);
        assertEquals(32, hbm3.burstBytes());
        assertEquals(16, hbm3.banks());
        assertEquals(2, hbm3.burstCycles());
        assertEquals(25.6e9, hbm3.peakBytesPerSecond(), 1e6);
        assertEquals(51.2e9, hbm3.devicePeakBytesPerSecond(), 1e6);
        assertEquals(1600.0, hbm3.clockMHz(), 1e-9);
        DramStandard stacked = DramPresets.get(DramPresets.STACKED_3D_BANK);
        assertEquals(32, stacked.burstBytes());
        assertEquals(64, stacked.columnsPerRow());
        assertEquals(32e9, stacked.peakBytesPerSecond(), 1e6);
        assertEquals(256L << 20, stacked.capacityBytes());
    }

    @Test
    void presetWithOverridesChangesOnlyTheNamedParameters() {
        DramStandard base = DramPresets.get(DramPresets.HBM3_CHANNEL);
        DramStandard tuned = DramPresets.get(DramPresets.HBM3_CHANNEL).withOverrides(Map.of("nRCD", 30, "nRC", 85L, "tCKps", 500));
        assertEquals(30, tuned.nRCD());
        assertEquals(85, tuned.nRC());
        assertEquals(500, tuned.tCKps());
        assertEquals(base.nRP(), tuned.nRP());
        assertEquals(base.withOverrides(Map.of("nRCD", 30, "nRC", 85, "tCKps", 500)), tuned);
        assertEquals(32e9, tuned.peakBytesPerSecond(), 1e6, "peak follows the overridden clock");
    }

    @Test
    void overridesThatWidenTheStackedBusCoverThe16To64GBpsRange() {
        assertEquals(16e9, DramPresets.get(DramPresets.STACKED_3D_BANK).withOverrides(
                Map.of("dataBusBits", 64, "tsvWidthBits", 64, "nBL", 4)).peakBytesPerSecond(), 1e6);
        assertEquals(64e9, DramPresets.get(DramPresets.STACKED_3D_BANK).withOverrides(
                Map.of("dataBusBits", 256, "tsvWidthBits", 256, "nBL", 2)).peakBytesPerSecond(), 1e6);
    }

    @Test
    void unknownOverrideKeyIsNamedAndValidKeysListed() {
        DramConfigException e = reject(DramPresets.HBM3_CHANNEL, Map.of("tRCD", 14));
        assertEquals("tRCD", e.field());
        assertTrue(e.getMessage().startsWith("tRCD: unknown parameter"), e.getMessage());
        assertTrue(e.getMessage().contains("nRCD") && e.getMessage().contains("nFAW"), e.getMessage());
    }

    @Test
    void unknownPresetIsNamed() {
        org.meshemu.scenario.InputException e = assertThrows(org.meshemu.scenario.InputException.class, () -> DramPresets.get("ddr9"));
        assertEquals("hardware.dram.preset: must be one of [fixed, hbm3-channel, stacked-3d-bank], got 'ddr9'", e.getMessage());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = ';', value = {
        "nRCD; 0; nRCD: must be >= 1, got 0",
        "nCL; -3; nCL: must be >= 1, got -3",
        "nRC; 77; nRC: must be >= nRAS + nRP (= 78), got 77",
        "nRAS; 22; nRAS: must be >= nRCD (= 23), got 22",
        "nRRD_L; 1; nRRD_L: must be >= nRRD_S (= 2), got 1",
        "nCCD_L; 1; nCCD_L: must be >= nCCD_S (= 2), got 1",
        "nREFI; 734; nREFI: must be >= nRFC + nRC + nRCD + max(nCL, nCWL) + nBL/beatsPerClock + nWR + nRP (= 735), got 734",
        "bankGroups; 3; bankGroups: must be a power of two >= 1, got 3",
        "rows; 0; rows: must be a power of two >= 1, got 0",
        "beatsPerClock; 3; beatsPerClock: must be 1 (SDR), 2 (DDR) or 4 (QDR), got 3",
        "nBL; 6; nBL: must be a multiple of beatsPerClock (4), got 6",
        "tsvWidthBits; 16; tsvWidthBits: must be 0 (not stacked) or >= dataBusBits (32), got 16",
        "dataBusBits; 12; dataBusBits: must be a multiple of 8, got 12",
        "tCKps; 0; tCKps: must be >= 1, got 0",
    })
    void badParameterIsRejectedNamingParameterRuleAndValue(String field, long value, String message) {
        DramConfigException e = reject(DramPresets.HBM3_CHANNEL, Map.of(field, value));
        assertEquals(field, e.field());
        assertEquals(message, e.getMessage());
    }

    @Test
    void nonIntegerCycleCountIsRejected() {
        DramConfigException e = reject(DramPresets.HBM3_CHANNEL, Map.of("nRCD", 7.5));
        assertEquals("nRCD", e.field());
        assertEquals("nRCD: must be an integer (cycles or counts), got 7.5", e.getMessage());
    }

    @Test
    void burstLargerThanRowIsRejectedOnNbl() {
        DramConfigException e = reject(DramPresets.STACKED_3D_BANK, Map.of("rowBytes", 16));
        assertEquals("nBL", e.field());
        assertTrue(e.getMessage().contains("rowBytes (16)"), e.getMessage());
    }

    @Test
    void unknownAddressMappingAndRowPolicyAreNamed() {
        DramStandard s = DramPresets.get(DramPresets.HBM3_CHANNEL);
        DramConfigException mapping = assertThrows(DramConfigException.class, () -> s.withAddressMapping("zigzag"));
        assertEquals("addressMapping", mapping.field());
        assertTrue(mapping.getMessage().contains("row-bank-column") && mapping.getMessage().endsWith("got zigzag"));
        DramConfigException policy = assertThrows(DramConfigException.class, () -> RowPolicy.parse("lazy"));
        assertEquals("rowPolicy", policy.field());
        assertEquals("rowPolicy: must be one of [open, closed], got lazy", policy.getMessage());
        assertEquals(RowPolicy.CLOSED, RowPolicy.parse("closed"));
    }
}
