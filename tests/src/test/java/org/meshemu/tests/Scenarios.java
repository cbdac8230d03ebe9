package org.meshemu.tests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.RunObserver;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.ScenarioLoader;

/** Helpers for end-to-end tests: the shipped scenarios, loaded with overrides, run into a directory. */
final class Scenarios {
    private Scenarios() {}

    /** The repository's scenarios/ folder (tests run in the tests/ module directory). */
    static Path shipped(String name) {
        return Path.of("..", "scenarios", name + ".yaml");
    }

    static LoadedScenario load(String name, String... overrides) {
        return ScenarioLoader.load(shipped(name), List.of(overrides));
    }

    static Runner.Outcome run(LoadedScenario s, Path out) {
        return Runner.run(s, out, RunObserver.NONE);
    }

    static Runner.Outcome run(String name, Path out, String... overrides) {
        return run(load(name, overrides), out);
    }

    static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
