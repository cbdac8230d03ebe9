package org.meshemu.dram;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Throughput envelopes of the presets under the probe's closed-loop traffic. */
class BandwidthTest {

    private static final int REQUESTS = 40_000;

    static java.util.List<String> presets() {
        return DramPresets.names();
    }

    @ParameterizedTest
    @MethodSource("presets")
    void sequentialReadsReachNinetyPercentOfPeak(String preset) {
        DramStandard s = DramPresets.get(preset);
        DramBandwidthProbe.Result r = DramBandwidthProbe.sequential(s, DramScheduler.DEFAULT, DramBandwidthProbe.QUEUE_DEPTH, REQUESTS,
                DramBandwidthProbe.SEQUENTIAL_REQUEST_BYTES);
        // Refresh alone costs nRFC/nREFI (9% on HBM3), so 90% leaves little room for row switches.
        assertTrue(r.peakFraction() >= 0.90, preset + ": " + r);
        assertTrue(r.peakFraction() <= 1.0 - (double) s.nRFC() / s.nREFI() + 1e-9, preset + " beats refresh: " + r);
    }

    @ParameterizedTest
    @MethodSource("presets")
    void randomReadsAreBoundedByActivateRate(String preset) {
        DramStandard s = DramPresets.get(preset);
        DramBandwidthProbe.Result r = DramBandwidthProbe.random(s, DramScheduler.DEFAULT, DramBandwidthProbe.QUEUE_DEPTH, REQUESTS,
                DramBandwidthProbe.RANDOM_SEED);
        // Random one-burst reads almost never hit (1 in rows chance), so every burst needs an ACT:
        //  - a bank activates at most once per tRC   -> banks * burstBytes / tRC
        //  - the channel at most 4 ACTs per tFAW     -> 4 * burstBytes / tFAW
        //  - and never faster than the data bus      -> peak
        // 2% slack covers the start-up transient where all banks open for free at once.
        double perRc = (double) s.banks() * s.burstBytes() / (s.ps(s.nRC()) * 1e-12);
        double perFaw = 4.0 * s.burstBytes() / (s.ps(s.nFAW()) * 1e-12);
        double bound = Math.min(Math.min(perRc, perFaw), s.peakBytesPerSecond());
        assertTrue(r.achievedBytesPerSecond() <= bound * 1.02, preset + ": " + r + " bound " + bound);
        assertTrue(r.rowHitRate() < 0.01, preset + ": " + r);
        assertTrue(r.achievedBytesPerSecond() > 0.2 * bound, preset + " implausibly slow: " + r);
    }
}
