package org.meshemu.workloads;

import org.meshemu.scenario.LoadedScenario;

/**
 * A kind of workload, found by its scenario name ({@code workload.kind}) through
 * {@link java.util.ServiceLoader}. Adding one is one class plus a line in
 * {@code META-INF/services/org.meshemu.workloads.Workload}.
 */
public interface Workload {
    /** The scenario name of this workload, e.g. "gemm". */
    String kind();

    /**
     * Binds the scenario's workload section (with {@link LoadedScenario#bindWorkload}), checks it
     * against the hardware, and maps it. Bad input throws {@link org.meshemu.scenario.InputException}.
     */
    Plan plan(LoadedScenario scenario);

    /**
     * The workload's outputs computed by the plain-Java reference only (what {@code meshemu reference}
     * writes). By default the plan's reference; workloads whose mapping is costly to build override it.
     */
    default java.util.List<org.meshemu.tensor.Tensor> reference(LoadedScenario scenario) {
        Plan plan = plan(scenario);
        if (plan.reference() == null) {
            throw new org.meshemu.scenario.InputException(scenario.source() + ": run.payload", "'timing'", "'full' for a reference run");
        }
        return plan.reference().get();
    }
}
