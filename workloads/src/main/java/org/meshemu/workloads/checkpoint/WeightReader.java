package org.meshemu.workloads.checkpoint;

import java.util.Arrays;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Stored;
import org.meshemu.tensor.Tensor;

/**
 * Fetches weights by name for a loader, checking presence, element type and the shape the config implies,
 * with messages naming the file and the tensor. A shape-only reader makes the same checks from the headers
 * and never reads data: it returns null arrays (and packed ternary projections without bytes or scale).
 */
public final class WeightReader {
    private final TensorSource source;
    private final boolean values;

    public WeightReader(TensorSource source, boolean values) {
        this.source = source;
        this.values = values;
    }

    public TensorSource source() {
        return source;
    }

    public boolean has(String name) {
        return source.info(name) != null;
    }

    /** A floating tensor of exactly {@code shape}, widened to float. */
    public float[] floats(String name, int... shape) {
        requireFloating(name, shape);
        return values ? finite(name, source.read(name).f32()) : null;
    }

    /**
     * A floating matrix [rows, cols] held as the checkpoint holds it (bf16 stays 2 bytes a value; from a file,
     * mapped rather than copied onto the heap); null for a shape-only reader.
     */
    public Stored matrix(String name, int rows, int cols) {
        requireFloating(name, rows, cols);
        if (!values) return null;
        Stored m = source.matrix(name, rows, cols);
        long bad = source.firstNonFinite(name, rows, cols);
        if (bad >= 0) throw notFinite(name, bad, m.get((int) (bad / cols), (int) (bad % cols)));
        return m;
    }

    private void requireFloating(String name, int... shape) {
        TensorInfo info = require(name, shape);
        if (!info.dtype().isFloating()) {
            throw CheckpointException.tensor(source.location(name), name, "dtype " + SafetensorsTypes.name(info.dtype())
                    + " where a floating-point tensor (F32, BF16, F16) is expected");
        }
    }

    /** A NaN or infinite weight would silently poison every output; the checkpoint is refused, naming the element. */
    private float[] finite(String name, float[] data) {
        for (int i = 0; i < data.length; i++) if (!Float.isFinite(data[i])) throw notFinite(name, i, data[i]);
        return data;
    }

    private CheckpointException notFinite(String name, long element, float value) {
        return CheckpointException.tensor(source.location(name), name, "element " + element + " is " + value + "; weights must be finite numbers");
    }

    /** Like {@link #floats} but null when absent. */
    public float[] optionalFloats(String name, int... shape) {
        return has(name) ? floats(name, shape) : null;
    }

    /** A packed ternary projection: {@code prefix.weight} U8 [out/4, in] and {@code prefix.weight_scale} [1]. */
    public TernaryLinear ternary(String prefix, int out, int in) {
        String w = prefix + ".weight";
        TensorInfo info = require(w, out / 4, in);
        if (info.dtype() != DType.UINT8) {
            throw CheckpointException.tensor(source.location(w), w, "dtype " + SafetensorsTypes.name(info.dtype())
                    + " where packed ternary U8 [out/4, in] is expected (offline-quantised BitNet layout)");
        }
        Stored packed = values ? source.packedTernary(w, out, in) : null;
        String s = prefix + ".weight_scale";
        TensorInfo si = source.info(s);
        if (si == null) {
            throw missing(s);
        }
        if (si.numel() != 1 || si.shape().length > 1) {
            throw mismatch(s, si.shape(), new int[] {1});
        }
        float[] scale = floats(s, si.shape());
        if (scale == null) return TernaryLinear.shapeOnly(out, in);
        return new TernaryLinear(out, in, packed, scale[0]);
    }

    private TensorInfo require(String name, int... shape) {
        TensorInfo info = source.info(name);
        if (info == null) {
            throw missing(name);
        }
        if (!Arrays.equals(info.shape(), shape)) {
            throw mismatch(name, info.shape(), shape);
        }
        return info;
    }

    public CheckpointException missing(String name) {
        return CheckpointException.tensor(source.location(name), name,
                "missing (required by " + Checkpoint.CONFIG_FILE + ")");
    }

    private CheckpointException mismatch(String name, int[] actual, int[] expected) {
        return CheckpointException.tensor(source.location(name), name, "shape " + Tensor.shapeString(actual)
                + " does not match " + Checkpoint.CONFIG_FILE + " (expected " + Tensor.shapeString(expected) + ")");
    }
}
