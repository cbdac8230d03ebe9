package org.meshemu.kernel;

import java.util.random.RandomGenerator;

/**
 * A component's random stream: the SplitMix64 generator of {@link java.util.SplittableRandom},
 * draw for draw (a test compares them), with its state readable so that a checkpoint can hold it
 * ({@code SplittableRandom} keeps its state private to {@code java.base}).
 */
public final class SplitMix implements RandomGenerator {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    /** The stream of {@code new SplittableRandom(seed)}. */
    public SplitMix(long seed) { this.state = seed; }

    /** Where the stream stands: a new {@code SplitMix(state())} draws what this one would draw next. */
    public long state() { return state; }

    /**
     * The state of stream {@code index} of a seed. Mixed, because SplitMix streams whose states differ
     * by a small multiple of the gamma are one stream shifted by a few draws: seeding with
     * {@code seed * gamma + index} gave seeds 1 and 2 the same traffic, shifted by one draw.
     */
    public static long streamState(long seed, long index) {
        return mix(seed * GOLDEN_GAMMA + index);
    }

    @Override
    public long nextLong() {
        return mix(state += GOLDEN_GAMMA);
    }

    /** SplitMix64's finaliser: every bit of {@code z} moves every bit of the result (also a hash of a long key). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public int nextInt() {
        long z = state += GOLDEN_GAMMA;
        z = (z ^ (z >>> 33)) * 0x62A9D9ED799705F5L;
        return (int) (((z ^ (z >>> 28)) * 0xCB24D0A5C88C35B3L) >>> 32);
    }
}
