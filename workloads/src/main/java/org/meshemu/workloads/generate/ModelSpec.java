package org.meshemu.workloads.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.workloads.checkpoint.Checkpoint;
import org.meshemu.workloads.checkpoint.ModelConfig;
import org.meshemu.workloads.checkpoint.ModelWeights;
import org.meshemu.workloads.checkpoint.RandomCheckpoint;

/**
 * The scenario's {@code model} section: {@code {family, checkpoint: DIR}} or {@code {family, config: {...},
 * seed: S}} (seeded random weights in the real layout; seed defaults to the scenario's).
 *
 * <p>Contract: {@link #of} validates the section (unknown keys, a registered family, exactly one weight
 * source); {@link #weights} loads or builds complete weights, failing with an {@link InputException}
 * naming the scenario path or the checkpoint file and tensor; {@link #shapes} does the same checks and
 * holds no values (timing mode: a full-size config plans in seconds and in modest memory).
 */
public record ModelSpec(String source, String family, Path checkpoint, JsonNode config, long seed) {
    private static final List<String> KEYS = List.of("checkpoint", "config", "family", "seed");

    public static ModelSpec of(LoadedScenario s) {
        String src = s.source();
        ObjectNode m = s.scenario().model();
        if (m.isEmpty()) {
            throw new InputException(src + ": model", "missing; a generate workload needs model: {family: " + String.join("|", ModelFamily.REGISTRY.names()) + ", "
                    + "checkpoint: DIR} or {family, config: {...}, seed: S}");
        }
        for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) throw new InputException(src + ": model." + k, "unknown key; expected one of " + KEYS);
        }
        JsonNode f = m.get("family");
        if (f == null || !f.isTextual()) throw new InputException(src + ": model.family", f == null ? "nothing" : f.toString(), "one of " + ModelFamily.REGISTRY.names());
        ModelFamily.REGISTRY.named(src, f.textValue());
        boolean hasCheckpoint = m.hasNonNull("checkpoint"), hasConfig = m.hasNonNull("config");
        if (hasCheckpoint == hasConfig) {
            throw new InputException(src + ": model", "give exactly one of checkpoint: DIR or config: {...}, got "
                    + (hasCheckpoint ? "both" : "neither"));
        }
        Path dir = null;
        if (hasCheckpoint) {
            if (!m.get("checkpoint").isTextual()) throw new InputException(src + ": model.checkpoint", m.get("checkpoint"), "a directory path");
            if (m.has("seed")) throw new InputException(src + ": model.seed", "only applies to config: {...} (random weights), not to a checkpoint");
            dir = Path.of(m.get("checkpoint").textValue());
            Path base = Path.of(src).toAbsolutePath().getParent();
            if (!dir.isAbsolute() && base != null && !src.startsWith("embedded ")) dir = base.resolve(dir).normalize();
            if (!java.nio.file.Files.isDirectory(dir)) {
                throw new InputException(src + ": model.checkpoint", "'" + dir + "'", "a checkpoint directory (config.json and *.safetensors)");
            }
        } else if (!m.get("config").isObject()) {
            throw new InputException(src + ": model.config", m.get("config"), "a mapping of HF config.json keys");
        }
        long seed = s.scenario().seed();
        if (m.has("seed")) {
            if (!m.get("seed").canConvertToLong() || !m.get("seed").isIntegralNumber()) throw new InputException(src + ": model.seed", m.get("seed"), "an integer");
            seed = m.get("seed").longValue();
        }
        return new ModelSpec(src, f.textValue(), dir, m.get("config"), seed);
    }

    public ModelFamily modelFamily() {
        return ModelFamily.REGISTRY.named(source, family);
    }

    public ModelWeights weights() {
        return weights(true);
    }

    /** Shape-only weights: a checkpoint's headers, or a random checkpoint's layout, without numbers. */
    public ModelWeights shapes() {
        return weights(false);
    }

    private ModelWeights weights(boolean values) {
        if (checkpoint != null) {
            ModelWeights w = Checkpoint.open(checkpoint, values);
            if (!w.config().modelType().equals(family)) {
                throw new InputException(source + ": model.family", "'" + family + "' but " + checkpoint + "/config.json says model_type '"
                        + w.config().modelType() + "'");
            }
            return w;
        }
        ModelConfig c = Checkpoint.parseConfig(family, config, source + ": model.config");
        return values ? RandomCheckpoint.build(c, seed) : RandomCheckpoint.shapes(c);
    }
}
