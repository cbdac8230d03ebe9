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
     * into {@code partitions} near-equal parts; components of one locality stay together.
     */
    public static Placement byLocality(Assembly assembly, int partitions) {
        int maxLocality = 0;
        for (int i = 0; i < assembly.size(); i++) maxLocality = Math.max(maxLocality, assembly.node(i).locality());
        long localities = maxLocality + 1L;
        int[] of = new int[assembly.size()];
        for (int i = 0; i < of.length; i++) {
            of[i] = (int) ((long) assembly.node(i).locality() * partitions / localities);
        }
        return new Placement(partitions, of);
    }
}
