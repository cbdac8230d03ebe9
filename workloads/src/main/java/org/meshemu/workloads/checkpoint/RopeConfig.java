package org.meshemu.workloads.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rotary position embedding parameters, from either config layout: {@code rope_theta} + {@code rope_scaling}
 * (older) or {@code rope_parameters} (newer HF).
 *
 * <p>Contract: {@code type} is "default" or "longrope"; for longrope the factor arrays have head_dim/2 entries,
 * and the short factors and mscale apply while the sequence is at most {@code originalMaxPositionEmbeddings}
 * long, the long ones beyond (as HF's Phi-MoE rotary embedding does). For "default" the factor arrays are null.
 */
public record RopeConfig(double theta, String type, float[] shortFactor, float[] longFactor, double shortMscale,
                         double longMscale, int originalMaxPositionEmbeddings) {

    public static RopeConfig standard(double theta) {
        return new RopeConfig(theta, "default", null, null, 1.0, 1.0, 0);
    }

    public boolean isLongRope() {
        return type.equals("longrope");
    }

    /** Whether a forward call whose last position is seqLen - 1 uses the long factors and mscale. */
    public boolean usesLongFactors(int seqLen) {
        return isLongRope() && seqLen > originalMaxPositionEmbeddings;
    }

    /** The cos/sin multiplier for a forward call whose last position is seqLen - 1. */
    public float mscaleFor(int seqLen) {
        if (!isLongRope()) {
            return 1.0f;
        }
        return (float) (usesLongFactors(seqLen) ? longMscale : shortMscale);
    }

    static RopeConfig parse(ConfigJson c, double defaultTheta, int headDim) {
        JsonNode params = c.root().get("rope_parameters");
        JsonNode scaling;
        String where;
        double theta;
        if (params != null && params.isObject()) {
            where = "rope_parameters";
            scaling = params;
            JsonNode t = params.get("rope_theta");
            theta = t != null ? c.asDouble("rope_parameters.rope_theta", t) : c.optDouble("rope_theta", defaultTheta);
        } else {
            where = "rope_scaling";
            JsonNode s = c.root().get("rope_scaling");
            scaling = s != null && s.isObject() ? s : null;
            if (s != null && !s.isNull() && scaling == null) {
                throw c.error("rope_scaling", "must be an object or null, got " + s);
            }
            theta = c.optDouble("rope_theta", defaultTheta);
        }
        if (!(theta > 0)) {
            throw c.error("rope_theta", "must be > 0, got " + theta);
        }
        String type = "default";
        if (scaling != null) {
            JsonNode t = scaling.has("rope_type") ? scaling.get("rope_type") : scaling.get("type");
            if (t != null && !t.isNull()) {
                type = t.asText();
            }
        }
        if (type.equals("su")) {
            type = "longrope"; // the pre-release name of the same scheme in early Phi-3 configs
        }
        return switch (type) {
            case "default" -> standard(theta);
            case "longrope" -> {
                float[] sf = c.asFloats(where + ".short_factor", scaling.get("short_factor"), headDim / 2);
                float[] lf = c.asFloats(where + ".long_factor", scaling.get("long_factor"), headDim / 2);
                double sm = requiredNumber(c, scaling, where, "short_mscale");
                double lm = requiredNumber(c, scaling, where, "long_mscale");
                JsonNode om = scaling.get("original_max_position_embeddings");
                int original = om != null ? c.asInt(where + ".original_max_position_embeddings", om)
                        : c.optInt("original_max_position_embeddings", -1);
                if (original < 1) {
                    throw c.missing("original_max_position_embeddings");
                }
                yield new RopeConfig(theta, "longrope", sf, lf, sm, lm, original);
            }
            default -> throw c.error(where + ".rope_type", "rope type '" + type
                    + "' is not supported (supported: default, longrope)");
        };
    }

    private static double requiredNumber(ConfigJson c, JsonNode scaling, String where, String key) {
        JsonNode n = scaling.get(key);
        if (n == null || n.isNull()) {
            throw c.missing(where + "." + key);
        }
        return c.asDouble(where + "." + key, n);
    }

    /** Writes the older layout (rope_theta + rope_scaling), which is what the released checkpoints carry. */
    void writeTo(ObjectNode json) {
        json.put("rope_theta", theta);
        if (!isLongRope()) {
            json.putNull("rope_scaling");
            return;
        }
        ObjectNode s = json.putObject("rope_scaling");
        s.put("type", "longrope");
        var sf = s.putArray("short_factor");
        for (float f : shortFactor) {
            sf.add(f);
        }
        var lf = s.putArray("long_factor");
        for (float f : longFactor) {
            lf.add(f);
        }
        s.put("short_mscale", shortMscale);
        s.put("long_mscale", longMscale);
        s.put("original_max_position_embeddings", originalMaxPositionEmbeddings);
        json.put("original_max_position_embeddings", originalMaxPositionEmbeddings);
    }
}
