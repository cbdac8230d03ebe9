package org.meshemu.deploy.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.meshemu.deploy.RunDirectory;

/**
 * The rows of a sweep, one per point in point order, and {@code results.csv}: the point's number,
 * its status, the value of every axis path, then every key of the point's {@code report.json}
 * flattened with dots ({@code noc.avgPacketLatencyCycles}; lists, such as the partitions' load, are
 * left in the report), then the message of a failed point.
 */
final class Results {
    static final String FILE = "results.csv";
    static final String PENDING = "pending", COMPLETED = "completed", FAILED = "failed";
    /** Host figures: they change from run to run of the same point, so they are never plotted by default. */
    static final Set<String> HOST_FIGURES = Set.of("startupSeconds", "wallSeconds", "eventsPerSecond", "peakHeapBytes", "threads", "partitions");

    /** A point's row: its status, its report flattened (empty until it completed) and the failure's message. */
    record Row(SweepFile.Point point, String status, Map<String, String> figures, String message) {
        static Row pending(SweepFile.Point p) {
            return new Row(p, PENDING, Map.of(), "");
        }

        static Row completed(SweepFile.Point p, JsonNode report) {
            return new Row(p, COMPLETED, flatten(report), "");
        }

        static Row failed(SweepFile.Point p, String message) {
            return new Row(p, FAILED, Map.of(), message);
        }
    }

    private final SweepFile sweep;
    private final Row[] rows;

    Results(SweepFile sweep, int points) {
        this.sweep = sweep;
        this.rows = new Row[points];
    }

    synchronized void set(Row row) {
        rows[row.point().index()] = row;
    }

    synchronized List<Row> rows() {
        return List.of(rows.clone());
    }

    synchronized long count(String status) {
        return java.util.Arrays.stream(rows).filter(r -> r.status().equals(status)).count();
    }

    /** The report's keys over every completed row, in the order they first appear. */
    synchronized List<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        for (Row r : rows) keys.addAll(r.figures().keySet());
        return new ArrayList<>(keys);
    }

    /** Writes {@code results.csv} into {@code dir} atomically. */
    synchronized void write(Path dir) {
        List<String> keys = keys();
        StringBuilder csv = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("point", "status"));
        sweep.axes().forEach(a -> header.add(a.path()));
        header.addAll(keys);
        header.add("message");
        line(csv, header);
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(r.point().index()), r.status()));
            r.point().values().values().forEach(v -> cells.add(SweepFile.text(v)));
            for (String k : keys) cells.add(r.figures().getOrDefault(k, ""));
            cells.add(r.message());
            line(csv, cells);
        }
        RunDirectory.writeAtomically(dir.resolve(FILE), out -> out.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void line(StringBuilder csv, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) csv.append(',');
            String c = cells.get(i);
            csv.append(c.matches("[^,\"\\r\\n]*") ? c : '"' + c.replace("\"", "\"\"") + '"');
        }
        csv.append('\n');
    }

    /** The report's scalars keyed by their dotted paths; nulls are empty cells, lists are left out. */
    static Map<String, String> flatten(JsonNode report) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", report, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
        } else if (node.isNull()) {
            out.put(prefix, "");
        } else if (!node.isArray()) {
            out.put(prefix, node.asText());
        }
    }
}
