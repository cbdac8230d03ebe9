package org.meshemu.report;

import java.util.List;

/**
 * {@code report.json} of {@code meshemu reference}: the plain-Java reference alone, no emulation, so
 * no simulated time. {@code outputDigest} is computed as a run's is (SHA-256 of the outputs' bytes in
 * order), but a run's digest equals it only where the emulation is bit-exact.
 */
public record ReferenceReport(String scenario, String scenarioSha256, String mode, double wallSeconds, String outputDigest,
                              List<String> outputs) {}
