package org.meshemu.aicore.bench;

import java.util.SplittableRandom;

/** Operand data and shape parsing shared by the benchmarks. */
final class Shapes {
    private Shapes() {}

    /** "m x k" as written in a @Param ("3x3072"). */
    static int[] parse(String weights) {
        String[] p = weights.split("x");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
    }

    static float[] uniform(SplittableRandom random, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = (float) (random.nextDouble() * 2 - 1);
        return v;
    }

    static float[] integers(SplittableRandom random, int size, int lo, int hi) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = random.nextInt(lo, hi + 1);
        return v;
    }
}
