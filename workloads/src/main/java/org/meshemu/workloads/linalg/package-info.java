/**
 * Dense linear-algebra workloads: GEMM by Cannon's compute-shift on a mesh, GEMV with a tree reduction.
 * Both have closed forms of their run time in the timing model (docs/TIMING.md, "Closed forms of whole
 * workloads"): Cannon's exact in the compute-, shift- and SRAM-bound regimes, the tree GEMV's exact
 * where no two partials meet on a link (every power-of-two width) and bounded otherwise. The tests
 * module's {@code CannonClosedFormTest} and {@code TreeGemvClosedFormTest} check them against runs.
 */
package org.meshemu.workloads.linalg;
