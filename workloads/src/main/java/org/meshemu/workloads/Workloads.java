package org.meshemu.workloads;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.LoadedScenario;

/** The registry of workloads by kind. */
public final class Workloads {
    private static final Map<String, Workload> BY_KIND = new TreeMap<>();

    static {
        for (Workload w : ServiceLoader.load(Workload.class)) BY_KIND.put(w.kind(), w);
    }

    private Workloads() {}

    public static Workload named(String source, String kind) {
        Workload w = BY_KIND.get(kind);
        if (w == null) throw new InputException(source + ": workload.kind", "'" + kind + "'", "one of " + BY_KIND.keySet());
        return w;
    }

    /** The files the scenario's workload reads ({@link Workload#inputFiles}). */
    public static java.util.List<Workload.InputFiles> inputFiles(LoadedScenario s) {
        return named(s.source(), s.scenario().workload().get("kind").asText()).inputFiles(s);
    }

    /** Plans the scenario's workload. */
    public static Plan plan(LoadedScenario s) {
        return named(s.source(), s.scenario().workload().get("kind").asText()).plan(s);
    }
}
