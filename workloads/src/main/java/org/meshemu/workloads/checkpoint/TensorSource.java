package org.meshemu.workloads.checkpoint;

import java.nio.ByteBuffer;
import java.util.Set;
import org.meshemu.tensor.Stored;
import org.meshemu.tensor.Tensor;

/**
 * A set of named tensors, from files or from memory; the weight loaders read only through this.
 *
 * <p>{@link #location(String)} names where a tensor lives (or would live), for error messages.
 */
public interface TensorSource {

    Set<String> names();

    /** The tensor's header entry, or null when absent. */
    TensorInfo info(String name);

    /** The tensor's data; throws {@link CheckpointException} naming file and tensor when absent or unreadable. */
    Tensor read(String name);

    /**
     * A floating tensor [rows, cols] as stored (its own dtype), read in place where the source can (a
     * mapped file: no heap); by default the values of {@link #read}, compacted onto the heap.
     */
    default Stored matrix(String name, int rows, int cols) {
        Tensor t = read(name);
        return Stored.compact(t.dtype(), rows, cols, t.f32());
    }

    /**
     * The index of the first NaN or infinite element of the floating tensor [rows, cols], or -1; by default read
     * through {@link #matrix}. A file source streams the tensor instead, so checking maps none of it.
     */
    default long firstNonFinite(String name, int rows, int cols) {
        Stored m = matrix(name, rows, cols);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            m.widenRow(r, row, 0);
            for (int c = 0; c < cols; c++) if (!Float.isFinite(row[c])) return (long) r * cols + c;
        }
        return -1;
    }

    /** A U8 [out/4, in] tensor of packed ternary weights as the ternary [out, in] matrix, read in place where the source can. */
    default Stored packedTernary(String name, int out, int in) {
        return Stored.ternary(ByteBuffer.wrap(read(name).bytes()), out, in);
    }

    /** The file a tensor is in, or the file that would hold it when absent (e.g. the index file). */
    String location(String name);
}
