package org.meshemu.deploy.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop of a long-lived point worker ({@code meshemu sweep-worker}, started by a sweep): it reads
 * point directories on its standard input, one a line, runs each point's command line
 * ({@code point.json}: {@code meshemu run BASE --out DIR --force --set ...}) with its output in the
 * point's {@code run.log}, and answers {@code exit CODE} on its standard output. One JVM runs many
 * points in turn, so each point costs its run and not a JVM's start; a point that takes the JVM
 * down fails alone (the sweep starts another worker). A worker exits when its input closes or when
 * the sweep that started it is gone (killed with -9, its pipes may stay open through a child).
 */
public final class PointWorker {
    /** The file in a point's directory naming the command line that runs it. */
    static final String COMMAND = "point.json";
    static final String LOG = "run.log";
    /** How often a worker checks that its sweep is still there. */
    private static final long PARENT_CHECK_MILLIS = 500;

    private PointWorker() {}

    /** The command line, as {@code Main.execute} takes it. */
    @FunctionalInterface
    public interface CommandLine {
        int execute(String[] args, PrintWriter out, PrintWriter err);
    }

    /** Serves points until standard input closes; returns the exit code of the worker. */
    public static int serve(CommandLine commandLine) throws IOException {
        // the standard output is the answer channel: anything else printed goes to the worker's log
        PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        exitWithParent();
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) continue;
            answers.println("exit " + runPoint(commandLine, Path.of(line.trim())));
        }
        return 0;
    }

    /** Runs the point in {@code dir} as its {@code point.json} says, its output in {@code run.log}; returns the command's exit code. */
    static int runPoint(CommandLine commandLine, Path dir) throws IOException {
        JsonNode command = new ObjectMapper().readTree(dir.resolve(COMMAND).toFile());
        List<String> args = new ArrayList<>();
        command.get("args").forEach(a -> args.add(a.asText()));
        try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(dir.resolve(LOG), StandardCharsets.UTF_8), true)) {
            log.println("meshemu " + String.join(" ", args));
            try {
                return commandLine.execute(args.toArray(String[]::new), log, log);
            } catch (RuntimeException e) { // the command line reports its own errors; this is a last resort
                e.printStackTrace(log);
                return 1;
            }
        }
    }

    private static void exitWithParent() {
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        if (parent == null) return;
        Thread watch = new Thread(() -> {
            while (parent.isAlive()) {
                try {
                    Thread.sleep(PARENT_CHECK_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.exit(130); // the point being run is marked interrupted by its directory's shutdown hook
        }, "meshemu-sweep-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
