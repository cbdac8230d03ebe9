package org.meshemu.dram;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.meshemu.dram.mapping.AddressMappings;

/**
 * A DRAM standard: the organisation of one channel (or pseudo-channel) and its timing
 * constraints, as immutable, validated data. Constructing an instance guarantees every value is
 * usable by {@link BankTimingModel}; a bad value throws {@link DramConfigException} naming the
 * parameter, the value and the rule.
 *
 * <p>Timing parameters carry their JEDEC/Ramulator names and are counted in device clock cycles
 * of {@link #tCKps()} picoseconds; they are also the keys accepted by {@link #withOverrides(Map)}
 * (a scenario's {@code hardware.dram.overrides} of a {@link DramPreset}). "Same bank group" ({@code _L}) variants apply between banks of
 * one group, the {@code _S} variants between groups; with one bank group only {@code _L} matters.
 *
 * <p>Organisation describes the unit one {@link BankTimingModel} simulates: one (pseudo-)channel
 * whose banks share a data bus. {@link #pseudoChannels()} records how many such units the device
 * has, for device-level totals only.
 *
 * @param name            preset or user name, for messages and reports
 * @param pseudoChannels  independent (pseudo-)channels per device; each is one model instance
 * @param bankGroups      bank groups per channel (power of two)
 * @param banksPerGroup   banks per bank group (power of two)
 * @param rows            rows per bank (power of two)
 * @param rowBytes        row (page) size in bytes as seen by this channel (power of two)
 * @param dataBusBits     data bus width of the channel in bits
 * @param beatsPerClock   data beats per tCK: 2 for DDR; 4 for HBM3, whose data rate is 4x fCK
 * @param tsvWidthBits    vertical (TSV / hybrid-bond) data width for 3D stacks, 0 if not stacked
 * @param tCKps           device clock period in picoseconds
 * @param nBL             burst length in beats; one burst moves {@link #burstBytes()} bytes
 * @param nCL             read column command to first data
 * @param nCWL            write column command to first data
 * @param nRCD            ACT to column command, same bank
 * @param nRP             PRE to ACT, same bank
 * @param nRAS            ACT to PRE, same bank
 * @param nRC             ACT to ACT, same bank
 * @param nRRD_S          ACT to ACT, different bank group
 * @param nRRD_L          ACT to ACT, same bank group, different bank
 * @param nFAW            window in which at most four ACTs may be issued
 * @param nWR             end of write data to PRE, same bank (write recovery)
 * @param nRTP            read column command to PRE, same bank
 * @param nWTR            end of write data to read column command (bus turnaround)
 * @param nCCD_S          column to column, different bank group
 * @param nCCD_L          column to column, same bank group
 * @param nREFI           all-bank refresh interval
 * @param nRFC            all-bank refresh duration; every bank is unavailable meanwhile
 * @param rowPolicy       open-page or closed-page (auto-precharge) policy
 * @param addressMapping  name of a scheme registered in {@link AddressMappings}
 */
public record DramStandard(
        String name,
        int pseudoChannels, int bankGroups, int banksPerGroup, int rows, int rowBytes,
        int dataBusBits, int beatsPerClock, int tsvWidthBits, long tCKps,
        int nBL, int nCL, int nCWL, int nRCD, int nRP, int nRAS, int nRC,
        int nRRD_S, int nRRD_L, int nFAW, int nWR, int nRTP, int nWTR, int nCCD_S, int nCCD_L,
        int nREFI, int nRFC,
        RowPolicy rowPolicy, String addressMapping) {

    private static final long PS_PER_SECOND = 1_000_000_000_000L;

    /** Validates every field; see the class contract for the message format. */
    public DramStandard {
        if (name == null || name.isBlank()) {
            throw DramConfigException.expected("name", "a non-blank string", name);
        }
        atLeast("pseudoChannels", pseudoChannels, 1);
        powerOfTwo("bankGroups", bankGroups);
        powerOfTwo("banksPerGroup", banksPerGroup);
        powerOfTwo("rows", rows);
        powerOfTwo("rowBytes", rowBytes);
        atLeast("dataBusBits", dataBusBits, 8);
        if (dataBusBits % 8 != 0) {
            throw DramConfigException.expected("dataBusBits", "a multiple of 8", dataBusBits);
        }
        if (beatsPerClock != 1 && beatsPerClock != 2 && beatsPerClock != 4) {
            throw DramConfigException.expected("beatsPerClock", "1 (SDR), 2 (DDR) or 4 (QDR)", beatsPerClock);
        }
        if (tsvWidthBits != 0 && tsvWidthBits < dataBusBits) {
            throw DramConfigException.expected("tsvWidthBits",
                    "0 (not stacked) or >= dataBusBits (" + dataBusBits + ")", tsvWidthBits);
        }
        atLeast("tCKps", tCKps, 1);

        atLeast("nBL", nBL, 1);
        if (nBL % beatsPerClock != 0) {
            // A burst must occupy whole clock cycles, otherwise bus occupancy is not a cycle count.
            throw DramConfigException.expected("nBL", "a multiple of beatsPerClock (" + beatsPerClock + ")", nBL);
        }
        long burst = (long) dataBusBits * nBL / 8;
        if (Long.bitCount(burst) != 1 || burst > rowBytes) {
            throw DramConfigException.expected("nBL",
                    "such that a burst (dataBusBits*nBL/8 = " + burst + " B) is a power of two <= rowBytes ("
                            + rowBytes + ")", nBL);
        }
        atLeast("nCL", nCL, 1);
        atLeast("nCWL", nCWL, 1);
        atLeast("nRCD", nRCD, 1);
        atLeast("nRP", nRP, 1);
        atLeast("nRAS", nRAS, nRCD, "nRCD");
        atLeast("nRC", nRC, nRAS + nRP, "nRAS + nRP");
        atLeast("nRRD_S", nRRD_S, 1);
        atLeast("nRRD_L", nRRD_L, nRRD_S, "nRRD_S");
        atLeast("nFAW", nFAW, nRRD_S, "nRRD_S");
        atLeast("nWR", nWR, 1);
        atLeast("nRTP", nRTP, 1);
        atLeast("nWTR", nWTR, 0);
        atLeast("nCCD_S", nCCD_S, 1);
        atLeast("nCCD_L", nCCD_L, nCCD_S, "nCCD_S");
        atLeast("nRFC", nRFC, 1);
        // Between refreshes there must be room for one complete row cycle, or a burst could never fit.
        atLeast("nREFI", nREFI, (long) nRFC + nRC + nRCD + Math.max(nCL, nCWL) + nBL / beatsPerClock + nWR + nRP,
                "nRFC + nRC + nRCD + max(nCL, nCWL) + nBL/beatsPerClock + nWR + nRP");
        if (rowPolicy == null) {
            throw DramConfigException.expected("rowPolicy", "open or closed", null);
        }
        if (AddressMappings.REGISTRY.find(addressMapping).isEmpty()) {
            throw DramConfigException.expected("addressMapping", "one of " + AddressMappings.REGISTRY.names(), addressMapping);
        }
    }

    /**
     * Returns a copy with numeric parameters replaced by name; the copy is validated as a whole,
     * so overriding {@code nRAS} beyond {@code nRC - nRP} fails with a message naming {@code nRC}.
     */
    public DramStandard withOverrides(Map<String, ? extends Number> overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        RecordComponent[] components = DramStandard.class.getRecordComponents();
        Map<String, Integer> numericIndex = numericComponentIndex(components);
        Map<String, Object> converted = new LinkedHashMap<>();
        overrides.forEach((key, value) -> {
            Integer index = numericIndex.get(key);
            if (index == null) {
                throw new DramConfigException(key,
                        key + ": unknown parameter; valid parameters are " + numericIndex.keySet());
            }
            converted.put(key, convert(key, value, components[index].getType()));
        });
        return replace(converted);
    }

    /** Rebuilds the record with the named components replaced; the compact constructor re-validates. */
    private DramStandard replace(Map<String, Object> replacements) {
        RecordComponent[] components = DramStandard.class.getRecordComponents();
        Object[] values = currentValues(components);
        for (int i = 0; i < components.length; i++) {
            if (replacements.containsKey(components[i].getName())) {
                values[i] = replacements.get(components[i].getName());
            }
        }
        return construct(components, values);
    }

    /** Copy with another row-buffer policy. */
    public DramStandard withRowPolicy(RowPolicy policy) {
        return replace(Collections.singletonMap("rowPolicy", policy));
    }

    /** Copy with another address mapping scheme (validated against {@link AddressMappings}). */
    public DramStandard withAddressMapping(String mapping) {
        return replace(Collections.singletonMap("addressMapping", mapping));
    }

    /** Banks in this channel, over all bank groups. */
    public int banks() {
        return bankGroups * banksPerGroup;
    }

    /** Bytes moved by one burst (one column access): {@code dataBusBits * nBL / 8}. */
    public int burstBytes() {
        return dataBusBits * nBL / 8;
    }

    /** Bursts per row, i.e. the number of burst-granular column addresses. */
    public int columnsPerRow() {
        return rowBytes / burstBytes();
    }

    /** Clock cycles the data bus is busy with one burst. */
    public int burstCycles() {
        return nBL / beatsPerClock;
    }

    /** Device clock in MHz, derived from {@link #tCKps()}. */
    public double clockMHz() {
        return 1e6 / tCKps;
    }

    /** Bytes addressable in this channel: banks x rows x rowBytes. */
    public long capacityBytes() {
        return (long) banks() * rows * rowBytes;
    }

    /** Data-bus peak of one channel: {@code dataBusBits/8 * beatsPerClock} bytes per tCK. */
    public double peakBytesPerSecond() {
        return (double) dataBusBits / 8 * beatsPerClock * PS_PER_SECOND / tCKps;
    }

    /** Peak of the whole device: {@link #peakBytesPerSecond()} times {@link #pseudoChannels()}. */
    public double devicePeakBytesPerSecond() {
        return peakBytesPerSecond() * pseudoChannels;
    }

    /** {@code cycles} device clock cycles in picoseconds. */
    public long ps(long cycles) {
        return cycles * tCKps;
    }

    private static void atLeast(String field, long value, long min) {
        if (value < min) {
            throw DramConfigException.expected(field, ">= " + min, value);
        }
    }

    private static void atLeast(String field, long value, long min, String minExpression) {
        if (value < min) {
            throw DramConfigException.expected(field, ">= " + minExpression + " (= " + min + ")", value);
        }
    }

    private static void powerOfTwo(String field, int value) {
        if (value < 1 || Integer.bitCount(value) != 1) {
            // Address mappings slice bit fields, which needs power-of-two field sizes.
            throw DramConfigException.expected(field, "a power of two >= 1", value);
        }
    }

    private static Map<String, Integer> numericComponentIndex(RecordComponent[] components) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < components.length; i++) {
            Class<?> type = components[i].getType();
            if (type == int.class || type == long.class) {
                index.put(components[i].getName(), i);
            }
        }
        return index;
    }

    private Object[] currentValues(RecordComponent[] components) {
        Object[] values = new Object[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                values[i] = components[i].getAccessor().invoke(this);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read record component", e);
        }
        return values;
    }

    private static Object convert(String key, Number value, Class<?> type) {
        if (value == null) {
            throw DramConfigException.expected(key, "a number", null);
        }
        double asDouble = value.doubleValue();
        long asLong = value.longValue();
        if (asDouble != (double) asLong && !(value instanceof Long)) {
            throw DramConfigException.expected(key, "an integer (cycles or counts)", value);
        }
        if (type == int.class) {
            if (asLong < Integer.MIN_VALUE || asLong > Integer.MAX_VALUE) {
                throw DramConfigException.expected(key, "within int range", value);
            }
            return (int) asLong;
        }
        return asLong;
    }

    private static DramStandard construct(RecordComponent[] components, Object[] values) {
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            Constructor<DramStandard> canonical = DramStandard.class.getDeclaredConstructor(types);
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime; // validation failure from the compact constructor, already well-formed
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct DramStandard", e);
        }
    }
}
