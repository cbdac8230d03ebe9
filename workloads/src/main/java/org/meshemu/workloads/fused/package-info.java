/**
 * The models' own operators, fused: RetNet's retention ({@link org.meshemu.workloads.fused.RetentionPrompt},
 * {@link org.meshemu.workloads.fused.RetentionState}, {@link org.meshemu.workloads.fused.RetentionUpdate},
 * {@link org.meshemu.workloads.fused.RetentionRead}, with {@link org.meshemu.workloads.fused.RetentionMath})
 * and a mixture of experts' routing ({@link org.meshemu.workloads.fused.Sparsemixer}, and
 * {@link org.meshemu.workloads.fused.TracedSparsemixer} whose timing-mode decision is a seeded trace's,
 * {@link org.meshemu.workloads.fused.MixTwo}). Each is a {@code VectorOp.Fused} of the core's instruction set:
 * the operator says its shape, its cost (vector-lane work and matrix-unit flops, which the core's timing
 * charges as for a built-in operator) and its numerics, which the plain-Java reference shares, so the
 * emulator and the reference agree bit for bit. The core keeps only generic operators.
 */
package org.meshemu.workloads.fused;
