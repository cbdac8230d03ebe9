package org.meshemu.dram;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;

/**
 * Measures sustained read bandwidth of each preset for a sequential and a uniformly random
 * address stream and prints one JSON line per preset. Traffic is closed-loop: a requester keeps
 * {@link #QUEUE_DEPTH} requests outstanding, issuing the next one when the oldest completes,
 * which is how a core with that many outstanding loads would drive the bank actor.
 *
 * <p>Run: {@code java -cp target/classes org.meshemu.dram.DramBandwidthProbe}.
 */
public final class DramBandwidthProbe {

    /** Outstanding requests of the closed-loop requester. */
    public static final int QUEUE_DEPTH = 32;
    /** Request size of the sequential stream (a cache line). */
    public static final int SEQUENTIAL_REQUEST_BYTES = 64;
    /** Seed of the random stream, fixed so the quoted numbers are reproducible. */
    public static final long RANDOM_SEED = 42;

    private DramBandwidthProbe() {
    }

    /** Result of one probe run. */
    public record Result(double achievedBytesPerSecond, double peakFraction, double rowHitRate) {
    }

    /** Sequential reads of {@link #SEQUENTIAL_REQUEST_BYTES} from address 0. */
    public static Result sequential(DramStandard standard, int requests) {
        return run(standard, requests, SEQUENTIAL_REQUEST_BYTES, i -> i * SEQUENTIAL_REQUEST_BYTES);
    }

    /** One-burst reads at uniformly random burst-aligned addresses over the channel capacity. */
    public static Result random(DramStandard standard, int requests, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long bursts = standard.capacityBytes() / standard.burstBytes();
        return run(standard, requests, standard.burstBytes(), i -> rng.nextLong(bursts) * standard.burstBytes());
    }

    /** Closed-loop reads: request {@code i} of {@code bytes} at {@code addressOf(i)}. */
    public static Result run(DramStandard standard, int requests, int bytes, LongUnaryOperator addressOf) {
        BankTimingModel model = new BankTimingModel(standard);
        long[] doneRing = new long[QUEUE_DEPTH];
        long arrival = 0;
        for (int i = 0; i < requests; i++) {
            arrival = Math.max(arrival, doneRing[i % QUEUE_DEPTH]);
            doneRing[i % QUEUE_DEPTH] = model.read(arrival, addressOf.applyAsLong(i), bytes).doneDataPs();
        }
        DramStats s = model.stats();
        return new Result(s.achievedBytesPerSecond(), s.peakFraction(), s.rowHitRate());
    }

    public static void main(String[] args) {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        for (String name : DramPresets.names()) {
            DramStandard std = DramPresets.get(name);
            Result seq = sequential(std, requests);
            Result rnd = random(std, requests, RANDOM_SEED);
            System.out.println(String.format(Locale.ROOT,
                    "{\"preset\":\"%s\",\"mapping\":\"%s\",\"peakGBps\":%.2f,\"sequentialGBps\":%.2f,"
                            + "\"sequentialPeakFraction\":%.3f,\"randomGBps\":%.2f,\"randomPeakFraction\":%.3f,"
                            + "\"queueDepth\":%d,\"requests\":%d}",
                    name, std.addressMapping(), std.peakBytesPerSecond() / 1e9, seq.achievedBytesPerSecond() / 1e9,
                    seq.peakFraction(), rnd.achievedBytesPerSecond() / 1e9, rnd.peakFraction(), QUEUE_DEPTH,
                    requests));
        }
    }
}
