package org.meshemu.kernel;

/**
 * Which partition (one {@link NodeSync} each) hosts each component.
 *
 * @param partitions  number of partitions
 * @param partitionOf partition of each component id
 */
public record Placement(int partitions, int[] partitionOf) {
    public Placement {
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        for (int p : partitionOf) {
            if (p < 0 || p >= partitions) throw new IllegalArgumentException("partition " + p + " out of 0.." + (partitions - 1));
        }
    }

    /** Everything in one partition. */
    public static Placement single(int components) {
        return new Placement(1, new int[components]);
    }

    /**
     * Contiguous blocks of localities (mesh nodes in id order, so rows of a row-major mesh) split
     * into {@code partitions} parts of near-equal weight; components of one locality stay together.
     */
    public static Placement byLocality(Assembly assembly, int partitions) {
        return byLocality(assembly, partitions, 1);
    }

    /**
     * As {@link #byLocality(Assembly, int)}, but cut only between units of {@code unit} consecutive
     * localities (whole chips, where localities are numbered chip by chip), so the channels between
     * partitions are the slow links between units. Falls back to single localities when there are
     * fewer units than partitions.
     *
     * <p>The cut balances weight ({@link Assembly.Node#weight}, the events a component is expected to
     * handle): a unit goes to the partition its weight's midpoint falls in along the cumulative weight,
     * {@code floor(partitions * (before + weight / 2) / total)}, kept contiguous and with at least one unit
     * per partition (a partition takes at most one step from its predecessor's, and leaves a unit for each
     * partition after it). With equal weights this is a split by component count.
     */
    public static Placement byLocality(Assembly assembly, int partitions, int unit) {
        return byLocality(assembly, partitions, unit, assembly::weight);
    }

    /** As {@link #byLocality(Assembly, int, int)}, weighing each component by {@code weight} of its id (e.g. {@code id -> 1}: by count). */
    public static Placement byLocality(Assembly assembly, int partitions, int unit, java.util.function.IntToLongFunction weight) {
        if (unit < 1) throw new IllegalArgumentException("unit must be >= 1, got " + unit);
        int units = units(assembly, unit);
        if (units < partitions) {
            unit = 1;
            units = units(assembly, 1);
        }
        long[] unitWeight = new long[units];
        for (int i = 0; i < assembly.size(); i++) unitWeight[assembly.locality(i) / unit] += weight.applyAsLong(i);
        long total = 0;
        for (long w : unitWeight) total += w;
        int[] partOfUnit = new int[units];
        long before = 0;
        for (int u = 0, previous = 0; u < units; u++) {
            int target = total == 0 ? 0 : (int) Math.min(partitions - 1, Math.multiplyExact(partitions, 2 * before + unitWeight[u]) / (2 * total));
            int p = u == 0 ? 0 : Math.max(previous, Math.min(target, previous + 1));
            p = Math.max(p, partitions - (units - u)); // a unit left for each partition after this one
            partOfUnit[u] = Math.min(p, partitions - 1);
            previous = partOfUnit[u];
            before += unitWeight[u];
        }
        int[] of = new int[assembly.size()];
        for (int i = 0; i < of.length; i++) of[i] = partOfUnit[assembly.locality(i) / unit];
        return new Placement(partitions, of);
    }

    /** The weight ({@link Assembly.Node#weight}) of each partition's components, summed. */
    public long[] weights(Assembly assembly) {
        long[] w = new long[partitions];
        for (int id = 0; id < partitionOf.length; id++) w[partitionOf[id]] += assembly.weight(id);
        return w;
    }

    /** The number of components of each partition. */
    public long[] components() {
        long[] n = new long[partitions];
        for (int p : partitionOf) n[p]++;
        return n;
    }

    /**
     * The threads of {@code available} a run of {@code partitions} partitions (0: {@link #choose}'s
     * choice) takes when its scenario leaves the count to the machine: one when it has one partition,
     * else all. One partition's windows gain from a second thread only when they are large; a model
     * run's windows hold a few components each (bitnet-2b-stacked-32x32: ten events a window on
     * average), and handing them to a thread that must first be woken costs more than they do: a
     * median of 17.4 s on one thread against 27.3 s on two, RetNet-7B 60.0 against 62.1 s, uniform
     * traffic on 32 x 32 within noise (docs/PERFORMANCE.md, "One partition, one thread").
     */
    public static int threadsFor(Assembly assembly, int partitions, int available) {
        return partitionsFor(assembly, partitions, available) == 1 ? 1 : available;
    }

    /** Below this many components one partition is faster: its windows need no root round trip. */
    public static final int SPLIT_FROM_COMPONENTS = 16_384;

    /**
     * The placement for {@code partitions} partitions, or, when it is 0, the measured choice: one
     * partition on one thread or below {@link #SPLIT_FROM_COMPONENTS} components, else one per
     * thread (docs/PERFORMANCE.md has the measurements). Cuts fall between units of {@code unit}
     * localities (whole chips) where there are enough of them.
     */
    public static Placement choose(Assembly assembly, int partitions, int threads, int unit) {
        if (partitions < 0) throw new IllegalArgumentException("partitions must be >= 0, got " + partitions);
        return byLocality(assembly, partitionsFor(assembly, partitions, threads), unit);
    }

    /** The partitions {@link #choose} makes of {@code partitions} (0: its choice) on {@code threads} threads. */
    private static int partitionsFor(Assembly assembly, int partitions, int threads) {
        if (partitions > 0) return partitions;
        return threads <= 1 || assembly.size() < SPLIT_FROM_COMPONENTS ? 1 : threads;
    }

    private static int units(Assembly assembly, int unit) {
        int maxLocality = 0;
        for (int i = 0; i < assembly.size(); i++) maxLocality = Math.max(maxLocality, assembly.locality(i));
        return maxLocality / unit + 1;
    }

    /** The component ids of partition {@code p}, in id order. */
    public int[] members(int p) {
        int n = 0;
        for (int q : partitionOf) if (q == p) n++;
        int[] ids = new int[n];
        for (int id = 0, i = 0; id < partitionOf.length; id++) if (partitionOf[id] == p) ids[i++] = id;
        return ids;
    }

    /**
     * The windows this placement allows: W_cross, the minimum latency of a channel between two
     * partitions (an epoch, {@link Time#NEVER} if none), each partition's W_local, the minimum
     * latency of a channel inside it (its local window, at most W_cross).
     */
    public record Windows(long crossPs, long[] localPs) {}

    public Windows windows(Assembly assembly) {
        long cross = Time.NEVER;
        long[] local = new long[partitions];
        java.util.Arrays.fill(local, Time.NEVER);
        for (int id = 0; id < assembly.size(); id++) {
            int from = partitionOf[id];
            for (Assembly.Channel c : assembly.channels(id)) {
                if (c == null) continue;
                int to = partitionOf[c.target()];
                if (to == from) {
                    local[from] = Math.min(local[from], c.latencyPs());
                } else {
                    cross = Math.min(cross, c.latencyPs());
                }
            }
        }
        for (int p = 0; p < partitions; p++) local[p] = Math.min(local[p], cross);
        return new Windows(cross, local);
    }
}
