package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.Engine;
import org.meshemu.kernel.Placement;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.RunResult;
import org.meshemu.workloads.generate.ExpertParallel;

/**
 * The all-to-all of {@code expert-parallel} against the topology's closed form (issue 12): one expert per chip
 * (2 chips of one core each, 2 experts, top-1 softmax gate, uniform routing drawn in timing mode). A token routed to
 * the other chip's expert crosses one chip link each way as one packet of 4 H bytes. The closed form, from the
 * ideal router's rules (docs/TIMING.md, noc's package-info, store-and-forward, unbounded buffers): the packet enters
 * its router {@code injection} cycles after the send issued, the router passes it to the chip link after
 * {@code routerDelay}, the chip link holds it ser_chip = ceil(B / chipBytesPerCycle) cycles and delivers it
 * {@code chipLatency} later to the far chip's port router, which is the destination's own router (a chip of one
 * core) and ejects it after {@code routerDelay}:
 * <pre>
 *   one way = injection + routerDelay + ceil(B / chipBytesPerCycle) + chipLatency + routerDelay   cycles
 * </pre>
 * Measured: dispatch = the remote's x-in mark (receive done: arrival + o) - o - the lead's dispatch mark (send
 * issued); combine = the lead's experts mark (its receive done: arrival + o) - o - the remote's y-out mark.
 * The all-to-all time of the token is their sum, 2 x one way.
 */
class MoeAllToAllClosedFormTest {
    private static final int HIDDEN = 64, CHIP_BYTES_PER_CYCLE = 16, CHIP_LATENCY = 20, ROUTER_DELAY = 2, INJECTION = 3, OVERHEAD = 4;

    @Test
    void dispatchAndCombineTakeTheClosedFormOfOneChipLinkEachWay() {
        long oneWay = INJECTION + ROUTER_DELAY + Math.ceilDiv(4L * HIDDEN, CHIP_BYTES_PER_CYCLE) + CHIP_LATENCY + ROUTER_DELAY;   // 3 + 2 + 16 + 20 + 2 = 43
        assertEquals(43, oneWay);
        int checked = 0;
        for (int seed = 1; seed <= 12 && checked < 2; seed++) {
            var built = Runner.prepare(Scenarios.shipped("phimoe-tiny-mesh", "seed=" + seed, "run.payload=timing",
                    "hardware.chips.count=2", "hardware.chips.topology=ring", "hardware.noc.width=1", "hardware.noc.height=1",
                    "hardware.chips.link.bytesPerCycle=" + CHIP_BYTES_PER_CYCLE, "hardware.chips.link.latencyCycles=" + CHIP_LATENCY,
                    "hardware.noc.routerDelayCycles=" + ROUTER_DELAY, "hardware.noc.injectionCycles=" + INJECTION,
                    "hardware.core.instructionOverheadCycles=" + OVERHEAD, "hardware.core.clockGHz=1",
                    "model.config.hidden_size=" + HIDDEN, "model.config.num_local_experts=2", "model.config.num_experts_per_tok=1",
                    "workload.gate.kind=top-k", "workload.experts=expert-parallel", "workload.routing.kind=gate", "workload.decodeSteps=4")).built();
            RunResult r = Engine.run(built.assembly(), Placement.byLocality(built.assembly(), 1), 1, RunObserver.NONE);
            List<ComponentReport> cores = r.reports().stream().filter(c -> c.kind().equals("core")).toList();
            assertEquals(2, cores.size());
            ComponentReport lead = cores.get(0), remote = cores.get(1);
            for (String layer : List.of("L0", "L1")) {
                if (!lastBlockWentToTheRemoteExpert(cores, layer)) continue;
                long cyclePs = 1000;
                long dispatch = remote.counter("at:" + ExpertParallel.xIn(layer)) - OVERHEAD * cyclePs - lead.counter("at:" + layer + "/moe_dispatch");
                long combine = lead.counter("at:" + layer + "/experts") - OVERHEAD * cyclePs - remote.counter("at:" + ExpertParallel.yOut(layer));
                assertEquals(oneWay * cyclePs, dispatch, "seed " + seed + " " + layer + ": x to the other chip");
                assertEquals(oneWay * cyclePs, combine, "seed " + seed + " " + layer + ": E(x) back");
                assertEquals(2 * oneWay * cyclePs, dispatch + combine);
                checked++;
            }
        }
        assertTrue(checked >= 2, "uniform routing sends some last tokens to the other chip's expert: " + checked);
    }

    /** Whether the last block's token of {@code layer} ran on expert 1 (core 1): its per-step count, the block of the largest node id. */
    private static boolean lastBlockWentToTheRemoteExpert(List<ComponentReport> cores, String layer) {
        String prefix = "count:moe/" + layer + "/step.";
        int last = -1;
        for (ComponentReport c : cores) {
            for (String k : c.counters().keySet()) {
                if (k.startsWith(prefix)) last = Math.max(last, Integer.parseInt(k.substring(prefix.length(), k.indexOf("/expert."))));
            }
        }
        return cores.get(1).counter("count:" + ExpertParallel.stepTokens(layer, last, 1)) == 1;
    }
}
