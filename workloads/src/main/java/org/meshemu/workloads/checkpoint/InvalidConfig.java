package org.meshemu.workloads.checkpoint;

/**
 * A consistency failure found by a config record's constructor; config parsing turns it into a
 * {@link CheckpointException} naming config.json and the key.
 */
final class InvalidConfig extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String key;

    private InvalidConfig(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    String key() {
        return key;
    }

    String problem() {
        return getMessage().substring(key.length() + 2);
    }

    static void check(boolean ok, String key, Object value, String problem) {
        if (!ok) {
            throw new InvalidConfig(key, problem + ", got " + value);
        }
    }

    /** Grouped-query attention needs whole groups and a rotatable (even) head dimension. */
    static void checkAttention(int heads, int kvHeads, int headDim) {
        check(kvHeads >= 1 && heads % kvHeads == 0, "num_key_value_heads", kvHeads,
                "must be >= 1 and divide num_attention_heads (" + heads + ")");
        check(headDim >= 2 && headDim <= ConfigJson.MAX_DIM && headDim % 2 == 0, "head_dim", headDim,
                "must be even (rotate_half RoPE) and in [2, " + ConfigJson.MAX_DIM + "]");
    }
}
