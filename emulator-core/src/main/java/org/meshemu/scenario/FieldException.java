package org.meshemu.scenario;

/**
 * Thrown by a scenario record's constructor when one of its own fields is bad. The loader knows
 * where the record sits in the document and turns this into an {@link InputException} whose path
 * is the full one ({@code hardware.noc.width}).
 */
public final class FieldException extends IllegalArgumentException {
    private final String field;
    private final String detail;

    public FieldException(String field, Object value, String expected) {
        super(field + ": must be " + expected + ", got " + value);
        this.field = field;
        this.detail = "must be " + expected + ", got " + value;
    }

    public String field() { return field; }

    /** The message without the field name. */
    public String detail() { return detail; }
}
