package org.meshemu.deploy;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.meshemu.kernel.EmulationException;

/**
 * The command that starts the meshemu command line in a child JVM of this one (the workers of
 * {@code --nodes}, the point workers of {@code sweep}): this JVM's java, its class path and the JVM
 * options a child takes over.
 */
public final class ChildJvm {
    /**
     * JVM options a child takes over (heap, collector, its generations' shares and growth, tenuring and pause goal, the launcher's JDK flags, the
     * launcher's start-up cache or class-data-sharing archive, which a child only reads).
     */
    private static final List<String> INHERITED = List.of("-Xmx", "-Xms", "-XX:+Use", "-XX:NewRatio=", "-XX:MaxTenuringThreshold=",
            "-XX:MinHeapDeltaBytes=", "-XX:MaxGCPauseMillis=", "--sun-misc-unsafe-memory-access", "--enable-native-access",
            "-XX:AOTCache=", "-XX:SharedArchiveFile=", "-Xshare:", "-Xlog:cds", "-Xlog:aot");

    private ChildJvm() {}

    /** {@code java [inherited options] [extra] -cp CLASSPATH org.meshemu.deploy.cli.Main}, to which the caller adds the command's arguments. */
    public static List<String> command(List<String> extraJvmOptions) {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new EmulationException("cannot find this JVM's java command to start a child JVM", null));
        List<String> command = new ArrayList<>(List.of(java));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // an -Xmx of the caller's own replaces this JVM's
            boolean replaced = arg.startsWith("-Xmx") && extraJvmOptions.stream().anyMatch(o -> o.startsWith("-Xmx"));
            if (!replaced && INHERITED.stream().anyMatch(arg::startsWith)) command.add(arg);
        }
        command.addAll(extraJvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.meshemu.deploy.cli.Main"));
        return command;
    }
}
