package org.meshemu.workloads.generate.lower;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.meshemu.aicore.Instruction;

/**
 * Register allocation for one core's program: the lowering names every value by a virtual register;
 * this pass maps them onto SRAM slots, reusing a slot once its value is dead (after its last read or
 * write), lowest free slot first, so the program's SRAM footprint is what is live at once rather than
 * everything the run ever computed. Liveness is by program order, which stays sound across forward
 * {@link Instruction.Skip}s: a block's temporaries live and die inside it, and a value read after a
 * block is written on every path (the lowering's contract), so its slot is held from its first write.
 */
public final class SlotAllocator {
    private SlotAllocator() {}

    public static List<Instruction> allocate(List<Instruction> code) {
        // Registers are sparse (graph value ids and temporaries from 2^24 up): number this program's densely, by
        // rank, so liveness and slots are plain arrays (boxed maps and a tree set took a third of a full-size plan).
        int n = code.size();
        int[][] reads = new int[n][];
        int[] writes = new int[n];
        int[] all = new int[Math.max(16, 2 * n)];
        int count = 0;
        for (int pc = 0; pc < n; pc++) {
            reads[pc] = Instruction.reads(code.get(pc));
            writes[pc] = Instruction.write(code.get(pc));
            if (count + reads[pc].length + 1 > all.length) all = Arrays.copyOf(all, 2 * all.length + reads[pc].length + 1);
            for (int r : reads[pc]) all[count++] = r;
            if (writes[pc] >= 0) all[count++] = writes[pc];
        }
        int[] registers = distinct(all, count);
        int[] lastUse = new int[registers.length];
        for (int pc = 0; pc < n; pc++) { // from here on, operands are ranks (registers[rank] is the register)
            for (int j = 0; j < reads[pc].length; j++) lastUse[reads[pc][j] = rank(registers, reads[pc][j])] = pc;
            if (writes[pc] >= 0) lastUse[writes[pc] = rank(registers, writes[pc])] = pc;
        }
        int[] slot = new int[registers.length];
        Arrays.fill(slot, -1);
        BitSet free = new BitSet();
        int next = 0;
        List<Instruction> out = new ArrayList<>(n);
        for (int pc = 0; pc < n; pc++) {
            Instruction in = code.get(pc);
            for (int r : reads[pc]) {
                if (slot[r] < 0) throw new IllegalStateException("register " + registers[r] + " read before written at " + pc + ": " + in);
            }
            int w = writes[pc];
            if (w >= 0 && slot[w] < 0) {
                int s = free.nextSetBit(0); // the lowest free slot
                if (s >= 0) free.clear(s);
                else s = next++;
                slot[w] = s;
            }
            out.add(rename(in, r -> slot[rank(registers, r)]));
            for (int r : reads[pc]) release(r, pc, lastUse, slot, free);
            if (w >= 0) release(w, pc, lastUse, slot, free);
        }
        return out;
    }

    /** The distinct values of {@code values[0, count)}, ascending. */
    private static int[] distinct(int[] values, int count) {
        int[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int m = 0;
        for (int i = 0; i < count; i++) if (m == 0 || sorted[i] != sorted[m - 1]) sorted[m++] = sorted[i];
        return Arrays.copyOf(sorted, m);
    }

    private static int rank(int[] registers, int reg) { return Arrays.binarySearch(registers, reg); }

    /** Frees register {@code r}'s slot (by rank) after its last use, once (an instruction may read a register twice). */
    private static void release(int r, int pc, int[] lastUse, int[] slot, BitSet free) {
        if (lastUse[r] == pc && slot[r] >= 0) {
            free.set(slot[r]);
            slot[r] = -1;
        }
    }

    static Instruction rename(Instruction in, IntUnaryOperator s) {
        return switch (in) {
            case Instruction.Load l -> new Instruction.Load(s.applyAsInt(l.dst()), l.bank(), l.address(), l.rows(), l.cols(), l.dtype());
            case Instruction.Prefetch p -> new Instruction.Prefetch(s.applyAsInt(p.dst()), p.bank(), p.address(), p.rows(), p.cols(), p.dtype());
            case Instruction.LoadIndexed l -> new Instruction.LoadIndexed(s.applyAsInt(l.dst()), l.bank(), l.base(), l.stride(), l.count(),
                    s.applyAsInt(l.index()), l.rows(), l.cols(), l.dtype());
            case Instruction.Store st -> new Instruction.Store(s.applyAsInt(st.src()), st.bank(), st.address());
            case Instruction.Send sd -> new Instruction.Send(s.applyAsInt(sd.src()), sd.destination(), sd.tag());
            case Instruction.Recv r -> new Instruction.Recv(s.applyAsInt(r.dst()), r.source(), r.tag(), r.rows(), r.cols(), r.dtype());
            case Instruction.Gemm g -> new Instruction.Gemm(s.applyAsInt(g.a()), s.applyAsInt(g.b()), s.applyAsInt(g.c()), g.accumulate());
            case Instruction.Elementwise e -> new Instruction.Elementwise(e.op(), s.applyAsInt(e.a()), s.applyAsInt(e.b()), s.applyAsInt(e.dst()));
            case Instruction.Reduce r -> new Instruction.Reduce(s.applyAsInt(r.src()), s.applyAsInt(r.dst()), r.axis());
            case Instruction.Vector v -> new Instruction.Vector(v.op(), v.srcs().stream().map(s::applyAsInt).toList(), s.applyAsInt(v.dst()));
            case Instruction.LutGemm g -> new Instruction.LutGemm(s.applyAsInt(g.w()), s.applyAsInt(g.x()), s.applyAsInt(g.c()));
            case Instruction.Mark m -> m;
            case Instruction.Count c -> c;
            case Instruction.Skip k -> new Instruction.Skip(s.applyAsInt(k.index()), k.value(), k.count());
        };
    }
}
