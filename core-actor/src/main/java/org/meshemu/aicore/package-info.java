/**
 * The AI core: a small tile instruction set ({@link org.meshemu.aicore.Instruction}), its exact
 * fp32 kernels ({@link org.meshemu.aicore.Kernels}), the timing of each instruction
 * ({@link org.meshemu.aicore.CoreTiming}) and the core component that executes a
 * {@link org.meshemu.aicore.Program} ({@link org.meshemu.aicore.AiCore}).
 */
package org.meshemu.aicore;
