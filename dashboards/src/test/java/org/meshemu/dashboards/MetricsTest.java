package org.meshemu.dashboards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void quantilesAreNearestRankToAHundredth() {
        double[] u = new double[100];
        for (int i = 0; i < u.length; i++) u[i] = (i + 1) / 100.0; // 0.01 .. 1.00
        // quantiles 0, 0.5, 0.9, 0.99, 1: ranks 1, 50, 90, 99, 100
        assertArrayEquals(new double[] {0.01, 0.5, 0.9, 0.99, 1.0}, Metrics.quantiles(u), 1e-12);
    }

    @Test
    void quantilesOfOneValueAreThatValueAndOfNoneZero() {
        assertArrayEquals(new double[] {0.37, 0.37, 0.37, 0.37, 0.37}, Metrics.quantiles(new double[] {0.371}), 1e-12);
        assertArrayEquals(new double[5], Metrics.quantiles(new double[0]), 1e-12);
    }
}
