package org.meshemu.dashboards;

import java.io.Console;
import java.io.PrintWriter;
import org.meshemu.kernel.ComponentProbe;
import org.meshemu.kernel.PartitionSample;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.Work;

/**
 * The run's progress on the command line: a line once every component is started (at wafer scale
 * that takes tens of seconds), then on a terminal one status line redrawn in place (at most
 * five times a second) with simulated time, windows, events, events per wall second since the last
 * redraw and wall time; otherwise a plain line every {@link #PLAIN_NANOS}, which logs keep readable.
 * The counts come from the root and from each partition's barriers ({@link RunCounts}), so the line
 * moves even inside one long epoch. When the workload declares its length ({@link Work}) the line
 * starts with a bar, the percentage done and the time left; each partition's work is summed over
 * its components at most once per {@link #SAMPLE_NANOS} (on a cluster, by the nodes).
 */
public final class TerminalProgress implements RunObserver {
    static final long REDRAW_NANOS = 200_000_000L, PLAIN_NANOS = 2_000_000_000L;
    /** A partition is read at most this often (its work is a pass over its components). */
    static final long SAMPLE_NANOS = 1_000_000_000L;
    private static final int BAR = 20;
    private static final String SPINNER = "|/-\\";

    private final PrintWriter out;
    private final boolean terminal;
    private final long intervalNanos;
    private final RunCounts counts;
    private volatile Work work;
    private volatile PartitionSampler sampler; // reads the work, when there is a length
    private volatile long nextNanos;
    private long startNanos, lastNanos, lastEvents;
    private int turns;
    private boolean drawn;

    public TerminalProgress(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
        this.intervalNanos = terminal ? REDRAW_NANOS : PLAIN_NANOS;
        this.counts = new RunCounts(Math.max(intervalNanos, SAMPLE_NANOS));
    }

    /** The length of the workload of {@code assembly} (null: unknown, no percentage); set before the run starts. */
    public void expect(Work work, org.meshemu.kernel.Assembly assembly) {
        this.work = work;
        this.sampler = work == null ? null : new PartitionSampler(assembly, work);
    }

    /** Whether this JVM talks to a terminal (JDK 22+ can tell a console from a redirected one). */
    public static boolean onTerminal() {
        Console c = System.console();
        if (c == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only on a terminal
        }
    }

    @Override
    public synchronized void started(int components, long startupNanos) {
        status(String.format("started %,d components in %.1f s", components, startupNanos / 1e9));
        startNanos = lastNanos = System.nanoTime();
        nextNanos = startNanos + intervalNanos;
    }

    @Override
    public synchronized void status(String line) {
        finish();
        out.println("  ... " + line);
        out.flush();
    }

    @Override
    public void windowDone(long windows, long simulatedPs, long events) {
        counts.root(windows, simulatedPs, events);
        show(System.nanoTime());
    }

    @Override
    public void atBarrier(ComponentProbe probe) {
        long now = System.nanoTime();
        if (now < nextNanos || !counts.claim(probe.partition(), now)) return;
        PartitionSampler s = sampler;
        counts.record(probe.sample(RunCounts.LOCAL, s == null ? 0 : s.work(probe), java.util.List.of()));
        show(now);
    }

    @Override
    public void sampled(PartitionSample sample) {
        counts.record(sample);
        show(System.nanoTime());
    }

    /** Nodes sample only when there is a percentage to show. */
    @Override
    public long remoteSampleNanos() { return work == null ? 0 : SAMPLE_NANOS; }

    private synchronized void show(long now) {
        if (startNanos == 0 || now < nextNanos) return;
        nextNanos = now + intervalNanos;
        long events = counts.events();
        double rate = (events - lastEvents) / ((now - lastNanos) / 1e9);
        lastNanos = now;
        lastEvents = events;
        double wall = (now - startNanos) / 1e9;
        String line = line(counts.windows(), counts.simulatedPs(), events, rate, wall);
        Double progress = LiveRun.progress(work, counts.work(), false);
        if (progress != null) line = done(progress, LiveRun.eta(progress, wall, false), terminal) + " | " + line;
        if (terminal) {
            out.print("\r\033[K  " + SPINNER.charAt(turns++ % SPINNER.length()) + " " + line);
            drawn = true;
        } else {
            out.println("  ... " + line);
        }
        out.flush();
    }

    static String line(long windows, long simulatedPs, long events, double eventsPerSecond, double wallSeconds) {
        return String.format("simulated %,.3f us | %,d windows | %,d events | %,.0f events/s | wall %.1f s",
                simulatedPs / 1e6, windows, events, eventsPerSecond, wallSeconds);
    }

    /** The share done (with a bar on a terminal) and the time left, "?" when not known yet. */
    static String done(double progress, Double etaSeconds, boolean bar) {
        int filled = (int) Math.floor(progress * BAR);
        String left = etaSeconds == null ? "?" : etaSeconds < 100 ? String.format("%.0f s", etaSeconds)
                : String.format("%d:%02d", (long) (etaSeconds / 60), (long) (etaSeconds % 60));
        return (bar ? "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " : "")
                + String.format("%5.1f%% | %s left", progress * 100, left);
    }

    /** Clears the status line, so what follows starts on a clean line. */
    public synchronized void finish() {
        if (terminal && drawn) {
            out.print("\r\033[K");
            out.flush();
            drawn = false;
        }
    }
}
