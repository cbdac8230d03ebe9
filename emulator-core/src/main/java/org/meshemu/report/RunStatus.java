package org.meshemu.report;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code status.json} says about a run: written before anything else ({@code running}) and
 * replaced when the run ends, so a run directory always says how its run went. Every field is
 * defined in docs/REPORT.md.
 *
 * @param state    {@code running}, {@code completed}, {@code failed} or {@code interrupted}
 * @param message  why the run failed or was interrupted; absent otherwise
 * @param progress the last progress the kernel reported (absent before the first window)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunStatus(String state, String command, String scenario, String scenarioSha256, String startedAt, long pid,
                        String endedAt, String message, Progress progress) {
    public static final String RUNNING = "running", COMPLETED = "completed", FAILED = "failed", INTERRUPTED = "interrupted";

    /** Local windows run, the time of the last event handled and events handled so far. */
    public record Progress(long windows, long simulatedTimePs, long events) {}

    /** A run that has just started. */
    public static RunStatus running(String command, String scenario, String sha256) {
        return new RunStatus(RUNNING, command, scenario, sha256, java.time.Instant.now().toString(), ProcessHandle.current().pid(),
                null, null, null);
    }

    /** This run ended in {@code state}; {@code message} may be null. */
    public RunStatus ended(String state, String message, Progress progress) {
        return new RunStatus(state, command, scenario, scenarioSha256, startedAt, pid, java.time.Instant.now().toString(), message, progress);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isRunning() { return state.equals(RUNNING); }
}
