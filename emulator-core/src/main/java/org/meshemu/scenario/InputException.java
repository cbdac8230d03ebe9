package org.meshemu.scenario;

/**
 * Bad input from the user: a scenario field, a file, a checkpoint tensor. The message always names
 * where the problem is, the value found and what was expected, and the command line turns it into
 * exit code 2 with no stack trace.
 */
public class InputException extends RuntimeException {
    private final String path;

    /** {@code path}: where (a scenario path such as {@code hardware.noc.width}, or a file). */
    public InputException(String path, Object value, String expected) {
        super(path + ": must be " + expected + ", got " + value);
        this.path = path;
    }

    /** A problem that is not one value against an expectation (a missing file, a syntax error). */
    public InputException(String path, String message) {
        super(path + ": " + message);
        this.path = path;
    }

    /** For errors whose one-line message already names the file and the place (checkpoints, configs). */
    protected InputException(String message, Throwable cause) {
        super(message, cause);
        this.path = "";
    }

    /** Where the problem is ("" when the message names it itself). */
    public String path() {
        return path;
    }
}
