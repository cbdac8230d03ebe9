package org.meshemu.kernel;

/** A run failed inside the emulation (a component broke a rule of its model); the message names the component. */
public class EmulationException extends RuntimeException {
    public EmulationException(String message, Throwable cause) {
        super(message, cause);
    }
}
