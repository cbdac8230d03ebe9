package org.meshemu.kernel;

import java.util.Objects;
import java.util.function.Function;

/**
 * An input port of a component: its name, the type of message it accepts, and how such a message
 * becomes a message of the component's own sealed protocol {@code M}. Declared once per component
 * kind as data, so the assembler can check every connection before anything runs.
 *
 * @param <T> the wire type accepted (for example {@link org.meshemu.wire.Packet})
 * @param <M> the component's protocol
 */
public record InPort<T, M>(String name, Class<T> type, Function<? super T, ? extends M> adapter) {
    public InPort {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(adapter, "adapter");
    }

    /** The assembler checked the channel's type, so no cast check is needed on the hot path. */
    @SuppressWarnings("unchecked")
    M adapt(Object payload) {
        return ((Function<Object, ? extends M>) adapter).apply(payload);
    }
}
