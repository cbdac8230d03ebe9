package org.meshemu.workloads;

import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.Registry;

/** The registry of workloads by kind ({@code workload.kind}). */
public final class Workloads {
    public static final Registry<Workload> REGISTRY = Registry.of(Workload.class, "workload.kind");

    private Workloads() {}

    public static Workload named(String source, String kind) {
        return REGISTRY.named(source, kind);
    }

    /** The scenario's workload. */
    public static Workload of(LoadedScenario s) {
        return named(s.source(), s.scenario().workload().get("kind").asText());
    }

    /** The files the scenario's workload reads ({@link Workload#inputFiles}). */
    public static java.util.List<Workload.InputFiles> inputFiles(LoadedScenario s) {
        return of(s).inputFiles(s);
    }

    /** Plans the scenario's workload. */
    public static Plan plan(LoadedScenario s) {
        return of(s).plan(s);
    }
}
