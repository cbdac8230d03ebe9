package org.meshemu.wire;

import org.meshemu.tensor.Tile;

/** A memory's answer to a {@link MemoryRequest}. */
public sealed interface MemoryResponse permits MemoryResponse.ReadData, MemoryResponse.WriteAck {
    long address();

    /** The tile read. */
    record ReadData(long address, Tile tile) implements MemoryResponse {}

    /** The write is durable. */
    record WriteAck(long address) implements MemoryResponse {}
}
