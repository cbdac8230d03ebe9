package org.meshemu.dram;

import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;

/**
 * Closed-loop read traffic through one channel, as a requester with a fixed number of requests
 * outstanding drives a bank actor: each completion issues the next request at the completion's
 * time. Driven exactly as {@link Bank} drives its model (advance to the time of each arrival or
 * of {@link BankTimingModel#nextDuePs}), so a reordering scheduler sees arrivals only when they
 * happen. Prints one JSON line per preset, pattern and depth; these are the figures
 * docs/validation/dramsim3.csv sets beside DRAMSim3's.
 *
 * <p>Run: {@code bench/dram-bandwidth.sh [requests]} (a benchmark, so in the test sources; the tests use its probes).
 */
public final class DramBandwidthProbe {

    /** Outstanding requests of the default closed-loop requester. */
    public static final int QUEUE_DEPTH = 32;
    /** Request size of the sequential stream (a cache line). */
    public static final int SEQUENTIAL_REQUEST_BYTES = 64;
    /** Seed of the random stream, fixed so the quoted numbers are reproducible. */
    public static final long RANDOM_SEED = 42;
    /** The depths of the DRAMSim3 comparison. */
    public static final int[] DEPTHS = {1, 2, 4, 8, 16, 32, 64};

    private DramBandwidthProbe() {
    }

    /** Result of one probe run: bus bytes per second, its fraction of peak, row-hit rate, mean latency. */
    public record Result(double achievedBytesPerSecond, double peakFraction, double rowHitRate, double meanLatencyPs) {
    }

    /** Sequential reads of {@code bytes} from address 0. */
    public static Result sequential(DramStandard standard, String scheduler, int depth, int requests, int bytes) {
        return run(standard, scheduler, depth, requests, bytes, i -> i * bytes);
    }

    /** One-burst reads at uniformly random burst-aligned addresses over the channel capacity. */
    public static Result random(DramStandard standard, String scheduler, int depth, int requests, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long bursts = standard.capacityBytes() / standard.burstBytes();
        return run(standard, scheduler, depth, requests, standard.burstBytes(), i -> rng.nextLong(bursts) * standard.burstBytes());
    }

    /** Closed-loop reads, {@code depth} outstanding: request {@code i} of {@code bytes} at {@code addressOf(i)}. */
    public static Result run(DramStandard standard, String scheduler, int depth, int requests, int bytes,
                             LongUnaryOperator addressOf) {
        BankTimingModel model = new BankTimingModel(standard, DramScheduler.REGISTRY.named(scheduler).create(), BankTimingModel.DEFAULT_ROW_HIT_CAP);
        PriorityQueue<Long> arrivals = new PriorityQueue<>();
        for (int i = 0; i < Math.min(depth, requests); i++) arrivals.add(0L);
        long[] arrivalOf = new long[requests];
        long[] latencySum = {0};
        int issued = 0;
        MemoryTiming.Done done = (tag, ps) -> {
            arrivals.add(ps);
            latencySum[0] += ps - arrivalOf[(int) tag];
        };
        while (!arrivals.isEmpty() || !model.idle()) {
            long now = Math.min(arrivals.isEmpty() ? BankTimingModel.NONE : arrivals.peek(), model.nextDuePs());
            model.advance(now, done);
            while (!arrivals.isEmpty() && arrivals.peek() <= now) {
                arrivals.poll();
                if (issued < requests) {
                    arrivalOf[issued] = now;
                    model.submit(now, addressOf.applyAsLong(issued), bytes, false);
                    issued++;
                }
            }
            model.advance(now, done);
        }
        DramStats s = model.stats();
        return new Result(s.achievedBytesPerSecond(), s.peakFraction(), s.rowHitRate(), (double) latencySum[0] / requests);
    }

    public static void main(String[] args) {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        for (String name : DramPresets.names()) {
            DramStandard std = DramPresets.get(name);
            for (String pattern : new String[] {"sequential", "random"}) {
                for (int depth : DEPTHS) {
                    Result r = pattern.equals("sequential")
                            ? sequential(std, DramScheduler.DEFAULT, depth, requests, std.burstBytes())
                            : random(std, DramScheduler.DEFAULT, depth, requests, RANDOM_SEED);
                    System.out.println(String.format(Locale.ROOT,
                            "{\"preset\":\"%s\",\"pattern\":\"%s\",\"depth\":%d,\"scheduler\":\"%s\",\"GBps\":%.3f,"
                                    + "\"peakFraction\":%.3f,\"rowHitRate\":%.3f,\"latencyNs\":%.2f,\"requests\":%d}",
                            name, pattern, depth, DramScheduler.DEFAULT, r.achievedBytesPerSecond() / 1e9, r.peakFraction(),
                            r.rowHitRate(), r.meanLatencyPs() / 1e3, requests));
                }
            }
        }
    }
}
