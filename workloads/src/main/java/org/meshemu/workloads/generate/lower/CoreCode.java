package org.meshemu.workloads.generate.lower;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.Program;

/**
 * The programs being written, one instruction list per core, and the names they use: virtual
 * registers (temporaries numbered above every graph value's id) and message tags (one per message).
 * Everything the lowering emits goes through {@link #emit}, so the order of a core's instructions is
 * the order of the calls.
 */
public final class CoreCode {
    /** The first temporary register: graph values' ids stay below it. */
    private static final int TEMPS = 1 << 24;

    private final List<List<Instruction>> code = new ArrayList<>();
    private int nextTemp = TEMPS;
    private int nextTag = 1;

    CoreCode(int cores) {
        for (int c = 0; c < cores; c++) code.add(new ArrayList<>());
    }

    /** A new virtual register. */
    public int temp() { return nextTemp++; }

    /** A new message tag. */
    public int tag() { return nextTag++; }

    /** Appends {@code in} to core's program. */
    public void emit(int core, Instruction in) { code.get(core).add(in); }

    /**
     * Emits what {@code body} emits on cores [first, first + p) as a block each of those cores runs only when
     * its 1 x 1 register {@code selector} holds {@code value} (a leading {@link Instruction.Skip}). The body
     * must emit on no other core, and whatever is read after the block must be written on every path.
     */
    public void guarded(int first, int p, int selector, int value, Runnable body) {
        int cores = code.size();
        int[] before = new int[cores];
        for (int c = 0; c < cores; c++) before[c] = code.get(c).size();
        body.run();
        for (int c = 0; c < cores; c++) {
            int added = code.get(c).size() - before[c];
            if (added == 0) continue;
            if (c < first || c >= first + p) throw new IllegalStateException("a block guarded on cores [" + first + ", " + (first + p) + ") emitted on core " + c);
            code.get(c).add(before[c], new Instruction.Skip(selector, value, added));
        }
    }

    /** The per-core programs, with registers mapped to SRAM slots. */
    List<Program> programs() {
        List<Program> programs = new ArrayList<>();
        for (List<Instruction> c : code) programs.add(Program.of(SlotAllocator.allocate(c)));
        return programs;
    }
}
