package org.meshemu.workloads.traffic;

import java.util.List;
import java.util.TreeSet;
import org.meshemu.aicore.CoreSpec;
import org.meshemu.kernel.Work;
import org.meshemu.noc.ChipsSpec;
import org.meshemu.noc.Fabric;
import org.meshemu.noc.NocSpec;
import org.meshemu.scenario.Check;
import org.meshemu.scenario.FieldException;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.Scenario;
import org.meshemu.workloads.Plan;
import org.meshemu.workloads.Workload;

/**
 * Synthetic network traffic (BookSim2-style): a {@link TrafficSource} at every network endpoint in
 * place of a core, injecting {@code packetBytes} messages by a Bernoulli process of
 * {@code injectionRate} per cycle to the destinations of {@code pattern}, for {@code warmupCycles}
 * then {@code measureCycles}. The report's {@code noc} section gives latency and throughput.
 */
public final class SyntheticTraffic implements Workload {
    private static final String ENDPOINT_KIND = "traffic";

    /** The workload section. */
    public record Spec(String pattern, double injectionRate, long packetBytes, long warmupCycles, long measureCycles,
                       List<Integer> hotspots, double hotspotFraction) {
        public Spec {
            Check.oneOf("pattern", pattern, new TreeSet<>(TrafficPattern.REGISTRY.names()));
            if (!(injectionRate > 0 && injectionRate <= 1)) throw new FieldException("injectionRate", injectionRate, "in (0, 1] packets per node per cycle");
            Check.atLeast("packetBytes", packetBytes, 1L);
            Check.atLeast("warmupCycles", warmupCycles, 0L);
            Check.atLeast("measureCycles", measureCycles, 1L);
            Check.present("hotspots", hotspots);
            if (hotspots.isEmpty()) throw new FieldException("hotspots", "[]", "at least one endpoint");
            if (!(hotspotFraction >= 0 && hotspotFraction <= 1)) throw new FieldException("hotspotFraction", hotspotFraction, "in [0, 1]");
            hotspots = List.copyOf(hotspots);
        }
    }

    @Override public String name() { return "synthetic-traffic"; }

    /** A traffic generator at every endpoint, no banks, no tensors. */
    @Override
    public Footprint footprint(LoadedScenario scenario) {
        return new Footprint(ENDPOINT_KIND, false, 0);
    }

    @Override
    public Plan plan(LoadedScenario loaded) {
        Scenario s = loaded.scenario();
        Spec spec = loaded.bindWorkload(Spec.class);
        NocSpec noc = s.hardware().get(NocSpec.class);
        // Endpoints are numbered chip-major, so the chips stack into one width x (height * chips) grid.
        int width = noc.width(), height = noc.height() * s.hardware().get(ChipsSpec.class).count(), endpoints = Fabric.of(s.hardware()).endpoints();
        if (spec.pattern().equals("transpose") && width != height) {
            throw new InputException(loaded.source() + ": workload.pattern", "'transpose' on a " + width + "x" + height + " grid of endpoints",
                    "a square grid (hardware.noc.width == height x hardware.chips.count) for transpose");
        }
        for (int i = 0; i < spec.hotspots().size(); i++) {
            int h = spec.hotspots().get(i);
            if (h < 0 || h >= endpoints) {
                throw new InputException(loaded.source() + ": workload.hotspots." + i, h, "an endpoint in 0.." + (endpoints - 1));
            }
        }
        TrafficPattern.Destinations pattern = TrafficPattern.REGISTRY.named(loaded.source(), spec.pattern())
                .over(new TrafficPattern.Params(width, height, spec.hotspots(), spec.hotspotFraction()));
        TrafficSource.Config config = new TrafficSource.Config(pattern, spec.injectionRate(), spec.packetBytes(),
                noc.maxPacketBytes(), spec.warmupCycles(), spec.measureCycles(), s.hardware().get(CoreSpec.class).cyclePs());
        // every source passes through its whole injection period (the drain after it is not counted)
        Work work = new Work((long) endpoints * (spec.warmupCycles() + spec.measureCycles()), "injection cycles", ENDPOINT_KIND);
        return Plan.of(new Plan.Custom(ENDPOINT_KIND, TrafficSource.PORTS, endpoint -> new TrafficSource(endpoint, config), work));
    }
}
