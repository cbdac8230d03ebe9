/**
 * The models' own operators, fused: RetNet's retention ({@link org.meshemu.workloads.fused.RetentionPrompt},
 * {@link org.meshemu.workloads.fused.RetentionState}, {@link org.meshemu.workloads.fused.RetentionUpdate},
 * {@link org.meshemu.workloads.fused.RetentionRead}, with {@link org.meshemu.workloads.fused.RetentionMath})
 * and a mixture of experts' gates ({@link org.meshemu.workloads.fused.Sparsemixer}, GRIN's top-2;
 * {@link org.meshemu.workloads.fused.SoftmaxGate}, softmax top-k and the threshold gate; either wrapped in
 * {@link org.meshemu.workloads.fused.TracedGate} when its timing-mode decision is a seeded trace's) and their
 * mixture {@link org.meshemu.workloads.fused.MixExperts}. Each is a {@code VectorOp.Fused} of the core's instruction set:
 * the operator says its shape, its cost (vector-lane work and matrix-unit flops, which the core's timing
 * charges as for a built-in operator) and its numerics, which the plain-Java reference shares, so the
 * emulator and the reference agree bit for bit. The core keeps only generic operators.
 */
package org.meshemu.workloads.fused;
