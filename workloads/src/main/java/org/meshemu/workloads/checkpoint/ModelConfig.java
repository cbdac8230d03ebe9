package org.meshemu.workloads.checkpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The architecture hyper-parameters of one model family, as read from (and written to) HF {@code config.json}.
 *
 * <p>Contract: a config that exists is internally consistent (dimensions divide, features we do not implement are
 * rejected at parse time), so loaders and references need no further checks.
 */
public interface ModelConfig {

    /** The HF {@code model_type}, which is also the name its family is registered by. */
    String modelType();

    int vocabSize();

    /** The config as HF {@code config.json} content, readable back by {@link Checkpoint#parseConfig}. */
    ObjectNode toJson();
}
