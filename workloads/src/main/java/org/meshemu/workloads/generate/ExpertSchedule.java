package org.meshemu.workloads.generate;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshemu.aicore.CoreSpec;
import org.meshemu.aicore.VectorOp;
import org.meshemu.dram.DramSpec;
import org.meshemu.dram.MemoryModels;
import org.meshemu.scenario.Scenario;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.LoadedScenario;

/**
 * The scenario's {@link PlacementPolicy} run at planning over every experts node of the graph: each node (one layer,
 * one block) gets its {@link ExpertMap}, which {@link ExpertParallel} lowers. The policy sees each block's routing
 * from the seeded {@link RoutingTrace} of {@code workload.routing} (the routing itself in timing mode; in full payload,
 * where the gate routes, only its forecast; {@code kind: gate} forecasts uniform, a zipf trace of exponent 0).
 */
final class ExpertSchedule {
    private static final String FIELD = "workload.placementPolicy.";

    private final Map<Graph.Experts, ExpertMap> maps;
    private final MoeReport.Policy planned;

    private ExpertSchedule(Map<Graph.Experts, ExpertMap> maps, MoeReport.Policy planned) {
        this.maps = maps;
        this.planned = planned;
    }

    /** Node n's map. */
    ExpertMap map(Graph.Experts n) {
        return maps.get(n);
    }

    /** The policy's planned figures (name, groups, slots, copies, bytes); the measured ones come with the run. */
    MoeReport.Policy planned() {
        return planned;
    }

    static ExpertSchedule plan(LoadedScenario s, GenerateSpec spec, Graph g, VectorOp.FusedDecision gate, long seed, int cores, int coresPerChip,
                               int promptLength, Scenario.Hardware hw) {
        GenerateSpec.Policy ps = spec.placementPolicy();
        PlacementPolicy policy = PlacementPolicies.REGISTRY.named(s.source(), ps.kind());
        Map<String, List<Graph.Experts>> byLayer = new LinkedHashMap<>();
        for (Graph.Node n : g.nodes()) if (n instanceof Graph.Experts x) byLayer.computeIfAbsent(x.layer(), k -> new ArrayList<>()).add(x);
        Graph.Experts any = byLayer.values().iterator().next().getFirst();
        int experts = any.w1().count(), groups = ps.groups() == 0 ? experts : ps.groups();
        if (groups > cores || cores % groups != 0) throw new InputException(s.source() + ": " + FIELD + "groups", groups, "a divisor of the core count " + cores);
        int group = cores / groups, homes = (experts + groups - 1) / groups, slots = ps.slots() == 0 ? homes : ps.slots();
        if (slots < homes) throw new InputException(s.source() + ": " + FIELD + "slots", slots, "at least the " + homes + " homes of " + experts + " experts on " + groups + " groups");
        long expertBytes = any.w1().dtype().bytes(3L * any.w1().rows() * any.w1().cols());
        long fitting = bankBytesPerCore(hw) / Math.max(1, expertBytes / group);
        if (slots > fitting) {
            throw new InputException(s.source() + ": " + FIELD + "slots", slots, "at most " + fitting + ": a group's " + group + " cores' banks hold that many experts of "
                    + expertBytes + " bytes");
        }
        int[] chipOfGroup = new int[groups];
        for (int gr = 0; gr < groups; gr++) chipOfGroup[gr] = gr * group / coresPerChip;
        PlacementPolicy.Problem problem = new PlacementPolicy.Problem(ps, experts, groups, slots, chipOfGroup);
        if (policy.unfit(problem) instanceof String[] why) throw new InputException(s.source() + ": " + FIELD + why[0], fieldValue(ps, why[0]), why[1]);

        GenerateSpec.Routing forecast = spec.routing().traced() ? spec.routing() : new GenerateSpec.Routing("zipf", 0, 0);
        RoutingTrace trace = new RoutingTrace(seed, experts, forecast);
        List<int[]> promptBlocks = spec.promptBlocks();
        Map<Graph.Experts, ExpertMap> maps = new IdentityHashMap<>();
        long moves = 0;
        int layer = 0;
        for (List<Graph.Experts> nodes : byLayer.values()) {
            List<PlacementPolicy.Block> blocks = new ArrayList<>();
            for (int k = 0; k < nodes.size(); k++) {
                boolean prompt = k < promptBlocks.size();
                int step = prompt ? -1 : k - promptBlocks.size(), start = prompt ? promptBlocks.get(k)[0] : promptLength + step;
                int tokens = nodes.get(k).x().shape().cols(), perSequence = tokens / spec.batch();
                int[][] routes = new int[tokens][];
                for (int t = 0; t < tokens; t++) routes[t] = trace.route(layer, t / perSequence, start + t % perSequence, gate);
                blocks.add(new PlacementPolicy.Block(prompt ? "prompt." + k : "step." + step, step, routes));
            }
            List<ExpertMap> placed = policy.place(problem, blocks);
            for (int k = 0; k < nodes.size(); k++) {
                maps.put(nodes.get(k), placed.get(k));
                moves += placed.get(k).moves().size();
            }
            layer++;
        }
        return new ExpertSchedule(maps, new MoeReport.Policy(ps.kind(), groups, slots, moves, moves * expertBytes, 0, 0, List.of()));
    }

    /** Bytes one core's banks hold (unbounded for a memory model without a capacity). */
    private static long bankBytesPerCore(Scenario.Hardware hw) {
        DramSpec dram = hw.get(DramSpec.class);
        long capacity = MemoryModels.of(dram, hw.get(CoreSpec.class).cyclePs()).get().capacityBytes();
        return capacity > Long.MAX_VALUE / dram.banksPerCore() ? Long.MAX_VALUE : capacity * dram.banksPerCore();
    }

    private static Object fieldValue(GenerateSpec.Policy ps, String field) {
        return switch (field) {
            case "groups" -> ps.groups();
            case "slots" -> ps.slots();
            case "every" -> ps.every();
            default -> ps.kind();
        };
    }
}
