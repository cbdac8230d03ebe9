/**
 * The network on chip: {@link org.meshemu.noc.Router}s and directed {@link org.meshemu.noc.Link}s
 * as components, topologies that wire them ({@link org.meshemu.noc.Topology}, registered by name)
 * and routing functions ({@link org.meshemu.noc.Routing}, registered by name).
 *
 * <p>A packet's zero-load latency over h hops is injection + h (routerDelay + ceil(B / bytesPerCycle)
 * + linkLatency) + routerDelay cycles: the source router, each hop's link serialisation and wire,
 * and the destination router's ejection.
 */
package org.meshemu.noc;
