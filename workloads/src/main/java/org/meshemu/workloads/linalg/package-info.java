/**
 * Dense linear-algebra workloads on a P x P mesh: {@code MeshGemm} by one of the {@code GemmAlgorithms}
 * (Cannon's compute-shift in MeshGEMM's form, SUMMA, a gather to one core) and {@code MeshGemv} with one of
 * the {@code GemvReductions} along each mesh row (MeshGEMV's tree, a ring all-reduce, a central sum): the
 * algorithms WaferLLM compares (docs/studies/waferllm.md). Cannon's and the tree GEMV's run times have
 * closed forms in the timing model (docs/TIMING.md, "Closed forms of whole workloads"): Cannon's exact in
 * the compute-, shift- and SRAM-bound regimes, the tree GEMV's exact where no two partials meet on a link
 * (every power-of-two width) and bounded otherwise. The tests module's {@code CannonClosedFormTest} and
 * {@code TreeGemvClosedFormTest} check them against runs, {@code LinalgBaselinesTest} the central
 * reduction's (linear in P) and the baselines' numbers.
 */
package org.meshemu.workloads.linalg;
