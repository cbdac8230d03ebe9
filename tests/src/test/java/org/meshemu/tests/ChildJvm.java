package org.meshemu.tests;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line in a JVM of its own (a small heap, a signal), started from this test JVM's class path. */
final class ChildJvm {
    private ChildJvm() {}

    /** Starts {@code meshemu args} with the given JVM options; stdout and stderr go to files in {@code dir}. */
    static Process start(Path dir, List<String> jvmOptions, String... args) throws IOException {
        return startMain(dir, jvmOptions, "org.meshemu.deploy.cli.Main", args);
    }

    /** Starts the main class {@code mainClass} of this class path with {@code args}, as {@link #start} does the command line. */
    static Process startMain(Path dir, List<String> jvmOptions, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile())
                .directory(new File(System.getProperty("user.dir")))
                .start();
    }
}
