package org.meshemu.scenario;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A validated scenario with where it came from and the effective document it was bound from.
 *
 * @param source   the file (or resource) name, used in every message
 * @param scenario the validated records
 * @param sha256   hash of the effective document (defaults, file and overrides), for the report
 * @param tree     the effective document
 */
public record LoadedScenario(String source, Scenario scenario, String sha256, JsonNode tree) {
    /** Binds the workload section to a workload's own record, reporting paths under {@code workload}. */
    public <T> T bindWorkload(Class<T> type) {
        com.fasterxml.jackson.databind.node.ObjectNode params = scenario.workload().deepCopy();
        params.remove("kind");
        return ScenarioLoader.bind(source, params, type, "workload");
    }

    /** Binds the model section to a record, reporting paths under {@code model}; false-y when it is empty. */
    public <T> T bindModel(Class<T> type) {
        return ScenarioLoader.bind(source, scenario.model(), type, "model");
    }
}
