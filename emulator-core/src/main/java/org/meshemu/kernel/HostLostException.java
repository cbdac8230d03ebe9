package org.meshemu.kernel;

/** A JVM hosting partitions of the run died or became unreachable, so the run cannot complete. */
public final class HostLostException extends EmulationException {
    public HostLostException(String message) {
        super(message, null);
    }
}
