package org.meshemu.kernel;

import java.util.List;

/**
 * The outcome of a finished run.
 *
 * @param simulatedPs  the time of the last event handled, in picoseconds
 * @param events       messages handled by components (including those they scheduled to themselves)
 * @param windows      local synchronisation windows executed, summed over partitions
 * @param epochs       epochs: rounds of the partitions' exchange (see NodeSync)
 * @param startupNanos wall-clock time to create, start up and spawn every component
 * @param wallNanos    wall-clock time from the first epoch to the last report
 * @param reports      every component's report, ordered by component id
 * @param partitions   each partition's exchange figures, by partition
 */
public record RunResult(long simulatedPs, long events, long windows, long epochs, long startupNanos, long wallNanos,
                        List<ComponentReport> reports, List<PartitionStats> partitions) {
    public RunResult {
        reports = List.copyOf(reports);
        partitions = List.copyOf(partitions);
    }
}
