package org.meshemu.workloads.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.meshemu.workloads.generate.ModelFamily;

/**
 * Loads an HF-layout checkpoint directory ({@code config.json} + safetensors) into the weights of its family.
 *
 * <p>Contract: the family is chosen by {@code model_type} through the {@link ModelFamily} registry; every tensor
 * the config implies is checked for presence, type and shape before any weights are returned, so a returned
 * {@link ModelWeights} is complete. All failures are {@link CheckpointException}s naming file and tensor/key.
 */
public final class Checkpoint {
    public static final String CONFIG_FILE = "config.json";

    private Checkpoint() {
    }

    /** Reads {@code dir/config.json} and the safetensors beside it. */
    public static ModelWeights open(Path dir) {
        return open(dir, true);
    }

    /** As {@link #open(Path)}; {@code values} false reads only the headers (shape-only weights, timing mode). */
    public static ModelWeights open(Path dir, boolean values) {
        ModelConfig config = readConfig(dir);
        try (SafetensorsCheckpoint tensors = SafetensorsCheckpoint.open(dir)) {
            return load(tensors, config, values);
        }
    }

    /** The files of {@code dir} a load reads, relative to it: {@code config.json}, then the safetensors files. */
    public static java.util.List<String> files(Path dir) {
        java.util.List<String> files = new java.util.ArrayList<>(java.util.List.of(CONFIG_FILE));
        try (SafetensorsCheckpoint tensors = SafetensorsCheckpoint.open(dir)) {
            files.addAll(tensors.files());
        }
        return files;
    }

    public static ModelConfig readConfig(Path dir) {
        Path file = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(dir + ": no " + CONFIG_FILE);
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new CheckpointException(CONFIG_FILE + ": not valid JSON (" + e.getMessage().replace('\n', ' ')
                    + ")", e);
        }
        return parseConfig(json, CONFIG_FILE);
    }

    /** Parses config.json content; {@code source} names it in messages (a file name or a scenario path). */
    public static ModelConfig parseConfig(JsonNode json, String source) {
        ConfigJson c = new ConfigJson(json, source);
        String type = c.reqString("model_type");
        ModelFamily family = ModelFamily.REGISTRY.find(type).orElseThrow(() -> c.error("model_type",
                "unsupported model type \"" + type + "\" (supported: " + String.join(", ", ModelFamily.REGISTRY.names()) + ")"));
        return family.parseConfig(c);
    }

    /**
     * Parses a config given apart from its family, e.g. a scenario's {@code model: {family, config, seed}}:
     * {@code model_type} may be omitted from {@code json}, and must equal {@code family} when present.
     */
    public static ModelConfig parseConfig(String family, JsonNode json, String source) {
        ConfigJson c = new ConfigJson(json, source);
        String declared = c.optString("model_type", family);
        if (!declared.equals(family)) {
            throw c.error("model_type", "is \"" + declared + "\" but the family is \"" + family + "\"");
        }
        ObjectNode typed = ((ObjectNode) json).deepCopy();
        return parseConfig(typed.put("model_type", family), source);
    }

    /** Builds the weights of {@code config}'s family from any tensor source, validating every tensor. */
    public static ModelWeights load(TensorSource tensors, ModelConfig config) {
        return load(tensors, config, true);
    }

    /** As {@link #load(TensorSource, ModelConfig)}; {@code values} false checks the headers only and reads no data. */
    public static ModelWeights load(TensorSource tensors, ModelConfig config, boolean values) {
        return family(config).load(config, tensors, values);
    }

    /** The family a config belongs to, registered under its {@code model_type}. */
    public static ModelFamily family(ModelConfig config) {
        return ModelFamily.REGISTRY.find(config.modelType()).orElseThrow(() -> new IllegalStateException(
                "no model family is registered for model_type '" + config.modelType() + "'"));
    }
}
