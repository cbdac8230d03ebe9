/**
 * The AI core: a small tile instruction set ({@link org.meshemu.aicore.Instruction}), its exact
 * fp32 kernels ({@link org.meshemu.aicore.Kernels}: each output's sum in a fixed order, several outputs
 * computed side by side for speed; their plain loops are the tests' oracle and the JMH baseline in
 * {@code src/jmh}), the timing of each instruction
 * ({@link org.meshemu.aicore.CoreTiming}) and the core component that executes a
 * {@link org.meshemu.aicore.Program} ({@link org.meshemu.aicore.AiCore}). The vector unit's operators
 * ({@link org.meshemu.aicore.VectorOp}) are generic; a model's own operator is a
 * {@link org.meshemu.aicore.VectorOp.Fused} that the workload defines with its shape, cost and numerics.
 */
package org.meshemu.aicore;
