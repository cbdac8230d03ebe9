package org.meshemu.dram.mapping;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import org.meshemu.dram.DramConfigException;

import static org.meshemu.dram.mapping.BitSliceMapping.Field.BANK;
import static org.meshemu.dram.mapping.BitSliceMapping.Field.BANK_GROUP;
import static org.meshemu.dram.mapping.BitSliceMapping.Field.COLUMN;
import static org.meshemu.dram.mapping.BitSliceMapping.Field.ROW;

/**
 * Registry of address mapping schemes by name. Names list fields from most to least significant,
 * Ramulator style ({@code row-bank-column} = RoBaCo).
 *
 * <ul>
 *   <li>{@code row-bank-column}: column bits lowest, then flat bank, then row; a sequential
 *       stream stays in one row of one bank for a whole row.</li>
 *   <li>{@code row-column-bank}: flat bank lowest; consecutive bursts go to consecutive banks
 *       (alternating bank groups), maximising bank parallelism for small strided accesses.</li>
 *   <li>{@code row-bank-column-bankgroup}: bank group lowest, then column, then bank; a stream
 *       alternates bank groups every burst (so only the short {@code nCCD_S} applies) while each
 *       bank still streams a whole row. The usual choice for bank-grouped standards like HBM3.</li>
 * </ul>
 *
 * <p>Further schemes can be added with {@link #register(String, Function)} before standards
 * naming them are constructed.
 */
public final class AddressMappings {

    private static final Map<String, Function<Geometry, AddressMapping>> SCHEMES = new TreeMap<>();

    static {
        registerOrder("row-bank-column", List.of(COLUMN, BANK, ROW));
        registerOrder("row-column-bank", List.of(BANK, COLUMN, ROW));
        registerOrder("row-bank-column-bankgroup", List.of(BANK_GROUP, COLUMN, BANK, ROW));
    }

    private AddressMappings() {
    }

    /** Registers (or replaces) a scheme; the factory receives the channel geometry. */
    public static synchronized void register(String name, Function<Geometry, AddressMapping> factory) {
        SCHEMES.put(name, factory);
    }

    /** Registered scheme names, sorted. */
    public static synchronized SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(SCHEMES.keySet()));
    }

    /** Instantiates scheme {@code name} for {@code geometry}; unknown names fail listing the valid ones. */
    public static synchronized AddressMapping create(String name, Geometry geometry) {
        Function<Geometry, AddressMapping> factory = SCHEMES.get(name);
        if (factory == null) {
            throw new DramConfigException("addressMapping",
                    "addressMapping: must be one of " + SCHEMES.keySet() + ", got " + name);
        }
        return factory.apply(geometry);
    }

    private static void registerOrder(String name, List<BitSliceMapping.Field> lowToHigh) {
        register(name, geometry -> new BitSliceMapping(name, geometry, lowToHigh));
    }
}
