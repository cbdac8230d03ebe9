package org.meshemu.dashboards;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.meshemu.kernel.Assembly;
import org.meshemu.kernel.ComponentProbe;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.RunResult;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.Scenario;

/**
 * Everything that watches one run from outside: the pictures written at its end (always), and,
 * with {@code --serve}, the metrics and the HTTP server, fed by a {@link LiveRun} that samples the
 * components at window barriers. The command line makes one per run; {@link #observe} is called
 * once the system is assembled, {@link #finished} once its report is written.
 */
public final class Watch implements AutoCloseable {
    /** Components are sampled at most this often per partition while serving. */
    static final long SAMPLE_NANOS = 250_000_000L;

    /**
     * @param servePort serve on this port (0: any free one), null: no server
     * @param bind      the address to bind (127.0.0.1 unless the user says otherwise)
     */
    public record Options(Integer servePort, String bind) {
        public static final Options NONE = new Options(null, "127.0.0.1");
    }

    private final Options options;
    private final PrintWriter log;
    private LiveRun run;
    private DashboardServer server;

    public Watch(Options options, PrintWriter log) {
        this.options = options;
        this.log = log;
    }

    /** Pictures at the end only: no sampling, no server. */
    public static Watch picturesOnly() { return new Watch(Options.NONE, new PrintWriter(java.io.Writer.nullWriter())); }

    /** Starts watching an assembled system; returns the observer to run it with ({@code also} is called first). */
    public RunObserver observe(Scenario scenario, Assembly assembly, RunObserver also) {
        boolean serving = options.servePort() != null;
        run = new LiveRun(scenario.name(), MeshGeometry.of(scenario.hardware()), assembly, SAMPLE_NANOS);
        if (!serving) return also;
        server = DashboardServer.start(run, new Metrics(run), options.bind(), options.servePort());
        InetSocketAddress a = server.address();
        log.printf("meshemu: live at http://%s:%d/ (metrics at /metrics, status at /api/status)%n", a.getHostString(), a.getPort());
        log.flush();
        return new Both(also, run);
    }

    /** Takes the run's final figures and writes the pictures into {@code dir}; returns their files. */
    public List<Path> finished(RunResult result, RunReport report, Path dir) {
        run.finish(result, report.energy() == null ? null : report.energy().totalPj() * 1e-12);
        return Pictures.write(run, dir);
    }

    /** The server's address, or null when not serving. */
    public InetSocketAddress address() { return server == null ? null : server.address(); }

    /** The watched run (null before {@link #observe}). */
    public LiveRun run() { return run; }

    @Override
    public void close() {
        if (server != null) server.close();
    }

    /** Two observers, called in order. */
    private record Both(RunObserver first, RunObserver second) implements RunObserver {
        @Override public void windowDone(long windows, long simulatedPs, long events) {
            first.windowDone(windows, simulatedPs, events);
            second.windowDone(windows, simulatedPs, events);
        }
        @Override public void started(int components, long startupNanos) {
            first.started(components, startupNanos);
            second.started(components, startupNanos);
        }
        @Override public void epochDone(long rootRounds) {
            first.epochDone(rootRounds);
            second.epochDone(rootRounds);
        }
        @Override public void atBarrier(ComponentProbe probe) {
            first.atBarrier(probe);
            second.atBarrier(probe);
        }
    }
}
