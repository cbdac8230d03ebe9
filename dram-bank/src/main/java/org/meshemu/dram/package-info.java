/**
 * DRAM: the {@link org.meshemu.dram.Bank} component (one actor per bank or channel) and the
 * timing models behind it ({@link org.meshemu.dram.MemoryTiming}): a fixed-latency model for
 * closed-form studies and a DRAM-standard model, pure logic with no clocks ticking.
 *
 * <p>Concepts, one per class: {@link org.meshemu.dram.DramStandard} (organisation and timing
 * as validated data, in device cycles), {@link org.meshemu.dram.MemoryModel} (the registry of
 * what {@code hardware.dram.preset} names: {@code fixed} and the DRAM standards, each a
 * {@link org.meshemu.dram.DramPreset} class with its sources; {@link org.meshemu.dram.DramPresets}
 * lists the standards), {@link org.meshemu.dram.mapping.AddressMappings} (named address
 * schemes), {@link org.meshemu.dram.BankTimingModel} (one channel's controller: banks sharing a
 * command and a data bus, requests split into per-bank {@link org.meshemu.dram.Segment}s),
 * {@link org.meshemu.dram.DramScheduler} (which queued segment goes next, registered by name:
 * {@code frfcfs}, FR-FCFS with per-bank queues and a cap on younger row hits passing the oldest,
 * the default; {@code fcfs}, arrival order) and {@link org.meshemu.dram.DramStats} (counters). The
 * closed-loop bandwidth and latency probe, whose figures are set beside DRAMSim3's in docs/validation,
 * is a benchmark in the test sources ({@code DramBandwidthProbe}, bench/dram-bandwidth.sh). All
 * simulated time is a {@code long} in picoseconds.
 *
 * <p><b>Timing model.</b> Every command goes at the earliest clock edge at which each rule holds
 * against every earlier command it constrains: per bank nRCD, nRAS, nRP, nRC, nRTP, nWR; per
 * channel nRRD_L (same bank group) and nRRD_S, nFAW, nCCD_L and nCCD_S, nWTR, data-bus occupancy;
 * one row and one column command per edge; all-bank refresh. Row commands issue in time order and
 * so do column commands, so the latest command of each kind and group stands for all earlier ones.
 *
 * <p><b>Closed forms.</b> A row hit's data ends nCL + burst after its column command; a closed
 * bank adds nRCD after its ACT; a conflict adds nRP after its PRE. A run of n bursts to one open
 * row, when it is the oldest queued work and its bursts are consecutive, issues at c0 + k max(nCCD_L,
 * burst) and ends at c0 + (n - 1) max(nCCD_L, burst) + nCL + burst; the model places it at once.
 * Random one-burst reads are bounded by min(banks / nRC, 4 / nFAW) bursts per unit time.
 *
 * <p><b>In a run.</b> A {@link org.meshemu.dram.Bank} queues each request as it arrives; a model
 * whose scheduler may still reorder it ({@code frfcfs}) is advanced again by a self-wake at
 * {@link org.meshemu.dram.MemoryTiming#nextDuePs()}, a lower bound of its next completion, and
 * decides each clock edge only once every request that arrived by then is queued. Data moves in
 * arrival order (a read returns what the bank held when it arrived); only timing is reordered.
 */
package org.meshemu.dram;
