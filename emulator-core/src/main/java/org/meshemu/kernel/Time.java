package org.meshemu.kernel;

/**
 * Simulated time is a {@code long} count of picoseconds. This class converts clock-domain cycles
 * to picoseconds; it is the only place where a clock frequency becomes a period.
 */
public final class Time {
    private Time() {}

    /** Sentinel meaning "no pending event". */
    public static final long NEVER = Long.MAX_VALUE;

    /**
     * The period of a clock, in whole picoseconds (rounded to nearest): a 1 GHz clock has a
     * 1,000 ps period, 1.325 GHz gives 755 ps. Rounding keeps time integral and exact.
     */
    public static long periodPs(double clockGHz) {
        if (!(clockGHz > 0) || Double.isInfinite(clockGHz)) {
            throw new IllegalArgumentException("clock must be > 0 GHz, got " + clockGHz);
        }
        long ps = Math.round(1000.0 / clockGHz);
        if (ps < 1) throw new IllegalArgumentException("clock " + clockGHz + " GHz is faster than 1 ps");
        return ps;
    }

    /** {@code t + d} for non-negative times, saturating at {@link #NEVER}. */
    public static long plus(long t, long d) {
        long sum = t + d;
        return sum < t ? NEVER : sum;
    }

    /** ceil(a / b) for non-negative a and positive b: the cycles needed to move a units at b per cycle. */
    public static long ceilDiv(long a, long b) {
        return Math.ceilDiv(a, b);
    }
}
