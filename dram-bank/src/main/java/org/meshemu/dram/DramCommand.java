package org.meshemu.dram;

/**
 * A DRAM command as issued by {@link BankTimingModel}, with its issue time in picoseconds.
 * Returned in {@link Completion#commands()} so tests and traces can check timing rules command
 * by command. {@code bank} is the flat bank index ({@code bank * bankGroups + bankGroup}).
 */
public sealed interface DramCommand {

    /** Issue time in ps, always on a clock edge. */
    long atPs();

    /** Flat bank index the command addresses. */
    int bank();

    /** Opens {@code row} in {@code bank}. */
    record Activate(int bank, int bankGroup, int row, long atPs) implements DramCommand { }

    /** Closes the open row; {@code auto} marks the internal precharge of RDA/WRA. */
    record Precharge(int bank, long atPs, boolean auto) implements DramCommand { }

    /** Read burst from the open {@code row}; data occupies the bus from {@code dataStartPs} to {@code dataEndPs}. */
    record Read(int bank, int bankGroup, int row, int column, long atPs, long dataStartPs, long dataEndPs)
            implements DramCommand { }

    /** Write burst to the open {@code row}; data occupies the bus from {@code dataStartPs} to {@code dataEndPs}. */
    record Write(int bank, int bankGroup, int row, int column, long atPs, long dataStartPs, long dataEndPs)
            implements DramCommand { }

    /** Short mnemonic for traces: ACT, PRE, PREA (auto), RD, WR. */
    static String mnemonic(DramCommand c) {
        return switch (c) {
            case Activate a -> "ACT";
            case Precharge p -> p.auto() ? "PRE(auto)" : "PRE";
            case Read r -> "RD";
            case Write w -> "WR";
        };
    }
}
