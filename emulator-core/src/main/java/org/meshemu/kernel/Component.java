package org.meshemu.kernel;

/**
 * A hardware model hosted by the kernel: an AI core, a router, a NoC link, a DRAM bank.
 *
 * <p>Contract: a component reacts only to the messages the kernel hands it, in the order of their
 * key (time, source id, source sequence), and affects the world only through its
 * {@link Context}. It never reads a wall clock or an unseeded random source. Under that contract
 * the kernel guarantees the same sequence of calls however components are placed.
 *
 * <p>Checkpoints ({@link Checkpointing}) hold every field of a component that is not
 * {@code transient}; a resumed run creates the component with its factory and sets those fields.
 * So a field that is configuration (set by the constructor from the assembly, never changed) is
 * declared {@code transient}, and everything a component changes while it runs is not.
 *
 * @param <M> the component's own sealed message protocol
 */
public interface Component<M> {
    /** The ports of this component's kind. */
    Ports<M> ports();

    /** Called once at time 0, before the first window; may schedule self messages only. */
    default void start(Context<M> ctx) {}

    /** Handles one message at {@code ctx.now()}. */
    void handle(M message, Context<M> ctx);

    /** Picoseconds spent doing work so far (as the report's busyPs); read by observers between windows, never during one. */
    default long busyPsSoFar() { return 0; }

    /** Bytes moved so far (serialised on a link, read and written by a bank); read by observers between windows. */
    default long bytesSoFar() { return 0; }

    /**
     * Units of its workload's declared length ({@link Work}) this component has done so far (a core: instructions
     * issued); never decreases, and at the end the components' sum is the workload's total. Read by observers between windows.
     */
    default long workSoFar() { return 0; }

    /** The component's statistics at the end of the run ({@code endPs} is the run's end time). */
    ComponentReport report(long endPs);
}
