package org.meshemu.wire;

import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * The classes a module sends over channels (event payloads and what they hold), registered by
 * {@link ServiceLoader} ({@code META-INF/services/org.meshemu.wire.WireTypes}). Events cross JVMs
 * only between partitions, and every payload class must be listed here to cross: the serializer
 * refuses an unlisted class by name rather than send its name on the wire.
 */
public interface WireTypes {
    /** This module's payload classes (records, enums, or classes the serializer knows). */
    List<Class<?>> types();

    /** Every registered payload class, in name order: the same order, so the same ids, in every JVM of one build. */
    static List<Class<?>> all() {
        return ServiceLoader.load(WireTypes.class).stream()
                .flatMap(p -> p.get().types().stream())
                .distinct()
                .sorted(Comparator.comparing(Class::getName))
                .toList();
    }

    /** The payloads of this package and the tensors they carry. */
    final class Core implements WireTypes {
        @Override
        public List<Class<?>> types() {
            return Stream.of(Packet.class, MemoryRequest.Read.class, MemoryRequest.Write.class, MemoryResponse.ReadData.class,
                    MemoryResponse.WriteAck.class, org.meshemu.tensor.Tile.class, org.meshemu.tensor.DType.class).toList();
        }
    }
}
