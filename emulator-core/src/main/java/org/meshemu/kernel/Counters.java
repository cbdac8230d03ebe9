package org.meshemu.kernel;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A report's named counts ({@link ComponentReport#counters}): an immutable map whose names are one
 * array, which all the reports of a model share where it passes a constant one, and whose values
 * are a {@code long[]}. A wafer's hundreds of thousands of components report together at the end
 * of a run, and their reports live to its end: as general maps each was a hash table, a boxed
 * number per count and often a copy, and collecting them took a third of a 256 x 256 GEMV's wall
 * time (docs/PERFORMANCE.md). Iterates in the order of its names (the wire keeps it, so sums over
 * the counts come out the same in a cluster). A lookup by name scans the names: reports hold a few
 * counts (a lead core's marks are the most, hundreds).
 */
public final class Counters extends AbstractMap<String, Long> {
    private static final Counters NONE = new Counters(new String[0], new long[0]);

    private final String[] names;
    private final long[] values;

    private Counters(String[] names, long[] values) {
        this.names = names;
        this.values = values;
    }

    /**
     * Counts {@code values[i]} named {@code names[i]}. Both arrays are kept, not copied (the names a
     * model's constant, shared by its reports; the values made for this report), and must not change
     * after; the names must be distinct.
     */
    public static Counters of(String[] names, long... values) {
        if (names.length != values.length) {
            throw new IllegalArgumentException(names.length + " counter names for " + values.length + " values");
        }
        for (int i = 0; i < names.length; i++) {
            java.util.Objects.requireNonNull(names[i], "counter name");
            for (int j = 0; j < i; j++) {
                if (names[i].equals(names[j])) throw new IllegalArgumentException("counter '" + names[i] + "' named twice");
            }
        }
        return new Counters(names, values);
    }

    /** The counts of {@code counts}, in its iteration order; a Counters is returned as it is. */
    public static Counters copyOf(Map<String, Long> counts) {
        if (counts instanceof Counters c) return c;
        @SuppressWarnings("unchecked") Map.Entry<String, Long>[] entries = counts.entrySet().toArray(new Map.Entry[0]);
        if (entries.length == 0) return NONE;
        String[] names = new String[entries.length];
        long[] values = new long[entries.length];
        for (int i = 0; i < entries.length; i++) {
            Map.Entry<String, Long> e = entries[i];
            names[i] = java.util.Objects.requireNonNull(e.getKey(), "counter name");
            values[i] = java.util.Objects.requireNonNull(e.getValue(), () -> "counter '" + e.getKey() + "'");
        }
        return new Counters(names, values);
    }

    /** These counts followed by {@code more}'s; a name in both is an error. */
    public Counters plus(Counters more) {
        if (more.names.length == 0) return this;
        if (names.length == 0) return more;
        for (String name : more.names) { // each side's names are distinct already
            if (indexOf(name) >= 0) throw new IllegalArgumentException("counter '" + name + "' named twice");
        }
        String[] n = Arrays.copyOf(names, names.length + more.names.length);
        System.arraycopy(more.names, 0, n, names.length, more.names.length);
        long[] v = Arrays.copyOf(values, n.length);
        System.arraycopy(more.values, 0, v, values.length, more.values.length);
        return new Counters(n, v);
    }

    /** The count named {@code name}, or {@code otherwise}. */
    public long get(String name, long otherwise) {
        int i = indexOf(name);
        return i < 0 ? otherwise : values[i];
    }

    private int indexOf(Object name) {
        for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return i;
        return -1;
    }

    @Override public int size() { return names.length; }

    @Override public boolean containsKey(Object name) { return indexOf(name) >= 0; }

    @Override
    public Long get(Object name) {
        int i = indexOf(name);
        return i < 0 ? null : values[i];
    }

    @Override
    public Long getOrDefault(Object name, Long otherwise) {
        int i = indexOf(name);
        return i < 0 ? otherwise : values[i];
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Long> action) {
        for (int i = 0; i < names.length; i++) action.accept(names[i], values[i]);
    }

    @Override
    public Set<Map.Entry<String, Long>> entrySet() {
        return new AbstractSet<>() {
            @Override public int size() { return names.length; }

            @Override
            public Iterator<Map.Entry<String, Long>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override public boolean hasNext() { return i < names.length; }

                    @Override
                    public Map.Entry<String, Long> next() {
                        if (i == names.length) throw new NoSuchElementException();
                        Map.Entry<String, Long> e = new SimpleImmutableEntry<>(names[i], values[i]);
                        i++;
                        return e;
                    }
                };
            }
        };
    }
}
