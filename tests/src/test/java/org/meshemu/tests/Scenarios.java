package org.meshemu.tests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.RunObserver;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.ScenarioLoader;

/** Helpers of the end-to-end tests: the shipped scenarios and inline ones, loaded with overrides and run into a directory. */
final class Scenarios {
    private Scenarios() {}

    /** The file of a shipped scenario (the tests run in the tests module's directory). */
    static Path file(String name) {
        return Path.of("..", "scenarios", name + ".yaml");
    }

    /** A shipped scenario with {@code --set} overrides. */
    static LoadedScenario shipped(String name, String... overrides) {
        return ScenarioLoader.load(file(name), List.of(overrides));
    }

    static LoadedScenario inline(String yaml, String... overrides) {
        return ScenarioLoader.parse("test.yaml", yaml, List.of(overrides));
    }

    static RunReport run(LoadedScenario s, Path out) {
        return Runner.run(s, out, RunObserver.NONE).report();
    }

    /** Runs a shipped scenario with overrides. */
    static RunReport run(String name, Path out, String... overrides) {
        return run(shipped(name, overrides), out);
    }

    static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
