package org.meshemu.dram;

/**
 * Thrown when a DRAM configuration value is invalid; {@link #field()} names the offending
 * parameter by its standard name (e.g. {@code nRCD}) so callers and config tooling can point at it.
 *
 * <p>Messages follow one shape, {@code "<field>: <what was expected>, got <value>"}, so a user
 * reading a log line sees the parameter, the rule and the value without consulting the code.
 */
public final class DramConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field   standard name of the offending parameter (never {@code null})
     * @param message full message; by convention it starts with {@code field + ": "}
     */
    public DramConfigException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** Builds the conventional {@code "<field>: must be <expected>, got <value>"} message. */
    static DramConfigException expected(String field, String expected, Object got) {
        return new DramConfigException(field, field + ": must be " + expected + ", got " + got);
    }

    /** The standard name of the parameter that failed validation. */
    public String field() {
        return field;
    }
}
