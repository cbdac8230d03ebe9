/**
 * Synthetic network traffic (BookSim2-style), the workload that loads the NoC alone:
 * {@link org.meshemu.workloads.traffic.SyntheticTraffic} puts a
 * {@link org.meshemu.workloads.traffic.TrafficSource} at every endpoint in place of a core, sending to the
 * destinations of a {@link org.meshemu.workloads.traffic.TrafficPattern} (a registry by
 * {@code workload.pattern}, one class per pattern in {@link org.meshemu.workloads.traffic.TrafficPatterns});
 * {@link org.meshemu.workloads.traffic.TrafficStats} makes the report's {@code noc} section of its counters
 * and the links'.
 */
package org.meshemu.workloads.traffic;
