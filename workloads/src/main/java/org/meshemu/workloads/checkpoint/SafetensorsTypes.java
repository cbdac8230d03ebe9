package org.meshemu.workloads.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import org.meshemu.tensor.DType;

/** The safetensors element type names this project reads and writes, and the {@link DType} each is. */
final class SafetensorsTypes {
    private static final Map<String, DType> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("F32", DType.FP32);
        BY_NAME.put("BF16", DType.BF16);
        BY_NAME.put("F16", DType.FP16);
        BY_NAME.put("U8", DType.UINT8);
        BY_NAME.put("I8", DType.INT8);
        BY_NAME.put("I32", DType.INT32);
    }

    private SafetensorsTypes() {}

    /** The type named by a safetensors header, or null when the name is not one of ours. */
    static DType fromHeader(String name) {
        return BY_NAME.get(name);
    }

    /** The header name of {@code t}, as messages and files say it ("F32", "U8"). */
    static String name(DType t) {
        for (Map.Entry<String, DType> e : BY_NAME.entrySet()) {
            if (e.getValue() == t) return e.getKey();
        }
        throw new IllegalArgumentException(t + " has no safetensors type");
    }

    static String supportedList() {
        return String.join(", ", BY_NAME.keySet());
    }

    /** Bytes of {@code numel} elements of {@code t}; ArithmeticException when that overflows a long. */
    static long bytes(DType t, long numel) {
        return Math.multiplyExact(numel, (long) t.bits() / 8);
    }
}
