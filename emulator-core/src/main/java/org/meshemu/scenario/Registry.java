package org.meshemu.scenario;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The extensions of one kind by the names scenarios give them. Every extension point of the
 * emulator is one registry, filled the same way: the implementations of the extension interface
 * {@code T} listed in {@code META-INF/services/<T's binary name>} of the module that holds them,
 * found by {@link ServiceLoader}. Adding a topology, a DRAM standard, a model family or a mapping
 * is one class and one line in that file.
 *
 * <p>An unknown name fails with the one message every extension point gives: the scenario field,
 * the value, and the registered names.
 */
public final class Registry<T extends Named> {
    private final String field;
    private final SortedMap<String, T> byName;

    private Registry(String field, SortedMap<String, T> byName) {
        this.field = field;
        this.byName = byName;
    }

    /**
     * The registered implementations of {@code type}; {@code field} is the scenario path whose
     * value names one ({@code hardware.noc.topology}), used in errors.
     */
    public static <T extends Named> Registry<T> of(Class<T> type, String field) {
        SortedMap<String, T> byName = new TreeMap<>();
        for (T t : ServiceLoader.load(type, type.getClassLoader())) {
            T earlier = byName.putIfAbsent(t.name(), t);
            if (earlier != null) {
                throw new IllegalStateException(type.getName() + " '" + t.name() + "' is registered twice: by "
                        + earlier.getClass().getName() + " and " + t.getClass().getName());
            }
        }
        if (byName.isEmpty()) throw new IllegalStateException("no " + type.getName() + " is registered (META-INF/services)");
        return new Registry<>(field, byName);
    }

    /** The extension called {@code name}; an unknown name is an {@link InputException} naming the field. */
    public T named(String name) {
        return lookup(field, name);
    }

    /** As {@link #named(String)}, the error also naming the scenario file {@code source}. */
    public T named(String source, String name) {
        return lookup(source + ": " + field, name);
    }

    private T lookup(String path, String name) {
        T t = name == null ? null : byName.get(name);
        if (t == null) throw new InputException(path, name == null ? "nothing" : "'" + name + "'", "one of " + names());
        return t;
    }

    /** The extension called {@code name}, if registered. */
    public Optional<T> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The registered names, sorted. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** Every registered extension, by name. */
    public Collection<T> all() {
        return byName.values();
    }

    /** The scenario field whose value names an extension of this registry. */
    public String field() {
        return field;
    }
}
