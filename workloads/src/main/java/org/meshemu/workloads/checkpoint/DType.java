package org.meshemu.workloads.checkpoint;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The safetensors element types this project reads, with their width in bytes.
 *
 * <p>Floating types are widened to {@code float} on read; U8/I8 stay bytes; I32 stays ints.
 */
public enum DType {
    F32(4, true), BF16(2, true), F16(2, true), U8(1, false), I8(1, false), I32(4, false);

    private final int bytes;
    private final boolean floating;

    DType(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloating() {
        return floating;
    }

    /** The type named by a safetensors header, or null when the name is not one of ours. */
    static DType fromHeader(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    static String supportedList() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
