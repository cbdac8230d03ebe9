package org.meshemu.dram;

import java.util.List;

/**
 * The outcome of one {@link BankTimingModel#access} call: when the last data beat of the request
 * left (read) or entered (write) the DRAM, per-burst row-buffer outcomes, and the commands issued.
 *
 * @param arrivalPs    when the request arrived at the channel
 * @param doneDataPs   end of the last data beat of the request
 * @param bursts       bursts the request was split into
 * @param rowHits      bursts that found their row open
 * @param rowMisses    bursts that found their bank closed
 * @param rowConflicts bursts that found another row open
 * @param commands     commands issued for this request, in scheduling order
 */
public record Completion(long arrivalPs, long doneDataPs, int bursts, int rowHits, int rowMisses, int rowConflicts,
                         List<DramCommand> commands) {

    public Completion {
        commands = List.copyOf(commands);
    }

    /** {@code doneDataPs - arrivalPs}. */
    public long latencyPs() {
        return doneDataPs - arrivalPs;
    }

    /** The commands of one type, e.g. {@code commandsOf(DramCommand.Activate.class)}. */
    public <C extends DramCommand> List<C> commandsOf(Class<C> type) {
        return commands.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
