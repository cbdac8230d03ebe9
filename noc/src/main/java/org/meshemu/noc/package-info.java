/**
 * The network on chip and between chips: {@link org.meshemu.noc.Router}s and directed
 * {@link org.meshemu.noc.Link}s as components; on-chip topologies that wire them
 * ({@link org.meshemu.noc.Topology}: mesh2d, torus2d, all-to-all, registered by name); routing
 * functions ({@link org.meshemu.noc.Routing}: xy, yx, registered by name); the multi-chip
 * hierarchy ({@link org.meshemu.noc.MultiChip}, chip arrangements ring, mesh2d, torus2d,
 * all-to-all). Synthetic traffic, the workload that loads the network alone, is in
 * {@code org.meshemu.workloads.traffic}. Two router
 * models by name ({@code hardware.noc.router}, {@link org.meshemu.noc.RouterModel}): {@code ideal}
 * (below) and {@code vc}, the input-queued virtual-channel {@link org.meshemu.noc.VcRouter}
 * (its own section further down).
 *
 * <h2>Timing model of the ideal router</h2>
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
 * <p>Cut-through ({@code hardware.noc.flowControl: cut-through}, {@link org.meshemu.noc.FlowControl}):
 * a packet's head is its first flit, F = min(S, bytesPerCycle) bytes; a link starts the packet
 * when the head is there and it is free, the next router sees the head ser(F) + linkLatency
 * later and routes it at once, and the tail follows: a link ends a packet at
 * max(start + ser(S), tail + ser(F)) and the destination ejects it routerDelay after its tail.
 * Zero-load latency:
 * <pre>
 *   injection + h (routerDelay + ser(F) + linkLatency) + routerDelay + (P - 1) ser(S) + ser(L) - ser(F)
 * </pre>
 * which equals store-and-forward of one-flit packets (maxPacketBytes = bytesPerCycle) at one
 * event per router and link per packet instead of one per flit ({@code CutThroughTest}). Across
 * a slower chip link the on-chip link after it is held until the tail has crossed.
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
 * <h2>The vc router</h2>
 * {@link org.meshemu.noc.VcRouter}, as BookSim2's {@code iq} router: per input {@code count} VCs
 * of {@code bufferFlits} flits with credits per VC; a head flit goes through route computation,
 * VC allocation and switch allocation ({@link org.meshemu.noc.Allocator}: separable input-first
 * or iSLIP, round-robin, {@code iterations}), then switch traversal and the channel; body flits
 * only through switch allocation; one flit per input and per output each cycle. With s =
 * swAllocDelay + stPrepareDelay + stFinalDelay and L the link latency, a packet of F flits over h
 * hops takes, without contention,
 * <pre>
 *   injection + (h + 1) (routingDelay + vcAllocDelay + s) + h L + (L + 1) + F - 1
 * </pre>
 * i.e. 2 + 5 (h + 1) + F - 1 with BookSim's defaults, BookSim's own figure ({@code VcRouterTest};
 * the curves under load against BookSim2 are in docs/validation/). A router runs cycle by cycle
 * only while it holds flits or packets to inject: a packet costs per hop one event per flit and
 * one per credit, plus the router's busy cycles.
 *
 * <p>Speedups ({@code inputSpeedup}, {@code outputSpeedup}, BookSim's input_speedup and
 * output_speedup; 1 by default): the switch allocator sees input i's VC v at switch input
 * i is + v mod is and output o, for a flit from input i, at switch output o os + i mod os, so up to
 * is flits a cycle leave an input (from VCs of distinct residues) and up to os reach an output
 * (from inputs of distinct residues). Every output has a queue (unbounded, as BookSim's
 * output_buffer_size = -1, but never longer than the downstream credits allow) that feeds its link
 * a flit a cycle in switch-input order; a flit leaves the switch at max(t + s, when the link frees).
 * With os = 2, two inputs sending F flits each to one output drain their buffers in F cycles (credits
 * every cycle) while the output still takes 2F cycles, in the same order as without speedup
 * ({@code VcSpeedupTest}). BookSim's internal_speedup is not modelled, as it is not a switch
 * width but a second clock: BookSim runs the router's whole internal step (routing, VC and switch
 * allocation, crossbar) internal_speedup times a cycle, fractions accumulated from cycle to cycle,
 * while inputs and credits are read and each link sends once a cycle; a stage of delay 1 then
 * takes one internal step, but a stage of delay d > 1 still waits for global cycle now + d - 1
 * (its time stamps are in cycles). Matching that would give the router a step clock beside its
 * cycle, with those mixed delays, sub-cycle times for fractional speedups and every readiness
 * and credit time converted between the two; the parts of it that add throughput are there as
 * input and output speedups.
 *
 * <p>Several chips: the router at each chip port also drives that port's chip link, an output of
 * its own, and a chip link enters the far chip's port router at an input of its own, with
 * {@code count} VCs of {@code bufferFlits} and credits like any other (no link component). A chip
 * link has its own latency (a hop of latency chipLatency instead of L, rounded up to cycles where
 * it is given in ns) and rate: it takes a flit every ser_chip(flit) from its output queue (exactly,
 * in ps, for GB/s rates), and what reaches the far router is seen in the cycle after it arrives. A
 * slower chip link spaces the flits out, so the tail reaches the next router late = ceil(spacing) -
 * (F - 1) cycles later than on a link of the flit's width; every router from there on takes up
 * routingDelay + vcAllocDelay cycles of that (the cycles its head spends there and body flits do
 * not), so the tail is max(0, late - r (routingDelay + vcAllocDelay)) late after r routers
 * ({@code VcChipLinksTest}).
 *
 * <h2>Deadlock</h2>
 * Dimension-order routing on a mesh cannot deadlock. A torus ring, or a multi-chip route that
 * runs through several chips, has a cyclic channel dependency. The vc router breaks it with VC
 * classes ({@link org.meshemu.noc.VcClasses}; class k of C owns VCs floor(k V / C) up to
 * floor((k+1) V / C) - 1, and a packet's class never decreases along its route, so a cycle of
 * waiting would lie within one class). On a torus chip, dateline classes: a packet takes class 0
 * until it crosses the wrap-around link of its dimension and class 1 from there to the end of the
 * dimension, so each class's channel graph is acyclic (at least 2 VCs). On several mesh chips
 * joined in a ring, mesh or torus, a route is on-chip segments (dimension order to a port) joined
 * by chip links of the first chip dimension, then of the second. The on-chip channels are shared
 * by packets in every phase, and a route entering a chip at port node P never shares a channel
 * with (nor chains in dimension order into) a route leaving by P, so within one phase routes of
 * opposite chip directions do not depend on each other; but a packet arriving over a Y chip link
 * can wait on an on-chip channel that an X-phase packet needs. So the class is the chip dimension
 * last crossed (a packet keeps it on-chip, to its destination too) and, where the chips wrap
 * around, whether it has crossed that dimension's dateline chip link: C = dimensions x (wrap ? 2 :
 * 1), i.e. 2 on a ring, 2 on a mesh of chips, 4 on a torus of chips; a packet starts in class 0.
 * Each class then holds chains that run one way round a chip dimension without reaching its
 * dateline again (a minimal route crosses it at most once), so none closes. Chips joined
 * all-to-all need one class: a route crosses one chip link, gateway to gateway. Torus chips on
 * several chips are refused (their wrap-around on-chip routes break the port argument). The
 * ideal router has no VCs: with unbounded buffers (b = 0) no cycle of waiting can form, but with
 * finite buffers it can, and the run then fails naming a link whose packets still wait for
 * credits ({@code CreditFlowControlTest}; on a ring of chips {@code VcChipLinksTest}, where the
 * vc router completes the same traffic with one-flit buffers). All-to-all chips joined
 * all-to-all cannot deadlock: every route is inject link, exchange, at most one chip link,
 * gateway, eject link, and eject links always drain into their endpoint.
 *
 * <h2>What is not modelled</h2>
 * In the ideal router: virtual channels, head-of-line blocking in input FIFOs and allocation
 * losses (the vc router has them), packet headers (a split message moves exactly its bytes), and
 * ejection or injection bandwidth limits beyond the links (an endpoint's interface takes or
 * delivers any number of packets per cycle). In the vc router: internal speedup, speculative
 * allocation, the all-to-all exchange, and torus chips on several chips. Its links are no
 * components, so each router reports those it drives (flits and bytes per output, under the
 * links' labels) and {@code VcRouter.Measures} gives them to the report's link utilisation,
 * traffic and energy, defined as for link components (the live dashboards' link layer does not
 * show them yet).
 */
package org.meshemu.noc;
