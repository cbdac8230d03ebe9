package org.meshemu.deploy;

import org.meshemu.aicore.AiCore;
import org.meshemu.aicore.CoreSpec;
import org.meshemu.aicore.CoreTiming;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.Program;
import org.meshemu.dram.Bank;
import org.meshemu.dram.DramSpec;
import org.meshemu.dram.MemoryModels;
import org.meshemu.kernel.Assembly;
import org.meshemu.noc.Fabric;
import org.meshemu.noc.MultiChip;
import org.meshemu.noc.Topology;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.Scenario;
import org.meshemu.workloads.Plan;

/**
 * Builds the emulated chip of a scenario around a workload's plan, in phases: every endpoint (a core
 * with its program, checked against the SRAM, or the plan's custom endpoint component), every bank
 * with its resident tiles (cores only), then the network, then the wiring check. Component ids:
 * endpoints first (id = network endpoint), then banks, then the topology's routers and links.
 */
public final class SystemAssembler {
    private SystemAssembler() {}

    /** The hardware sections the assembler reads. */
    private record Parts(CoreSpec core, DramSpec dram, Fabric fabric) {
        static Parts of(Scenario.Hardware hw) { return new Parts(hw.get(CoreSpec.class), hw.get(DramSpec.class), Fabric.of(hw)); }
    }

    /** The assembled system and where its parts are. */
    public record Built(Assembly assembly, int[] cores, int[] banks, Topology.Network network) {}

    public static Built build(Scenario scenario, Plan plan) {
        Parts hw = Parts.of(scenario.hardware());
        Assembly.Builder b = Assembly.builder(scenario.seed());
        int[] banks = new int[0];
        int[] cores = switch (plan.endpoints()) {
            case Plan.Cores c -> {
                int[] ids = addCores(b, hw, plan);
                banks = addBanks(b, hw, plan, ids);
                yield ids;
            }
            case Plan.Custom c -> addCustom(b, hw, c);
        };
        int firstNetwork = b.size();
        Topology.Network network = MultiChip.wire(b, hw.fabric(), hw.core().cyclePs(), cores);
        if (plan.endpoints() instanceof Plan.Cores) weigh(b, hw, plan, cores, banks, firstNetwork);
        return new Built(b.build(), cores, banks, network);
    }

    /**
     * Sets each component's expected events ({@link Assembly.Node#weight}) from the plan, for the
     * placement to balance: a core handles about one event per instruction, per memory response and
     * per packet it receives; a bank one per access of its core; node n's router and each of its links
     * one per packet injected or ejected at n (a message is ceil(bytes / maxPacketBytes) packets, one
     * when packets are unbounded, sized by the receiver's {@code Recv}). Packets passing through a node on their route are not counted:
     * the estimate costs one pass over the programs. Each weight is 1 plus its count (an idle
     * component still costs its start). Custom endpoints (synthetic traffic) are uniform: weights stay 1.
     */
    private static void weigh(Assembly.Builder b, Parts hw, Plan plan, int[] cores, int[] banks, int firstNetwork) {
        int banksPerCore = hw.dram().banksPerCore();
        long maxPacketBytes = hw.fabric().noc().maxPacketBytes();
        long[] core = new long[cores.length], packets = new long[cores.length], bank = new long[banks.length];
        for (int n = 0; n < cores.length; n++) {
            for (Instruction i : plan.programs().get(n).instructions()) {
                core[n]++;
                switch (i) {
                    case Instruction.Load l -> { core[n]++; bank[n * banksPerCore + l.bank()]++; }
                    case Instruction.Prefetch p -> { core[n]++; bank[n * banksPerCore + p.bank()]++; }
                    case Instruction.LoadIndexed l -> { core[n]++; bank[n * banksPerCore + l.bank()]++; }
                    case Instruction.Store st -> { core[n]++; bank[n * banksPerCore + st.bank()]++; }
                    case Instruction.Recv r -> {
                        long bytes = r.dtype().bytes((long) r.rows() * r.cols());
                        long p = maxPacketBytes <= 0 ? 1 : Math.max(1, (bytes + maxPacketBytes - 1) / maxPacketBytes);
                        core[n] += p;
                        packets[n] += p;
                        if (r.source() >= 0 && r.source() < cores.length) packets[r.source()] += p;
                    }
                    default -> { }
                }
            }
        }
        for (int n = 0; n < cores.length; n++) b.weigh(cores[n], 1 + core[n]);
        for (int k = 0; k < banks.length; k++) b.weigh(banks[k], 1 + bank[k]);
        for (int id = firstNetwork; id < b.size(); id++) {
            int locality = b.locality(id);
            if (locality < cores.length) b.weigh(id, 1 + packets[locality]);
        }
    }

    private static int[] addCores(Assembly.Builder b, Parts hw, Plan plan) {
        int nodes = hw.fabric().endpoints();
        int banksPerCore = hw.dram().banksPerCore();
        if (plan.programs().size() != nodes) {
            if (hw.fabric().chips().count() > 1) {
                throw new InputException("hardware.chips.count", hw.fabric().chips().count(), "1 for this workload: it maps onto one chip ("
                        + plan.programs().size() + " programs for " + nodes + " cores)");
            }
            throw new IllegalStateException("the plan has " + plan.programs().size() + " programs for " + nodes + " cores");
        }
        CoreTiming timing = CoreTiming.of(hw.core(), hw.core().cyclePs());
        long maxPacketBytes = hw.fabric().noc().maxPacketBytes();
        var corePorts = AiCore.ports(banksPerCore);
        int[] cores = new int[nodes];
        for (int n = 0; n < nodes; n++) {
            Program program = plan.programs().get(n);
            String label = hw.fabric().endpointLabel("core", n);
            program.checkFits(hw.core().sramBytes(), label);
            program.checkRunsOn(timing, label);
            final int node = n;
            cores[n] = b.add("core", label, n, corePorts, () -> new AiCore(node, program, timing, banksPerCore, maxPacketBytes));
        }
        return cores;
    }

    private static int[] addBanks(Assembly.Builder b, Parts hw, Plan plan, int[] cores) {
        long cyclePs = hw.core().cyclePs();
        int banksPerCore = hw.dram().banksPerCore();
        var memoryTiming = MemoryModels.of(hw.dram(), cyclePs);
        long capacity = memoryTiming.get().capacityBytes();
        int[] banks = new int[cores.length * banksPerCore];
        for (int n = 0; n < cores.length; n++) {
            for (int k = 0; k < banksPerCore; k++) {
                int index = n * banksPerCore + k;
                String label = "bank" + k + "@" + hw.fabric().endpointLabel("core", n);
                var contents = plan.banks().get(index);
                checkFits(contents, capacity, label);
                banks[index] = b.add("bank", label, n, Bank.PORTS, () -> new Bank(label, memoryTiming.get(), contents));
                long channelPs = hw.dram().channelLatencyCycles() * cyclePs;
                b.connect(cores[n], AiCore.memOut(k).name(), banks[index], Bank.REQ.name(), channelPs);
                b.connect(banks[index], Bank.RESP.name(), cores[n], AiCore.MEM_IN.name(), channelPs);
            }
        }
        return banks;
    }

    /** Fails naming the bank when its resident tiles reach past its capacity (the addresses would alias). */
    private static void checkFits(java.util.Map<Long, org.meshemu.tensor.Tile> contents, long capacity, String bank) {
        long extent = 0;
        for (var e : contents.entrySet()) extent = Math.max(extent, e.getKey() + e.getValue().bytes());
        if (extent > capacity) {
            throw new InputException("hardware.dram", "too small: " + bank + " holds tiles up to byte " + extent + ", its capacity is "
                    + capacity + " (" + capacity / (1 << 20) + " MiB); use more cores or banks per core");
        }
    }

    private static int[] addCustom(Assembly.Builder b, Parts hw, Plan.Custom custom) {
        int[] ids = new int[hw.fabric().endpoints()];
        for (int n = 0; n < ids.length; n++) {
            final int node = n;
            String label = hw.fabric().endpointLabel(custom.kind(), n);
            ids[n] = b.add(custom.kind(), label, n, custom.ports(), () -> custom.factory().apply(node));
        }
        return ids;
    }
}
