package org.meshemu.deploy;

import org.meshemu.aicore.AiCore;
import org.meshemu.aicore.CoreTiming;
import org.meshemu.aicore.Program;
import org.meshemu.dram.Bank;
import org.meshemu.dram.MemoryModels;
import org.meshemu.kernel.Assembly;
import org.meshemu.noc.Topology;
import org.meshemu.scenario.Scenario;
import org.meshemu.workloads.Plan;

/**
 * Builds the emulated chip of a scenario around a workload's plan, in phases: every core with its
 * program (checked against the SRAM), every bank with its resident tiles, then the network, then
 * the wiring check. Component ids: cores first (id = network endpoint), then banks, then the
 * topology's routers and links.
 */
public final class SystemAssembler {
    private SystemAssembler() {}

    /** The assembled system and where its parts are. */
    public record Built(Assembly assembly, int[] cores, int[] banks, Topology.Network network) {}

    public static Built build(Scenario scenario, Plan plan) {
        Scenario.Hardware hw = scenario.hardware();
        long cyclePs = hw.cyclePs();
        int nodes = hw.noc().nodes();
        int banksPerCore = hw.dram().banksPerCore();
        if (plan.programs().size() != nodes) {
            throw new IllegalStateException("the plan has " + plan.programs().size() + " programs for " + nodes + " cores");
        }
        CoreTiming timing = new CoreTiming(cyclePs, hw.core().matrixFlopsPerCycle(), hw.core().vectorLanes(),
                hw.core().instructionOverheadCycles());
        var memoryTiming = MemoryModels.of(hw.dram(), cyclePs);
        Assembly.Builder b = Assembly.builder(scenario.seed());
        var corePorts = AiCore.ports(banksPerCore);
        int[] cores = new int[nodes];
        for (int n = 0; n < nodes; n++) {
            Program program = plan.programs().get(n);
            String label = coreLabel(hw.noc(), n);
            program.checkFits(hw.core().sramBytes(), label);
            final int node = n;
            cores[n] = b.add("core", label, n, corePorts, () -> new AiCore(node, program, timing, banksPerCore));
        }
        int[] banks = new int[nodes * banksPerCore];
        for (int n = 0; n < nodes; n++) {
            for (int k = 0; k < banksPerCore; k++) {
                int index = n * banksPerCore + k;
                String label = "bank" + k + "@" + coreLabel(hw.noc(), n);
                var contents = plan.banks().get(index);
                banks[index] = b.add("bank", label, n, Bank.PORTS, () -> new Bank(label, memoryTiming.get(), contents));
                long channelPs = hw.dram().channelLatencyCycles() * cyclePs;
                b.connect(cores[n], AiCore.memOut(k).name(), banks[index], Bank.REQ.name(), channelPs);
                b.connect(banks[index], Bank.RESP.name(), cores[n], AiCore.MEM_IN.name(), channelPs);
            }
        }
        Topology.Network network = Topology.named(hw.noc().topology()).wire(b, hw.noc(), cyclePs, cores);
        return new Built(b.build(), cores, banks, network);
    }

    static String coreLabel(Scenario.NocSpec noc, int node) {
        return "core(" + node % noc.width() + "," + node / noc.width() + ")";
    }
}
