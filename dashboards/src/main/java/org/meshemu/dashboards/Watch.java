package org.meshemu.dashboards;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.meshemu.kernel.Assembly;
import org.meshemu.kernel.ComponentProbe;
import org.meshemu.kernel.PartitionSample;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.RunResult;
import org.meshemu.kernel.Work;
import org.meshemu.report.Energy;
import org.meshemu.scenario.Scenario;

/**
 * Everything that watches one run from outside: the pictures written at its end (always), and,
 * with {@code --serve}, the metrics and the HTTP server, fed by a {@link LiveRun} that samples the
 * components at window barriers. The command line makes one per run; {@link #observe} is called
 * once the system is assembled, {@link #finished} once its report is made (before {@code report.json} is written).
 */
public final class Watch implements AutoCloseable {
    /** Components are sampled at most this often per partition while serving. */
    static final long SAMPLE_NANOS = 250_000_000L;

    /**
     * @param servePort serve on this port (0: any free one), null: no server
     * @param bind      the address to bind (127.0.0.1 unless the user says otherwise)
     * @param trace     write trace.json, null: no trace
     */
    public record Options(Integer servePort, String bind, Trace trace) {
        public static final Options NONE = new Options(null, "127.0.0.1", null);
    }

    /**
     * @param region the nodes to trace, null: {@link TraceWriter.Region#byDefault}
     * @param limit  slices at most
     */
    public record Trace(TraceWriter.Region region, long limit) {
        public static final long DEFAULT_LIMIT = 2_000_000;
    }

    private final Options options;
    private final PrintWriter log;
    private final TerminalProgress progress;
    private Scenario scenario;
    private Assembly assembly;
    private Work work;
    private LiveRun run;
    private DashboardServer server;
    private TraceWriter trace;
    private Path traceFile;

    /** Logs the server's address to {@code log}; {@code progress} (or null) shows the run's progress. */
    public Watch(Options options, PrintWriter log, TerminalProgress progress) {
        this.options = options;
        this.log = log;
        this.progress = progress;
    }

    /** Pictures at the end only: no progress, no sampling, no server. */
    public static Watch picturesOnly() { return new Watch(Options.NONE, new PrintWriter(java.io.Writer.nullWriter()), null); }

    /**
     * Starts watching an assembled system whose workload has length {@code work} (null: unknown);
     * returns the observer to run it with ({@code also} is called first).
     */
    public RunObserver observe(Scenario scenario, Assembly assembly, Work work, RunObserver also) {
        this.scenario = scenario;
        this.assembly = assembly;
        this.work = work;
        List<RunObserver> observers = new ArrayList<>(List.of(also));
        if (progress != null) {
            progress.expect(work, assembly);
            observers.add(progress);
        }
        if (options.trace() != null) {
            MeshGeometry g = MeshGeometry.of(scenario.hardware());
            TraceWriter.Region region = options.trace().region() == null ? TraceWriter.Region.byDefault(g) : options.trace().region();
            try {
                // the run directory is known only at the end: the trace moves there then
                traceFile = Files.createTempFile("meshemu-trace", ".json");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary trace file", e);
            }
            trace = new TraceWriter(traceFile, g, assembly, region, options.trace().limit());
            observers.add(trace);
        }
        if (options.servePort() != null) {
            run = liveRun();
            server = DashboardServer.start(run, new Metrics(run), options.bind(), options.servePort());
            InetSocketAddress a = server.address();
            log.printf("meshemu: live at http://%s:%d/ (metrics at /metrics, status at /api/status)%n", a.getHostString(), a.getPort());
            log.flush();
            observers.add(run); // sampling costs only when someone can look
        }
        return observers.size() == 1 ? also : new All(List.copyOf(observers));
    }

    /**
     * Takes the run's final figures ({@code energy}: the report's energy section, or null) and writes
     * the pictures into {@code dir}; returns their files.
     */
    public List<Path> finished(RunResult result, Energy energy, Path dir) {
        if (progress != null) progress.finish();
        if (run == null) run = liveRun(); // only now: its arrays cost nothing while the run goes
        run.finish(result, energy == null ? null : energy.totalPj() * 1e-12);
        if (trace != null) {
            trace.close();
            long[] counts = trace.counts();
            try {
                Files.move(traceFile, dir.resolve("trace.json"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move the trace to " + dir, e);
            }
            log.printf("  trace            %,d slices%s in %s%n", counts[0], counts[1] == 0 ? "" : String.format(" (%,d dropped)", counts[1]),
                    dir.resolve("trace.json"));
            trace = null;
        }
        if (server != null) {
            LiveRun.Status s = run.status();
            log.printf("  sampling         %,d samples at barriers, %.3f s of wall time%n", s.samples(), s.samplingSeconds());
        }
        return Pictures.write(run, dir);
    }

    private LiveRun liveRun() {
        return new LiveRun(scenario.name(), MeshGeometry.of(scenario.hardware()), assembly, work, SAMPLE_NANOS);
    }

    /** The server's address, or null when not serving. */
    public InetSocketAddress address() { return server == null ? null : server.address(); }

    /** The watched run (null until the server starts or the run ends). */
    public LiveRun run() { return run; }

    @Override
    public void close() {
        if (progress != null) progress.finish(); // a failed run's error starts on a clean line
        if (trace != null) { // the run failed: no trace to keep
            try {
                trace.close();
            } finally {
                traceFile.toFile().delete();
            }
        }
        if (server != null) server.close();
    }

    /** Several observers, called in order. */
    private record All(List<RunObserver> observers) implements RunObserver {
        @Override public void windowDone(long windows, long simulatedPs, long events) {
            for (RunObserver o : observers) o.windowDone(windows, simulatedPs, events);
        }
        @Override public void started(int components, long startupNanos) {
            for (RunObserver o : observers) o.started(components, startupNanos);
        }
        @Override public void status(String line) {
            for (RunObserver o : observers) o.status(line);
        }
        @Override public void epochDone(long epochs) {
            for (RunObserver o : observers) o.epochDone(epochs);
        }
        @Override public void atBarrier(ComponentProbe probe) {
            for (RunObserver o : observers) o.atBarrier(probe);
        }
        @Override public void partitionFinished(ComponentProbe probe) {
            for (RunObserver o : observers) o.partitionFinished(probe);
        }
        @Override public void sampled(PartitionSample sample) {
            for (RunObserver o : observers) o.sampled(sample);
        }
        /** The most frequent any of them wants. */
        @Override public long remoteSampleNanos() {
            return observers.stream().mapToLong(RunObserver::remoteSampleNanos).filter(n -> n > 0).min().orElse(0);
        }
    }
}
