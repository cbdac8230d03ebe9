package org.meshemu.deploy.sweep;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.meshemu.deploy.RunDirectory;

/**
 * {@code summary.md}: what was swept, how many points completed or failed (with each failure's
 * message), a table of the axes and the plotted figures (at most {@link #MAX_ROWS} rows; every row
 * is in {@code results.csv}) and the plots.
 */
final class Summary {
    static final String FILE = "summary.md";
    static final int MAX_ROWS = 200;
    /** Figures in the table when the sweep names no plots and they are in the reports. */
    static final List<String> MAIN_KEYS = List.of("simulatedTimePs", "energy.totalPj", "outputDigest");

    private Summary() {}

    static void write(SweepFile sweep, Results results, List<Path> plots, Path dir, double wallSeconds, int jobs) {
        List<Results.Row> rows = results.rows();
        List<String> keys = results.keys();
        StringBuilder md = new StringBuilder();
        md.append("# Sweep ").append(Sweep.sweepName(sweep.source())).append("\n\n");
        md.append("- base scenario: `").append(sweep.base()).append("`\n");
        for (SweepFile.Axis a : sweep.axes()) {
            md.append("- ").append(sweep.grid().contains(a) ? "grid" : "zip").append(" `").append(a.path()).append("`: ")
                    .append(a.values().stream().map(SweepFile::shown).toList()).append('\n');
        }
        md.append(String.format("- points: %d, completed %d, failed %d, pending %d%n", rows.size(), results.count(Results.COMPLETED),
                results.count(Results.FAILED), results.count(Results.PENDING)));
        md.append(String.format("- this invocation: %.1f s of wall time on %d worker JVM%s%n%n", wallSeconds, jobs, jobs == 1 ? "" : "s"));
        List<String> shown = new ArrayList<>(sweep.plots().isEmpty() ? MAIN_KEYS : sweep.plots());
        shown.retainAll(keys);
        md.append("| point | status |");
        sweep.axes().forEach(a -> md.append(" `").append(a.path()).append("` |"));
        shown.forEach(k -> md.append(" ").append(k).append(" |"));
        md.append("\n|---|---|").append("---|".repeat(sweep.axes().size() + shown.size())).append('\n');
        for (Results.Row r : rows.subList(0, Math.min(rows.size(), MAX_ROWS))) {
            md.append("| ").append(r.point().index()).append(" | ").append(r.status()).append(" |");
            r.point().values().values().forEach(v -> md.append(' ').append(SweepFile.shown(v)).append(" |"));
            shown.forEach(k -> md.append(' ').append(r.figures().getOrDefault(k, "")).append(" |"));
            md.append('\n');
        }
        if (rows.size() > MAX_ROWS) md.append("\n(").append(rows.size() - MAX_ROWS).append(" more rows in results.csv)\n");
        List<Results.Row> failed = rows.stream().filter(r -> r.status().equals(Results.FAILED)).toList();
        if (!failed.isEmpty()) {
            md.append("\n## Failed points\n\n");
            failed.forEach(r -> md.append("- ").append(r.point().index()).append(" (").append(r.point().label()).append("): ")
                    .append(r.message()).append('\n'));
        }
        if (!plots.isEmpty()) {
            md.append("\n## Plots\n\n");
            plots.forEach(p -> md.append("![").append(p.getFileName()).append("](plots/").append(p.getFileName()).append(")\n"));
        }
        RunDirectory.writeAtomically(dir.resolve(FILE), out -> out.write(md.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
