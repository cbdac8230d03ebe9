package org.meshemu.scenario;

import java.util.Collection;

/** Field checks for scenario records; each failure names the field, the value and what was expected. */
public final class Check {
    private Check() {}

    public static int atLeast(String field, int value, int min) {
        if (value < min) throw new FieldException(field, value, ">= " + min);
        return value;
    }

    public static long atLeast(String field, long value, long min) {
        if (value < min) throw new FieldException(field, value, ">= " + min);
        return value;
    }

    public static double positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) throw new FieldException(field, value, "> 0");
        return value;
    }

    public static <T> T present(String field, T value) {
        if (value == null) throw new FieldException(field, "nothing", "given");
        return value;
    }

    public static String oneOf(String field, String value, Collection<String> allowed) {
        if (value == null || !allowed.contains(value)) throw new FieldException(field, value == null ? "nothing" : "'" + value + "'", "one of " + allowed);
        return value;
    }
}
