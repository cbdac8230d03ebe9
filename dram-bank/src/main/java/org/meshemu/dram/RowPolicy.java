package org.meshemu.dram;

import java.util.Arrays;

/**
 * Row-buffer management policy of a channel: what happens to a row after a column access.
 *
 * <p>{@link #OPEN} leaves the row open so a later access to the same row is a hit;
 * {@link #CLOSED} issues the last column command of each access with auto-precharge
 * (RDA/WRA), trading row hits for never paying a precharge on the critical path of a conflict.
 */
public enum RowPolicy {
    OPEN("open"),
    CLOSED("closed");

    private final String configName;

    RowPolicy(String configName) {
        this.configName = configName;
    }

    /** The lower-case name used in configuration files ({@code open} or {@code closed}). */
    public String configName() {
        return configName;
    }

    /** Parses {@code open} / {@code closed}; anything else is a {@link DramConfigException} on {@code rowPolicy}. */
    public static RowPolicy parse(String name) {
        for (RowPolicy p : values()) {
            if (p.configName.equals(name)) {
                return p;
            }
        }
        throw DramConfigException.expected("rowPolicy",
                "one of " + Arrays.stream(values()).map(RowPolicy::configName).toList(), name);
    }
}
