package org.meshemu.deploy.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.meshemu.deploy.ChildJvm;
import org.meshemu.kernel.EmulationException;

/**
 * Worker JVMs on 127.0.0.1 started by a launcher for one run ({@code --nodes N}). Each is a child
 * of this JVM running {@code meshemu node} ({@link ChildJvm}: this JVM's class path and heap
 * settings); it reads its standard input and exits when that closes, so workers die with their
 * launcher however it ends.
 * Their output goes to a log file each, named in any error.
 */
final class WorkerProcesses {
    private final List<Process> processes;
    private final List<Path> logs;
    private volatile Consumer<String> onExit = why -> {};

    private WorkerProcesses(List<Process> processes, List<Path> logs) {
        this.processes = processes;
        this.logs = logs;
        for (int i = 0; i < processes.size(); i++) {
            int index = i;
            Process p = processes.get(i);
            p.onExit().thenAccept(done -> onExit.accept("worker " + index + " (pid " + done.pid() + ") exited with code "
                    + done.exitValue() + "; its log: " + logs.get(index)));
        }
    }

    /** Starts {@code count} workers joining the cluster at {@code seed} ("host:port"), each with its share of this machine's processors. */
    static WorkerProcesses start(int count, String seed) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / count);
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Path log = Files.createTempFile("meshemu-node-" + i + "-", ".log");
                List<String> command = ChildJvm.command(List.of());
                command.addAll(List.of("node", "--port", "0", "--seed", seed, "--threads", Integer.toString(threads), "--exit-with-stdin"));
                processes.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
                logs.add(log);
            }
        } catch (IOException e) {
            processes.forEach(Process::destroyForcibly);
            throw new EmulationException("cannot start a worker JVM: " + e.getMessage(), e);
        }
        return new WorkerProcesses(processes, logs);
    }

    /** Called with a description when a worker exits before {@link #stop()}; replaces the previous callback. */
    void onExit(Consumer<String> callback) { this.onExit = callback; }

    /** Fails if a worker has already died (e.g. it could not bind or join). */
    void checkAlive() {
        for (int i = 0; i < processes.size(); i++) {
            if (!processes.get(i).isAlive()) {
                throw new EmulationException("worker " + i + " exited with code " + processes.get(i).exitValue()
                        + " before joining; its log: " + logs.get(i), null);
            }
        }
    }

    String logs() { return logs.toString(); }

    /** Stops every worker: closing its input asks it to exit; it is killed if it has not within 10 s. */
    void stop() {
        onExit = why -> {};
        for (Process p : processes) {
            try {
                p.getOutputStream().close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        for (int i = 0; i < processes.size(); i++) {
            if (processes.get(i).isAlive() || processes.get(i).exitValue() != 0) continue; // keep what tells why
            try {
                Files.deleteIfExists(logs.get(i));
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }
}
