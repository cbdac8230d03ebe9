/**
 * Graph neural networks on the mesh ({@code workload.kind: gnn}): NGra's SAGA-NN (Scatter, ApplyEdge,
 * Gather, ApplyVertex) as tile dataflow over vertex chunks placed on cores and dense edge chunks kept
 * with their destination's core ({@link org.meshemu.workloads.gnn.GnnWorkload}); graphs from a seeded
 * R-MAT generator or an edge-list file ({@link org.meshemu.workloads.gnn.EdgeGraph}); the straight-line
 * reference the chip's output equals bit for bit ({@link org.meshemu.workloads.gnn.GnnReference}); the
 * report's {@code gnn} section ({@link org.meshemu.workloads.gnn.GnnReport}).
 */
package org.meshemu.workloads.gnn;
