package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.meshemu.dashboards.LiveRun;
import org.meshemu.dashboards.MeshGeometry;
import org.meshemu.dashboards.Metrics;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.PartitionSample;
import org.meshemu.scenario.LoadedScenario;

/** Every PromQL expression of dashboards/grafana/meshemu.json names only metrics the emulator registers. */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("..", "dashboards", "grafana", "meshemu.json");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset");

    @Test
    void everyExpressionUsesOnlyRegisteredMetricNames() throws Exception {
        // a system with cores, links and banks, and one node sampled, so every kind of series is registered
        LoadedScenario loaded = Scenarios.shipped("default");
        var prepared = Runner.prepare(loaded);
        var live = new LiveRun("default", MeshGeometry.of(loaded.scenario().hardware()), prepared.built().assembly(), prepared.plan().work(), 0);
        live.sampled(new PartitionSample(0, "pekko://meshemu@127.0.0.1:2552", 1, 1, 0, 0, new long[1], new long[1], new long[1], 0,
                List.of(new PartitionSample.Kind("core", 1, 0, 0))));
        Metrics metrics = new Metrics(live);
        Set<String> registered = new HashSet<>(metrics.prometheusNames());
        assertTrue(registered.contains("meshemu_events_total"), registered.toString());

        List<String> expressions = new ArrayList<>();
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        for (JsonNode panel : dashboard.get("panels")) for (JsonNode t : panel.get("targets")) expressions.add(t.get("expr").asText());
        for (JsonNode v : dashboard.get("templating").get("list")) {
            if (v.get("type").asText().equals("query")) expressions.add(v.get("query").asText());
        }
        assertTrue(expressions.size() >= 10, "expressions found: " + expressions);
        Set<String> used = new HashSet<>();
        for (String e : expressions) {
            List<String> names = metricNames(e);
            assertFalse(names.isEmpty(), "no metric in " + e);
            for (String name : names) assertTrue(registered.contains(name), name + " (in " + e + ") is not registered: " + registered);
            used.addAll(names);
        }
        assertTrue(used.containsAll(List.of("meshemu_events_total", "meshemu_utilisation_ratio", "meshemu_region_utilisation_ratio")), used.toString());
    }

    @Test
    void theNameParserFindsMetricsAndSkipsFunctionsLabelsAndKeywords() {
        assertEquals(List.of("a_total", "b"), metricNames("sum by (kind) (rate(a_total{x=\"y\",k=~\"$v\"}[30s])) / on(kind) b"));
        assertEquals(List.of("m"), metricNames("label_values(m, scenario)"));
    }

    /** The metric names of a PromQL expression: identifiers outside label matchers, ranges and grouping lists that are not functions or keywords. */
    static List<String> metricNames(String expression) {
        String e = expression.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        if (e.startsWith("label_values(")) e = e.substring("label_values(".length(), e.indexOf(','));
        List<String> names = new ArrayList<>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            String id = m.group();
            boolean function = e.substring(m.end()).stripLeading().startsWith("(");
            boolean number = m.start() > 0 && Character.isDigit(e.charAt(m.start() - 1));
            if (!function && !number && !KEYWORDS.contains(id)) names.add(id);
        }
        return names;
    }
}
