/**
 * Lowering a model's {@link org.meshemu.workloads.generate.Graph} to one static tile program per core
 * ({@link org.meshemu.workloads.generate.lower.Lowering}), split by concern: the programs being written
 * ({@link org.meshemu.workloads.generate.lower.CoreCode}), the collectives along one
 * {@link org.meshemu.workloads.generate.lower.CollectiveTree}
 * ({@link org.meshemu.workloads.generate.lower.Collectives}), where constant data lives
 * ({@link org.meshemu.workloads.generate.lower.WeightPlacement} over a
 * {@link org.meshemu.workloads.generate.lower.BankAllocator}), weight-times-activation products through
 * SRAM ({@link org.meshemu.workloads.generate.lower.MatrixProducts}), sequence mixing over the lead's chip
 * ({@link org.meshemu.workloads.generate.lower.SequenceMixing}) and registers to SRAM slots
 * ({@link org.meshemu.workloads.generate.lower.SlotAllocator}). The mappings and expert placements of
 * {@code generate} lower their nodes through these parts. Every order the programs depend on (instructions,
 * tags, registers, bank addresses) follows the graph's order alone.
 */
package org.meshemu.workloads.generate.lower;
