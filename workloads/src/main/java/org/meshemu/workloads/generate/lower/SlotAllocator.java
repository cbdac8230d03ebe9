package org.meshemu.workloads.generate.lower;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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
        Map<Integer, Integer> lastUse = new HashMap<>();
        for (int pc = 0; pc < code.size(); pc++) {
            final int at = pc;
            for (int r : Instruction.reads(code.get(pc))) lastUse.put(r, at);
            int w = Instruction.write(code.get(pc));
            if (w >= 0) lastUse.put(w, at);
        }
        Map<Integer, Integer> slot = new HashMap<>();
        TreeSet<Integer> free = new TreeSet<>();
        int next = 0;
        List<Instruction> out = new ArrayList<>(code.size());
        for (int pc = 0; pc < code.size(); pc++) {
            Instruction in = code.get(pc);
            for (int r : Instruction.reads(in)) {
                if (!slot.containsKey(r)) throw new IllegalStateException("register " + r + " read before written at " + pc + ": " + in);
            }
            int w = Instruction.write(in);
            if (w >= 0 && !slot.containsKey(w)) {
                Integer s = free.pollFirst();
                slot.put(w, s != null ? s : next++);
            }
            out.add(rename(in, slot::get));
            for (int r : Instruction.reads(in)) release(r, pc, lastUse, slot, free);
            if (w >= 0) release(w, pc, lastUse, slot, free);
        }
        return out;
    }

    private static void release(int reg, int pc, Map<Integer, Integer> lastUse, Map<Integer, Integer> slot, TreeSet<Integer> free) {
        if (lastUse.get(reg) == pc && slot.containsKey(reg)) free.add(slot.remove(reg));
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
