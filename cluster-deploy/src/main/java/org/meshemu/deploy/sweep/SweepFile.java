package org.meshemu.deploy.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.meshemu.scenario.InputException;

/**
 * A sweep file: a base scenario and the axes over scenario paths that make its points.
 * <pre>
 * base: ../gemm-cannon-8x8.yaml             # relative to the sweep file, or absolute
 * grid:                                     # every combination (the first axis varies slowest)
 *   hardware.noc.link.bytesPerCycle: [8, 16, 32]
 * zip:                                      # lists of one length, taken together (innermost)
 *   workload.m: [256, 512]
 *   workload.n: [256, 512]
 * plots: [simulatedTimePs, energy.totalPj]  # optional: the report keys to plot (default: every figure that varies)
 * </pre>
 * Points are numbered in that order: the grid's axes nest in file order, the zip innermost.
 *
 * @param source the sweep file
 * @param base   the base scenario, resolved against the sweep file's directory
 * @param grid   axes crossed with each other
 * @param zip    axes taken together (all of one length)
 * @param plots  report keys to plot; empty: every numeric figure that varies over the points
 */
public record SweepFile(Path source, Path base, List<Axis> grid, List<Axis> zip, List<String> plots) {
    /** At most this many points: a sweep beyond it is almost surely a mistake in the axes. */
    static final int MAX_POINTS = 10_000;
    private static final Set<String> KEYS = Set.of("base", "grid", "zip", "plots");
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    /** One axis: a scenario path (as {@code --set} takes it) and its values in order. */
    public record Axis(String path, List<JsonNode> values) {
        /** Whether every value is a number (such an axis can be a chart's x axis). */
        public boolean numeric() {
            return values.stream().allMatch(JsonNode::isNumber);
        }
    }

    /**
     * One point of the sweep: its number and the value of every axis path (grid, then zip).
     */
    public record Point(int index, Map<String, JsonNode> values) {
        /** The {@code --set path=value} overrides of this point; a value is written as JSON, which YAML reads back as it was. */
        public List<String> overrides() {
            return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        }

        /** "hardware.noc.link.bytesPerCycle=16, workload.m=256". */
        public String label() {
            return values.entrySet().stream().map(e -> e.getKey() + "=" + shown(e.getValue())).collect(Collectors.joining(", "));
        }

        /** "bytesPerCycle=16, m=256": each path's last part. */
        public String shortLabel() {
            return values.entrySet().stream().map(e -> lastPart(e.getKey()) + "=" + shown(e.getValue())).collect(Collectors.joining(", "));
        }

        /** "0003-bytesPerCycle=16-m=256": the number first (so directories sort in point order), then each path's last part. */
        public String directoryName() {
            StringBuilder b = new StringBuilder(String.format("%04d", index));
            for (var e : values.entrySet()) {
                String path = e.getKey();
                b.append('-').append(lastPart(path)).append('=').append(shown(e.getValue()));
            }
            String name = b.toString().replaceAll("[^A-Za-z0-9._=-]", "_");
            return name.length() <= 80 ? name : name.substring(0, 80);
        }
    }

    static String lastPart(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /** A value as a label shows it: a list by its length (a prompt of 256 tokens is "[256 values]"), else as a cell. */
    static String shown(JsonNode value) {
        return value.isContainerNode() && value.toString().length() > 24 ? "[" + value.size() + " values]" : text(value);
    }

    /** A value as a cell or label shows it: strings without quotes, anything else as JSON. */
    static String text(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }

    /** Every axis, the grid's then the zip's. */
    public List<Axis> axes() {
        List<Axis> all = new ArrayList<>(grid);
        all.addAll(zip);
        return all;
    }

    /** Reads and checks a sweep file; every problem is an {@link InputException} naming the file and the field. */
    public static SweepFile load(Path file) {
        String source = file.toString();
        JsonNode tree;
        try {
            tree = YAML.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new InputException(source, "sweep file not found");
        } catch (JsonProcessingException e) {
            throw new InputException(source, "YAML syntax error: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InputException(source, "cannot read the sweep file: " + e.getMessage());
        }
        if (!(tree instanceof ObjectNode top)) throw new InputException(source, "a sweep must be a YAML mapping (base: ..., grid: ..., zip: ...)");
        for (var it = top.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) throw new InputException(source + ": " + key, "unknown field; a sweep has " + new java.util.TreeSet<>(KEYS));
        }
        JsonNode base = top.get("base");
        if (base == null || !base.isTextual() || base.asText().isBlank()) {
            throw new InputException(source + ": base", base, "the scenario file to sweep, relative to the sweep file");
        }
        Path dir = file.toAbsolutePath().getParent();
        Path basePath = dir.resolve(base.asText()).normalize();
        List<Axis> grid = axes(source, "grid", top.get("grid"));
        List<Axis> zip = axes(source, "zip", top.get("zip"));
        if (grid.isEmpty() && zip.isEmpty()) throw new InputException(source, "a sweep needs at least one axis under grid: or zip:");
        for (Axis a : zip) {
            if (a.values().size() != zip.get(0).values().size()) {
                throw new InputException(source + ": zip." + a.path(), a.values().size() + " values",
                        zip.get(0).values().size() + " values, as many as zip." + zip.get(0).path() + " (zip takes its lists together)");
            }
        }
        for (Axis a : zip) {
            if (grid.stream().anyMatch(g -> g.path().equals(a.path()))) throw new InputException(source + ": zip." + a.path(), "is also a grid axis");
        }
        long count = zip.isEmpty() ? 1 : zip.get(0).values().size();
        for (Axis a : grid) count = Math.min((long) MAX_POINTS + 1, count * a.values().size());
        if (count > MAX_POINTS) throw new InputException(source, "more than " + MAX_POINTS + " points", "at most " + MAX_POINTS + " points (fewer axis values)");
        List<String> plots = new ArrayList<>();
        JsonNode p = top.get("plots");
        if (p != null) {
            if (!p.isArray() || p.isEmpty()) throw new InputException(source + ": plots", p, "a list of report keys, such as [simulatedTimePs, energy.totalPj]");
            for (JsonNode k : p) {
                if (!k.isTextual()) throw new InputException(source + ": plots", k, "a report key, such as energy.totalPj");
                plots.add(k.asText());
            }
        }
        return new SweepFile(file, basePath, grid, zip, plots);
    }

    private static List<Axis> axes(String source, String section, JsonNode node) {
        if (node == null || node.isNull()) return List.of();
        if (!(node instanceof ObjectNode o)) throw new InputException(source + ": " + section, node, "a mapping of scenario paths to lists of values");
        List<Axis> axes = new ArrayList<>();
        for (var it = o.fields(); it.hasNext(); ) {
            var e = it.next();
            String where = source + ": " + section + "." + e.getKey();
            if (!e.getKey().matches("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*")) {
                throw new InputException(where, "'" + e.getKey() + "'", "a scenario path such as hardware.noc.link.bytesPerCycle");
            }
            if (!e.getValue().isArray() || e.getValue().isEmpty()) throw new InputException(where, e.getValue(), "a non-empty list of values");
            List<JsonNode> values = new ArrayList<>();
            e.getValue().forEach(values::add);
            axes.add(new Axis(e.getKey(), Collections.unmodifiableList(values)));
        }
        return axes;
    }

    /** Every point, numbered: the grid's axes nest in file order (the first slowest), the zip innermost. */
    public List<Point> points() {
        int zipLength = zip.isEmpty() ? 1 : zip.get(0).values().size();
        List<Point> points = new ArrayList<>();
        int total = zipLength;
        for (Axis a : grid) total *= a.values().size();
        for (int i = 0; i < total; i++) {
            Map<String, JsonNode> values = new LinkedHashMap<>();
            int rest = i / zipLength;
            // the last grid axis varies fastest: peel indices off from the end
            JsonNode[] gridValues = new JsonNode[grid.size()];
            for (int g = grid.size() - 1; g >= 0; g--) {
                List<JsonNode> v = grid.get(g).values();
                gridValues[g] = v.get(rest % v.size());
                rest /= v.size();
            }
            for (int g = 0; g < grid.size(); g++) values.put(grid.get(g).path(), gridValues[g]);
            for (Axis a : zip) values.put(a.path(), a.values().get(i % zipLength));
            points.add(new Point(i, Collections.unmodifiableMap(values)));
        }
        return points;
    }
}
