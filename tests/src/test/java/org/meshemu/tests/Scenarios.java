package org.meshemu.tests;

import java.nio.file.Path;
import java.util.List;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.RunObserver;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.ScenarioLoader;

/** Helpers of the end-to-end tests: the shipped scenarios and inline ones. */
final class Scenarios {
    private Scenarios() {}

    /** A shipped scenario file (the tests run in the tests module's directory). */
    static LoadedScenario shipped(String name, String... overrides) {
        return ScenarioLoader.load(Path.of("..", "scenarios", name + ".yaml"), List.of(overrides));
    }

    static LoadedScenario inline(String yaml, String... overrides) {
        return ScenarioLoader.parse("test.yaml", yaml, List.of(overrides));
    }

    static RunReport run(LoadedScenario s, Path out) {
        return Runner.run(s, out, RunObserver.NONE).report();
    }
}
