package org.meshemu.workloads;

import org.meshemu.scenario.LoadedScenario;

/**
 * A kind of workload, found by its scenario name ({@code workload.kind}) in the {@link Workloads}
 * registry. Adding one is one class plus a line in
 * {@code META-INF/services/org.meshemu.workloads.Workload}.
 */
public interface Workload extends org.meshemu.scenario.Named {
    /** The scenario name of this workload ({@code workload.kind}), e.g. "gemm". */
    @Override
    String name();

    /**
     * Binds the scenario's workload section (with {@link LoadedScenario#bindWorkload}), checks it
     * against the hardware, and maps it. Bad input throws {@link org.meshemu.scenario.InputException}.
     */
    Plan plan(LoadedScenario scenario);

    /**
     * What a run of this workload holds besides the network, from the scenario alone, without
     * planning (the heap estimate is made before anything is built).
     *
     * @param endpointKind the component kind at every network endpoint ("core", or the workload's own)
     * @param banks        whether every endpoint has {@code hardware.dram.banksPerCore} DRAM banks
     * @param payloadBytes the bytes of the tensors the plan and its reference hold (0 in timing mode)
     */
    record Footprint(String endpointKind, boolean banks, long payloadBytes) {}

    /** By default cores with their banks holding no tensors; workloads with tensors say their bytes. */
    default Footprint footprint(LoadedScenario scenario) {
        return new Footprint("core", true, 0);
    }

    /**
     * Files a plan reads, named by the scenario field that names them: the files {@code names} of
     * the directory {@code directory} the field names (relative to it), or, when {@code file}, the
     * one file the field names ({@code names} holds its name). A cluster's launcher sends them to
     * every node, which plans with {@code field} pointing at its copy.
     */
    record InputFiles(String field, java.nio.file.Path directory, java.util.List<String> names, boolean file) {
        /** Files of the directory a field names. */
        public static InputFiles inDirectory(String field, java.nio.file.Path directory, java.util.List<String> names) {
            return new InputFiles(field, directory, names, false);
        }

        /** The file a field names. */
        public static InputFiles file(String field, java.nio.file.Path file) {
            java.nio.file.Path absolute = file.toAbsolutePath();
            return new InputFiles(field, absolute.getParent(), java.util.List.of(absolute.getFileName().toString()), true);
        }
    }

    /** By default none: the plan reads only the scenario. */
    default java.util.List<InputFiles> inputFiles(LoadedScenario scenario) {
        return java.util.List.of();
    }

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
