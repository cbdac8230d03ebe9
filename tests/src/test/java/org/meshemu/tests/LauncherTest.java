package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's choice of JDK ({@code meshemu --java-home}), which it makes by reading each candidate's
 * {@code release} file rather than starting a process per candidate. The JDKs here are directories
 * that look like JDKs to the launcher; their {@code java} fails if it is ever run.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("..", "meshemu").toAbsolutePath().normalize();

    @TempDir Path tmp;

    @Test
    void javaHomeComesFirstWhenItIsAJdk21OrNewer() throws Exception {
        Path jdk = fakeJdk("jdk-21", "21.0.5");
        Path onThePath = fakeJdk("jdk-25", "25.0.1");
        assertEquals(jdk.toString(), javaHome(jdk, onThePath.resolve("bin") + ":/usr/bin:/bin"));
    }

    @Test
    void javaOnThePathIsFollowedThroughItsLinksToItsJdk() throws Exception {
        Path old = fakeJdk("jdk-17", "17.0.2");
        Path current = fakeJdk("jdk-25", "25.0.1");
        // as /usr/bin/java -> /etc/alternatives/java -> a JDK's bin/java
        Path alternatives = Files.createDirectories(tmp.resolve("alternatives"));
        Files.createSymbolicLink(alternatives.resolve("java"), current.resolve("bin").resolve("java"));
        Path bin = Files.createDirectories(tmp.resolve("usr-bin"));
        Files.createSymbolicLink(bin.resolve("java"), alternatives.resolve("java"));
        assertEquals(current.toString(), javaHome(old, bin + ":/usr/bin:/bin"));
    }

    @Test
    void javaOnThePathThatIsNoLinkIsFoundThroughAPathEntryWithATrailingSlash() throws Exception {
        Path old = fakeJdk("jdk-17", "17.0.2");
        Path current = fakeJdk("jdk-21", "21.0.5");
        assertEquals(current.toString(), javaHome(old, current.resolve("bin") + "/:/usr/bin:/bin"));
    }

    @Test
    void aRelativePathEntryGivesTheJdkAsAnAbsolutePath() throws Exception {
        Path old = fakeJdk("jdk-17", "17.0.2");
        fakeJdk("jdk-21", "21.0.5");
        // run from tmp: the entry "jdk-21/bin" is relative to it
        assertEquals(tmp.resolve("jdk-21").toRealPath().toString(), javaHome(old, "jdk-21/bin:/usr/bin:/bin"));
    }

    @Test
    void aDirectoryNamedJavaOnThePathIsPassedOver() throws Exception {
        Path old = fakeJdk("jdk-17", "17.0.2");
        Path current = fakeJdk("jdk-21", "21.0.5");
        Path decoy = Files.createDirectories(tmp.resolve("decoy").resolve("java"));
        assertTrue(decoy.toFile().setExecutable(true));
        assertEquals(current.toString(), javaHome(old, decoy.getParent() + ":" + current.resolve("bin") + ":/usr/bin:/bin"));
    }

    @Test
    void anEarlyAccessVersionCountsByItsFeatureNumber() throws Exception {
        Path jdk = fakeJdk("jdk-22-ea", "22-ea");
        assertEquals(jdk.toString(), javaHome(jdk, "/usr/bin:/bin"));
    }

    /** What the launcher prints for {@code --java-home} with this JAVA_HOME and PATH, run from the test's directory. */
    private String javaHome(Path javaHome, String path) throws Exception {
        return answer("--java-home", Map.of("JAVA_HOME", javaHome.toString(), "PATH", path), tmp);
    }

    /**
     * What {@code meshemu FLAG} prints, for a flag it answers before building or running anything
     * ({@code --java-home}, {@code --java-options}), with these variables set, run in {@code directory}.
     */
    static String answer(String flag, Map<String, String> environment, Path directory) throws Exception {
        ProcessBuilder launcher = new ProcessBuilder("/bin/bash", LAUNCHER.toString(), flag).directory(directory.toFile())
                .redirectErrorStream(true);
        launcher.environment().putAll(environment);
        Process p = launcher.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** A directory that the launcher takes for a JDK of {@code version}: a release file, a java and a javac. */
    private Path fakeJdk(String name, String version) throws IOException {
        Path home = tmp.resolve(name);
        Path bin = Files.createDirectories(home.resolve("bin"));
        for (String tool : List.of("java", "javac")) {
            Path p = Files.writeString(bin.resolve(tool), "#!/bin/sh\necho 'started " + name + "' >&2\nexit 1\n");
            assertTrue(p.toFile().setExecutable(true));
        }
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"meshemu test\"\nJAVA_VERSION=\"" + version
                + "\"\nJAVA_RUNTIME_VERSION=\"" + version + "+1\"\n");
        return home;
    }
}
