package org.meshemu.deploy.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshemu.deploy.HeapEstimate;
import org.meshemu.deploy.RunDirectory;
import org.meshemu.deploy.Runner;
import org.meshemu.report.RunStatus;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.ScenarioLoader;

/**
 * A sweep ({@code meshemu sweep}): checks every point's scenario before any runs, runs the points
 * not yet done on point worker JVMs ({@link PointWorkers}), each into its own directory
 * {@code DIR/points/NNNN-...} exactly as {@code meshemu run BASE --set ... --out THAT_DIR} would,
 * and keeps {@code results.csv} up to date after every point; at the end it draws the plots and
 * writes {@code summary.md}.
 * <p>
 * Resuming: a point whose directory holds a completed run of the same scenario (its
 * {@code report.json} carries the scenario's sha256) is not run again, so a sweep killed at any
 * moment and started again runs only what is missing; a failed point is run again.
 */
public final class Sweep {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The heap of a worker JVM is at least this (the JVM, Pekko and the report's bookkeeping). */
    static final long MIN_WORKER_HEAP = 512L << 20;

    /**
     * How the sweep runs.
     *
     * @param out     the sweep's directory (null: out/NAME, NAME the sweep file's name without .yaml)
     * @param jobs    point worker JVMs (null: chosen from the processors and the memory; 1 with a cluster)
     * @param cluster HOST:PORT of a cluster every point runs over (null: each point in its worker JVM)
     */
    public record Options(Path out, Integer jobs, String cluster) {}

    /** What checking every point found: each point's scenario hash and the largest heap estimate. */
    record Checked(String[] sha256, long maxHeapBytes) {}

    private Sweep() {}

    /** Runs the sweep; returns 0 when every point completed, 1 when some failed (each recorded in results.csv). */
    public static int run(SweepFile sweep, Options options, PrintWriter out, PrintWriter err) throws InterruptedException {
        List<SweepFile.Point> points = sweep.points();
        Checked checked = check(sweep, points);
        Path dir = options.out() != null ? options.out() : Path.of("out", sweepName(sweep.source()));
        Path pointsDir = dir.resolve("points"), workersDir = dir.resolve("workers");
        try {
            Files.createDirectories(pointsDir);
            Files.createDirectories(workersDir);
            Files.copy(sweep.source(), dir.resolve("sweep.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new InputException(dir.toString(), "cannot create the sweep's directory (" + e.getMessage() + ")");
        }

        Results results = new Results(sweep, points.size());
        List<SweepFile.Point> toRun = new ArrayList<>();
        for (SweepFile.Point p : points) {
            Path pd = pointsDir.resolve(p.directoryName());
            JsonNode report = completedReport(pd, checked.sha256()[p.index()]);
            if (report != null) {
                results.set(Results.Row.completed(p, report));
            } else {
                results.set(Results.Row.pending(p));
                writeCommand(sweep, p, pd, options.cluster());
                toRun.add(p);
            }
        }
        results.write(dir);

        int jobs = jobs(options, toRun.size(), checked.maxHeapBytes());
        List<String> jvm = workerJvmOptions(jobs);
        out.printf("meshemu: sweep %s: %d points (%d done before, %d to run) over %s, base %s%n", sweep.source(), points.size(),
                points.size() - toRun.size(), toRun.size(), options.cluster() == null
                        ? jobs + " worker JVM" + (jobs == 1 ? "" : "s") + (jvm.isEmpty() ? "" : " (" + String.join(" ", jvm) + ")")
                        : "the cluster of " + options.cluster() + " (" + jobs + " at a time)", sweep.base());
        out.printf("  into             %s%n", dir);
        out.flush();

        long start = System.nanoTime();
        int[] ended = {0};
        var progress = new Progress(err, points.size(), points.size() - toRun.size());
        new PointWorkers(jobs, jvm, workersDir).runAll(toRun, p -> pointsDir.resolve(p.directoryName()), e -> {
            Path pd = pointsDir.resolve(e.point().directoryName());
            Results.Row row = rowOf(e, pd, checked.sha256()[e.point().index()]);
            results.set(row);
            results.write(dir);
            ended[0]++;
            double perPoint = (System.nanoTime() - start) / 1e9 / ended[0];
            progress.ended(row, e.wallSeconds(), results.count(Results.FAILED), perPoint * (toRun.size() - ended[0]));
        });

        List<Path> plots = SweepCharts.draw(sweep, results.rows(), results.keys(), dir.resolve("plots"));
        Summary.write(sweep, results, plots, dir, (System.nanoTime() - start) / 1e9, jobs);
        long failed = results.count(Results.FAILED);
        out.printf("  completed        %d of %d points%s%n", results.count(Results.COMPLETED), points.size(),
                failed == 0 ? "" : ", " + failed + " failed (their messages are in results.csv)");
        out.printf("  wall time        %.1f s%n", (System.nanoTime() - start) / 1e9);
        out.printf("  written to       %s, %s, %d plots%n", dir.resolve(Results.FILE), dir.resolve(Summary.FILE), plots.size());
        return failed == 0 ? 0 : 1;
    }

    /** "gemm-links" for ".../gemm-links.yaml". */
    static String sweepName(Path file) {
        return file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    }

    /**
     * Loads every point's scenario before any point runs, so a bad axis path or value stops the sweep
     * (exit 2, naming the axis) before it has spent anything. A path the effective base scenario does
     * not hold (an optional field, or a mistake) is also judged by what reads it when a run is
     * prepared (the workload binds its section strictly, the memory model its standard's
     * overrides): the first point is planned and assembled once.
     */
    static Checked check(SweepFile sweep, List<SweepFile.Point> points) {
        LoadedScenario base;
        try {
            base = ScenarioLoader.load(sweep.base(), List.of());
        } catch (InputException e) {
            throw new InputException(sweep.source() + ": base", e.getMessage());
        }
        String[] sha = new String[points.size()];
        long maxHeap = 0;
        for (SweepFile.Point p : points) {
            LoadedScenario loaded;
            try {
                loaded = ScenarioLoader.load(sweep.base(), p.overrides());
                maxHeap = Math.max(maxHeap, HeapEstimate.of(loaded).bytes());
            } catch (InputException e) {
                throw new InputException(sweep.source() + ": " + blame(sweep, p) + " (point " + p.index() + ")", e.getMessage());
            }
            sha[p.index()] = loaded.sha256();
        }
        List<SweepFile.Axis> unknown = sweep.axes().stream()
                .filter(a -> base.tree().at("/" + a.path().replace('.', '/')).isMissingNode()).toList();
        if (!unknown.isEmpty()) {
            try {
                Runner.prepare(ScenarioLoader.load(sweep.base(), points.get(0).overrides()));
            } catch (InputException e) {
                // a failure that names none of these axes (SRAM too small) is the point's own: it fails when it runs
                for (SweepFile.Axis a : unknown) {
                    if (e.getMessage().contains(SweepFile.lastPart(a.path()))) {
                        throw new InputException(sweep.source() + ": " + section(sweep, a) + "." + a.path(),
                                "not a field the base scenario has (" + e.getMessage() + ")");
                    }
                }
            }
        }
        return new Checked(sha, maxHeap);
    }

    /** The axis whose value alone makes the base fail to load, as "grid.PATH", else every axis of the point. */
    private static String blame(SweepFile sweep, SweepFile.Point p) {
        for (SweepFile.Axis a : sweep.axes()) {
            try {
                HeapEstimate.of(ScenarioLoader.load(sweep.base(), List.of(a.path() + "=" + p.values().get(a.path()))));
            } catch (InputException e) {
                return section(sweep, a) + "." + a.path();
            }
        }
        return p.label();
    }

    private static String section(SweepFile sweep, SweepFile.Axis a) {
        return sweep.grid().contains(a) ? "grid" : "zip";
    }

    /** The report in {@code pointDir} if it holds a completed run of the scenario hashed {@code sha256}, else null. */
    static JsonNode completedReport(Path pointDir, String sha256) {
        try {
            Path report = pointDir.resolve(RunDirectory.REPORT), status = pointDir.resolve(RunDirectory.STATUS);
            if (!Files.exists(report) || !Files.exists(status)) return null;
            if (!RunStatus.COMPLETED.equals(JSON.readTree(status.toFile()).path("state").asText())) return null;
            JsonNode r = JSON.readTree(report.toFile());
            return sha256.equals(r.path("scenarioSha256").asText()) ? r : null;
        } catch (IOException e) {
            return null; // unreadable: run it again
        }
    }

    /** Writes the point's {@code point.json}: its values and the command line that runs it. */
    private static void writeCommand(SweepFile sweep, SweepFile.Point p, Path pointDir, String cluster) {
        List<String> args = new ArrayList<>(List.of("run", sweep.base().toString(), "--out", pointDir.toAbsolutePath().toString(), "--force"));
        for (String o : p.overrides()) args.addAll(List.of("--set", o));
        if (cluster != null) args.addAll(List.of("--cluster", cluster));
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("point", p.index());
        command.put("values", p.values());
        command.put("args", args);
        try {
            Files.createDirectories(pointDir);
        } catch (IOException e) {
            throw new InputException(pointDir.toString(), "cannot create the point's directory (" + e.getMessage() + ")");
        }
        RunDirectory.writeAtomically(pointDir.resolve(PointWorker.COMMAND), o -> JSON.writeValue(o, command));
    }

    /** The row of a point that ended: its report if it completed, else why it did not. */
    private static Results.Row rowOf(PointWorkers.Ended e, Path pointDir, String sha256) {
        // a completed report is the run whole, even if its worker died before it could answer
        JsonNode report = completedReport(pointDir, sha256);
        if (report != null) return Results.Row.completed(e.point(), report);
        if (e.workerDied() != null) return Results.Row.failed(e.point(), e.workerDied());
        return Results.Row.failed(e.point(), failure(pointDir) + " (exit " + e.exitCode() + "; its log: " + pointDir.resolve(PointWorker.LOG) + ")");
    }

    /** The message of a failed run: its status.json's, else the last line of its log. */
    private static String failure(Path pointDir) {
        try {
            JsonNode status = JSON.readTree(pointDir.resolve(RunDirectory.STATUS).toFile());
            if (status.hasNonNull("message")) return status.get("message").asText();
        } catch (IOException e) {
            // refused before it started (no status.json): its log says why
        }
        try {
            List<String> lines = Files.readAllLines(pointDir.resolve(PointWorker.LOG), StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) if (!lines.get(i).isBlank()) return lines.get(i).trim();
        } catch (IOException e) {
            // no log either
        }
        return "the run ended without a report";
    }

    /**
     * The number of point worker JVMs: as given, else one per processor as far as half the machine's
     * memory holds that many heaps of the largest point (at least {@link #MIN_WORKER_HEAP}, twice
     * its estimate), never more than the points to run; one at a time on a cluster.
     */
    static int jobs(Options options, int points, long maxHeapBytes) {
        if (options.jobs() != null) {
            if (options.jobs() < 1) throw new InputException("--jobs", options.jobs(), "a number of worker JVMs >= 1");
            return options.jobs();
        }
        if (options.cluster() != null) return 1;
        long perWorker = Math.max(MIN_WORKER_HEAP, 2 * maxHeapBytes);
        long byMemory = Math.max(1, halfTheMemory() / perWorker);
        return (int) Math.max(1, Math.min(Math.min(Runtime.getRuntime().availableProcessors(), byMemory), Math.max(1, points)));
    }

    /** Each worker's -Xmx: half the machine's memory shared by the jobs, unless the sweep's JVM was given one (the workers take it over). */
    static List<String> workerJvmOptions(int jobs) {
        boolean given = ManagementFactory.getRuntimeMXBean().getInputArguments().stream().anyMatch(a -> a.startsWith("-Xmx"));
        if (given) return List.of();
        long heap = Math.max(MIN_WORKER_HEAP, halfTheMemory() / jobs);
        return List.of("-Xmx" + (heap >> 20) + "m");
    }

    private static long halfTheMemory() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        long total = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : 4L << 30;
        return total / 2;
    }

    /** One line per point that ends: a bar over the points, the counts and the time left. */
    private static final class Progress {
        private static final int BAR = 20;
        private final PrintWriter err;
        private final int total;
        private int done;

        Progress(PrintWriter err, int total, int doneBefore) {
            this.err = err;
            this.total = total;
            this.done = doneBefore;
        }

        void ended(Results.Row row, double wallSeconds, long failed, double secondsLeft) {
            done++;
            int filled = (int) ((long) BAR * done / Math.max(1, total));
            err.printf("  [%s%s] %d/%d points, %d failed, ETA %s | %04d %s in %.1f s (%s)%n", "#".repeat(filled), ".".repeat(BAR - filled),
                    done, total, failed, duration(secondsLeft), row.point().index(), row.status(), wallSeconds, row.point().shortLabel());
            err.flush();
        }

        private static String duration(double seconds) {
            long s = Math.round(seconds);
            return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
        }
    }
}
