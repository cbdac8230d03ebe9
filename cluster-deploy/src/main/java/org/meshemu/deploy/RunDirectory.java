package org.meshemu.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.meshemu.kernel.RunObserver;
import org.meshemu.report.RunStatus;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.Scenario;

/**
 * The directory a run writes into, and the rules that keep its files whole:
 * <ul>
 *   <li>An earlier run's directory (one holding {@code report.json} or {@code status.json}) named by
 *       {@code --out} or {@code run.outputs} is refused unless {@code force}, before anything is
 *       written. The default {@code out/<name>} is never refused: the earlier run is moved aside to
 *       {@code out/<name>.N}, N the smallest number not yet taken (so a higher N is a later run).</li>
 *   <li>Every file is written to a temporary file in the same directory, forced to disk and renamed
 *       into place, so a reader sees the old file or the new one, never half of one.</li>
 *   <li>{@code status.json} says {@code running} before anything else is written, then
 *       {@code completed}, {@code failed} or, from a shutdown hook (Ctrl-C, SIGTERM),
 *       {@code interrupted} with the last progress.</li>
 * </ul>
 * A path that is a file, cannot be created or written, or a disk that fills is an
 * {@link InputException} naming the path.
 */
public final class RunDirectory {
    public static final String REPORT = "report.json", STATUS = "status.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes a file's bytes. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private final Path path;
    private final Path keptAside;
    private RunStatus status;                    // guarded by this
    private volatile RunStatus.Progress progress;
    private Thread onInterrupt;

    private RunDirectory(Path path, Path keptAside) {
        this.path = path;
        this.keptAside = keptAside;
    }

    /**
     * The directory for a run of {@code scenario}: {@code out} if given, else {@code run.outputs},
     * else {@code out/<name>}; checked, created and probed for writing, with an earlier run in the
     * default directory moved aside.
     */
    public static RunDirectory open(Scenario scenario, Path out, boolean force) {
        boolean named = out != null || !scenario.run().outputs().isEmpty();
        Path dir = out != null ? out : named ? Path.of(scenario.run().outputs()) : Path.of("out", scenario.name());
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InputException(dir.toString(), "is a file; the output directory must be a directory (--out DIR)");
        }
        Path kept = null;
        if (!force && holdsARun(dir)) {
            if (named) {
                throw new InputException(dir.toString(), "holds an earlier run (" + REPORT + " or " + STATUS
                        + "); pass --force to overwrite it, or name another directory with --out");
            }
            kept = moveAside(dir);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InputException(dir.toString(), "cannot create the output directory (" + reason(e) + ")");
        }
        try {
            Files.delete(Files.createTempFile(dir, ".probe-", ".tmp"));
        } catch (IOException e) {
            throw new InputException(dir.toString(), "the output directory is not writable (" + reason(e) + ")");
        }
        return new RunDirectory(dir, kept);
    }

    private static boolean holdsARun(Path dir) {
        return Files.exists(dir.resolve(REPORT)) || Files.exists(dir.resolve(STATUS));
    }

    private static Path moveAside(Path dir) {
        for (int n = 1; ; n++) {
            Path aside = dir.resolveSibling(dir.getFileName() + "." + n);
            if (Files.exists(aside)) continue;
            try {
                return Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new InputException(dir.toString(), "cannot move the earlier run aside to " + aside + " (" + reason(e)
                        + "); pass --force to overwrite it, or name another directory with --out");
            }
        }
    }

    public Path path() { return path; }

    /** Where the earlier run in the default directory was moved, or null if there was none. */
    public Path keptAside() { return keptAside; }

    /**
     * Writes {@code status.json} saying {@code running} and arms the shutdown hook that marks the run
     * interrupted; {@code command} is {@code run} or {@code reference}.
     */
    public synchronized void start(String command, LoadedScenario loaded) {
        status = RunStatus.running(command, loaded.scenario().name(), loaded.sha256());
        writeJson(STATUS, status);
        onInterrupt = new Thread(() -> end(RunStatus.INTERRUPTED, "interrupted (SIGINT or SIGTERM) before the run ended; no report was written"
                + (Files.isDirectory(path.resolve(RunCheckpoints.DIRECTORY)) ? "; continue it with: meshemu resume " + path : "")),
                "meshemu-interrupted");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
    }

    /** {@code next}, and the progress it sees recorded for {@code status.json}. */
    public RunObserver recording(RunObserver next) {
        return new RunObserver() {
            @Override public void windowDone(long windows, long simulatedPs, long events) {
                progress = new RunStatus.Progress(windows, simulatedPs, events);
                next.windowDone(windows, simulatedPs, events);
            }

            // everything else passes through as it is
            @Override public void started(int components, long startupNanos) { next.started(components, startupNanos); }
            @Override public void status(String line) { next.status(line); }
            @Override public void epochDone(long epochs) { next.epochDone(epochs); }
            @Override public void atBarrier(org.meshemu.kernel.ComponentProbe probe) { next.atBarrier(probe); }
            @Override public void partitionFinished(org.meshemu.kernel.ComponentProbe probe) { next.partitionFinished(probe); }
            @Override public void sampled(org.meshemu.kernel.PartitionSample sample) { next.sampled(sample); }
            @Override public long remoteSampleNanos() { return next.remoteSampleNanos(); }
        };
    }

    public void completed() { end(RunStatus.COMPLETED, null); }

    public void failed(Throwable cause) {
        end(RunStatus.FAILED, cause.getMessage() == null ? cause.toString() : cause.getMessage());
    }

    /** The first end wins: an interrupt during completion leaves whichever was written first. */
    private synchronized void end(String state, String message) {
        if (status == null || !status.isRunning()) return;
        status = status.ended(state, message, progress);
        if (Thread.currentThread() != onInterrupt) {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or has run; it will find the run ended
            }
        }
        writeJson(STATUS, status);
    }

    /** Writes {@code value} as indented JSON into {@code file}, atomically. */
    public void writeJson(String file, Object value) {
        write(file, out -> JSON.writeValue(out, value));
    }

    /** Writes {@code file} atomically: a temporary file beside it, forced to disk, renamed over it. */
    public void write(String file, Body body) {
        writeAtomically(path.resolve(file), body);
    }

    /**
     * Writes {@code target} atomically: a temporary file beside it, forced to disk, renamed over it
     * (for files outside a run's directory, such as a sweep's results).
     */
    public static void writeAtomically(Path target, Body body) {
        Path dir = target.toAbsolutePath().getParent();
        String file = target.getFileName().toString();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(dir, "." + file + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                // Jackson closes what it writes to; the channel must stay open until it is forced
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel)) {
                    @Override public void close() throws IOException { flush(); }
                };
                body.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the write failed already; that is what the user must hear about
                }
            }
            throw new InputException(target.toString(), "cannot write the file (" + reason(e) + "); free space or choose another directory with --out");
        }
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
