package org.meshemu.dram;

/** How a column access found its bank's row buffer. */
public enum RowOutcome {
    /** The addressed row was open: only the column command is needed. */
    HIT,
    /** The bank was closed (precharged or refreshed): ACT, then the column command. */
    MISS,
    /** Another row was open: PRE, ACT, then the column command. */
    CONFLICT
}
