package org.meshemu.workloads.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed access to the keys of an HF {@code config.json}; unknown keys are ignored (HF configs carry many),
 * absent or ill-typed keys fail with a message naming the file and the key.
 */
public final class ConfigJson {

    /**
     * The config.json fields every attention-based family (Phi-MoE, BitNet, Phi-3) writes the same way;
     * the family adds its own after these.
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode attentionModel(String modelType, String architecture, int vocabSize,
            int hiddenSize, int intermediateSize, int layers, int heads, int kvHeads, int headDim, String activation,
            double rmsNormEps, RopeConfig rope) {
        var j = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        j.put("model_type", modelType);
        j.putArray("architectures").add(architecture);
        j.put("vocab_size", vocabSize);
        j.put("hidden_size", hiddenSize);
        j.put("intermediate_size", intermediateSize);
        j.put("num_hidden_layers", layers);
        j.put("num_attention_heads", heads);
        j.put("num_key_value_heads", kvHeads);
        j.put("head_dim", headDim);
        j.put("hidden_act", activation);
        j.put("rms_norm_eps", rmsNormEps);
        rope.writeTo(j);
        return j;
    }

    /** sliding_window as HF writes it: the window, or null for none (0 here). */
    static void putSlidingWindow(com.fasterxml.jackson.databind.node.ObjectNode j, int slidingWindow) {
        if (slidingWindow > 0) {
            j.put("sliding_window", slidingWindow);
        } else {
            j.putNull("sliding_window");
        }
    }

    /** torch_dtype, when the config declared one. */
    static void putDtype(com.fasterxml.jackson.databind.node.ObjectNode j, String dtype) {
        if (dtype != null) {
            j.put("torch_dtype", dtype);
        }
    }

    private final JsonNode root;
    private final String source;

    ConfigJson(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new CheckpointException(source + ": not a JSON object");
        }
        this.root = root;
        this.source = source;
    }

    public JsonNode root() {
        return root;
    }

    public String source() {
        return source;
    }

    public boolean has(String key) {
        JsonNode n = root.get(key);
        return n != null && !n.isNull();
    }

    public CheckpointException error(String key, String problem) {
        return new CheckpointException(source + ": key '" + key + "': " + problem);
    }

    public CheckpointException missing(String key) {
        return new CheckpointException(source + ": missing required key '" + key + "'");
    }

    public int reqInt(String key) {
        if (!has(key)) {
            throw missing(key);
        }
        return asInt(key, root.get(key));
    }

    public int optInt(String key, int fallback) {
        return has(key) ? asInt(key, root.get(key)) : fallback;
    }

    /** A positive integer dimension. */
    /** Bounds far above any real model, so that a typo cannot make the weights' layout take minutes or the heap. */
    public static final int MAX_DIM = 1 << 20, MAX_LAYERS = 1024;

    public int reqDim(String key) {
        return reqBetween(key, MAX_DIM);
    }

    public int reqLayers(String key) {
        return reqBetween(key, MAX_LAYERS);
    }

    private int reqBetween(String key, int max) {
        int v = reqInt(key);
        if (v < 1 || v > max) {
            throw error(key, "must be in [1, " + max + "], got " + v);
        }
        return v;
    }

    public double optDouble(String key, double fallback) {
        return has(key) ? asDouble(key, root.get(key)) : fallback;
    }

    public boolean optBool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode n = root.get(key);
        if (!n.isBoolean()) {
            throw error(key, "must be true or false, got " + n);
        }
        return n.booleanValue();
    }

    public String optString(String key, String fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode n = root.get(key);
        if (!n.isTextual()) {
            throw error(key, "must be a string, got " + n);
        }
        return n.textValue();
    }

    public String reqString(String key) {
        if (!has(key)) {
            throw missing(key);
        }
        return optString(key, null);
    }

    /** The torch dtype the checkpoint declares: newer configs say "dtype", older "torch_dtype". */
    public String dtype() {
        return optString("dtype", optString("torch_dtype", null));
    }

    public int asInt(String key, JsonNode n) {
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw error(key, "must be an integer, got " + n);
        }
        return n.intValue();
    }

    public double asDouble(String key, JsonNode n) {
        if (!n.isNumber()) {
            throw error(key, "must be a number, got " + n);
        }
        return n.doubleValue();
    }

    public float[] asFloats(String key, JsonNode n, int expectedLength) {
        if (n == null || !n.isArray()) {
            throw error(key, "must be an array of numbers, got " + n);
        }
        if (n.size() != expectedLength) {
            throw error(key, "must have " + expectedLength + " entries (head_dim / 2), got " + n.size());
        }
        float[] out = new float[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) asDouble(key, n.get(i));
        }
        return out;
    }
}
