package org.meshemu.wire;

import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;

/** What a core asks of a memory (a DRAM bank or channel). The {@code requester} is the port the answer goes back through. */
public sealed interface MemoryRequest permits MemoryRequest.Read, MemoryRequest.Write {
    long address();

    int requester();

    long bytes();

    /** Read a rows x cols tile of {@code dtype} stored at {@code address}. */
    record Read(int requester, long address, int rows, int cols, DType dtype) implements MemoryRequest {
        @Override public long bytes() { return dtype.bytes((long) rows * cols); }
    }

    /** Write {@code tile} at {@code address}. */
    record Write(int requester, long address, Tile tile) implements MemoryRequest {
        @Override public long bytes() { return tile.bytes(); }
    }
}
