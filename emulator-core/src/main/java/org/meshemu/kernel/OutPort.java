package org.meshemu.kernel;

import java.util.Objects;

/**
 * An output port of a component: its position in the component's output list (used on the hot
 * path instead of a name lookup), its name, and the type of message sent through it.
 */
public record OutPort<T>(int index, String name, Class<T> type) {
    public OutPort {
        if (index < 0) throw new IllegalArgumentException("port index must be >= 0, got " + index);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
