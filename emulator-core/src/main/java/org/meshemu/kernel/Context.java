package org.meshemu.kernel;

import java.util.random.RandomGenerator;

/**
 * What a component may do while it handles an event. Everything a component emits goes through
 * here, so the kernel can stamp each event with its ordering key and route it.
 *
 * @param <M> the component's own protocol
 */
public interface Context<M> {
    /** The simulated time of the event being handled, in picoseconds. */
    long now();

    /** This component's id in the assembly. */
    int self();

    /**
     * Sends a message through an output port; it arrives {@code delayPs} after {@link #now()}.
     * The delay must be at least the latency of the channel wired to that port: the kernel's
     * synchronisation window relies on it, so a shorter delay is a model bug and throws.
     */
    <T> void send(OutPort<T> port, T message, long delayPs);

    /** Schedules a message to this component itself, {@code delayPs >= 0} from now. */
    void schedule(M message, long delayPs);

    /** The latency of the channel wired to a port, in picoseconds; throws if it is not wired. */
    long latencyPs(OutPort<?> port);

    /** Whether a port is wired to anything. */
    boolean isWired(OutPort<?> port);

    /** This component's random stream, seeded from (scenario seed, component id). */
    RandomGenerator random();

    /**
     * Records that the component did {@code name} from {@code startPs} to {@code endPs}, for a trace
     * (an instruction, a transfer). Observation only: it changes nothing, and costs nothing unless an
     * observer traces this component.
     */
    default void traceSlice(String name, long startPs, long endPs) {}

    /** Whether {@link #traceSlice} records anything now: a component whose slice names cost something to make asks first. */
    default boolean traced() { return false; }
}
