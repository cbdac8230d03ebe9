/**
 * DRAM: the {@link org.meshemu.dram.Bank} component (one actor per bank or channel) and the
 * timing models behind it ({@link org.meshemu.dram.MemoryTiming}): a fixed-latency model for
 * closed-form studies and a DRAM-standard model, pure logic with no clocks ticking.
 *
 * <p>Concepts, one per class: {@link org.meshemu.dram.DramStandard} (organisation and timing
 * as validated data, in device cycles), {@link org.meshemu.dram.DramPresets} (named standards
 * with their sources), {@link org.meshemu.dram.mapping.AddressMappings} (named address
 * schemes), {@link org.meshemu.dram.BankTimingModel} (one channel: banks sharing a data bus,
 * FCFS), {@link org.meshemu.dram.DramStats} (counters) and
 * {@link org.meshemu.dram.DramBandwidthProbe} (the quoted bandwidth numbers). All simulated
 * time is a {@code long} in picoseconds.
 */
package org.meshemu.dram;
