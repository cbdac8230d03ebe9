/**
 * The network on chip and between chips: {@link org.meshemu.noc.Router}s and directed
 * {@link org.meshemu.noc.Link}s as components; on-chip topologies that wire them
 * ({@link org.meshemu.noc.Topology}: mesh2d, torus2d, all-to-all, registered by name); routing
 * functions ({@link org.meshemu.noc.Routing}: xy, yx, registered by name); the multi-chip
 * hierarchy ({@link org.meshemu.noc.MultiChip}, chip arrangements ring, mesh2d, torus2d,
 * all-to-all); and synthetic traffic ({@link org.meshemu.noc.TrafficSource},
 * {@link org.meshemu.noc.TrafficPattern}, {@link org.meshemu.noc.TrafficStats}).
 *
 * <h2>Timing model</h2>
 * A router passes a packet routerDelay after it enters into the FIFO of the link its routing
 * function picks (or to the local endpoint); the packet counts against the buffer of the input it
 * came in on until that link starts it (input buffers with virtual output queues: no head-of-line
 * blocking). A link holds a
 * packet of b bytes for ser(b) = ceil(b / bytesPerCycle) cycles once it is free, and delivers it
 * linkLatency after its last byte. This is BookSim2's zero-load model with a store-and-forward
 * packet (a packet is a single flit as wide as it is long), so a network interface that cuts a
 * message into packets ({@code hardware.noc.maxPacketBytes}) gets virtual cut-through at packet
 * granularity: the packets pipeline across hops and the destination's interface reassembles the
 * message ({@link org.meshemu.wire.Reassembly}) before anyone sees it.
 *
 * <p>Zero-load latency of a message of B bytes over h >= 1 hops, in cycles, with S the packet
 * size (B if unsplit), P = ceil(B / S) packets and L = B - (P-1) S bytes in the last one:
 * <pre>
 *   injection + h (routerDelay + linkLatency) + routerDelay + (h - 1 + P - 1) ser(S) + ser(L)
 * </pre>
 * For equal packets (L = S) that is injection + h (routerDelay + ser(S) + linkLatency) +
 * routerDelay + (P - 1) ser(S): the source router, each hop's serialisation and wire, the
 * destination router's ejection, and the pipelining of the other packets behind the first. On an
 * all-to-all exchange it is injection + 2 linkLatency + routerDelay + P ser(S) + ser(L). A chip
 * link is one more hop with its own rate and latency. {@code ZeroLoadLatencyTest} and
 * {@code MultiChipTest} check these to the cycle.
 *
 * <p>All-to-all chips are joined as the IPU's exchange reaches its IPU-Links: the exchange is the
 * chip's gateway. Every exchange port drives every chip link out of the chip (one FIFO per chip
 * link, shared by all the chip's tiles, as an eject link is shared by all senders), and a chip
 * link enters the far chip's exchange at one more port, the gateway, which forwards to the tile's
 * eject link (or, on a route through the chip, to the next chip link) after routerDelay:
 * inject link, exchange, chip link, gateway, eject link. With P packets of S bytes (L = S) and
 * serChip the chip link's serialisation, across one chip link:
 * <pre>
 *   injection + 2 linkLatency + chipLatency + 2 routerDelay + 2 ser(S) + serChip(S)
 *     + (P - 1) max(ser(S), serChip(S))
 * </pre>
 * i.e. the single chip's exchange plus one router traversal and one chip link, the packets
 * pipelining behind the slowest of the three links; each further chip crossing adds
 * routerDelay + serChip(S) + chipLatency. With credits the chip link's round trip is serChip(S) +
 * 2 chipLatency + routerDelay (its packets leave the gateway's buffer when the eject link starts
 * them). {@code AllToAllChipsTest} checks these to the cycle.
 *
 * <p>Flow control ({@code hardware.noc.bufferPackets} = b > 0): a link starts a packet only with
 * a credit for the next router's input buffer; the credit comes back linkLatency after the packet
 * leaves that buffer (the next link starts it, or the router ejects it), so one packet's credit
 * round trip is RTT = ser(S) + 2 linkLatency + routerDelay and a link runs at full rate exactly
 * when b ser(S) >= RTT; with b = 1 a message of P packets takes (P-1) (RTT - ser(S)) cycles more
 * than the zero-load formula. With b = 0 buffers are unbounded and no credits flow.
 * {@code CreditFlowControlTest} checks both to the cycle. Injection queues are always unbounded,
 * as BookSim's source queues.
 *
 * <h2>Throughput</h2>
 * Uniform traffic on a k x k mesh with links of b packets per cycle (b = bytesPerCycle /
 * packetBytes, at most 1 per direction per link) saturates at or below the bisection bound
 * lambda = 4 b / k packets per node per cycle: half the traffic of each half crosses the k links
 * of the bisection each way. With dimension-order routing the central row and column links are
 * exactly that loaded, so the bound is reached (0.5 on an 8 x 8 mesh with 32-byte packets on
 * 32-byte links; see bench/noc-latency-curve.sh). Above saturation the aggregate accepted rate
 * can creep past the bound, because unbounded queues let traffic that avoids the bisection keep
 * flowing while crossing traffic piles up.
 *
 * <h2>Deadlock</h2>
 * Dimension-order routing on a mesh cannot deadlock. A torus ring, or a multi-chip route that
 * runs through several chips, has a cyclic channel dependency that real routers break with
 * dateline virtual channels, which are not modelled: with unbounded buffers (b = 0) no cycle of
 * waiting can form, but with finite buffers it can, and the run then fails naming a link whose
 * packets still wait for credits. All-to-all chips joined all-to-all cannot deadlock: every
 * route is inject link, exchange, at most one chip link, gateway, eject link, and eject links
 * always drain into their endpoint.
 *
 * <h2>What is not modelled</h2>
 * Virtual channels (and so deadlock avoidance with finite buffers on a torus), head-of-line
 * blocking in input FIFOs, flits smaller than a packet, packet headers (a split message moves
 * exactly its bytes), and ejection or injection bandwidth limits beyond the links (an endpoint's
 * interface takes or delivers any number of packets per cycle).
 */
package org.meshemu.noc;
