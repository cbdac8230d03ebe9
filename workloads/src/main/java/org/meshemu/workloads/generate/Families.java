package org.meshemu.workloads.generate;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The registry of model families the emulator can run, by name. */
public final class Families {
    private static final Map<String, ModelFamily> BY_NAME = new TreeMap<>();

    static {
        for (ModelFamily f : List.of(new RetNetFamily(), new BitNetFamily(), new PhiMoeFamily())) BY_NAME.put(f.name(), f);
    }

    public static final List<String> NAMES = List.copyOf(BY_NAME.keySet());

    private Families() {}

    /** The family named {@code name}, or null. */
    public static ModelFamily named(String name) {
        return BY_NAME.get(name);
    }
}
