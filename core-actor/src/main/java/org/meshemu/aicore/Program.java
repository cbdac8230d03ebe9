package org.meshemu.aicore;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.meshemu.scenario.InputException;
import org.meshemu.tensor.DType;

/**
 * A core's straight-line tile program (forward {@link Instruction.Skip}s aside), checked when it is
 * made: every operand slot is defined before use in program order, shapes agree, and every skip ends
 * inside the program. Reading after a skipped block what only the block writes is the lowering's
 * responsibility (it writes such a value on every path). Its SRAM footprint is the peak, over the
 * program, of the bytes of the tiles live at once (a tile lives from the instruction that writes it to
 * the last one that reads it): what a memory planner that places each tile in SRAM for its lifetime
 * needs, fragmentation aside. (Sizing each slot to the largest tile it ever holds would charge a slot
 * that once held the logits as if it held them all run long.)
 */
public record Program(List<Instruction> instructions, long footprintBytes, int slots, Set<DType> matrixTypes) {

    public Program {
        instructions = List.copyOf(instructions);
        matrixTypes = Set.copyOf(matrixTypes);
    }

    public static Program of(List<Instruction> instructions) {
        Set<DType> matrixTypes = EnumSet.noneOf(DType.class);
        Checked c = check(instructions, matrixTypes);
        return new Program(instructions, c.footprintBytes(), c.slots(), matrixTypes);
    }

    public static Program empty() {
        return of(List.of());
    }

    public int size() { return instructions.size(); }

    /** Fails with a message naming the core, the bytes needed and the bytes there are, if the program does not fit. */
    public void checkFits(long sramBytes, String core) {
        if (footprintBytes > sramBytes) {
            throw new InputException("hardware.core.sramKiB",
                    "too small: " + core + " needs " + footprintBytes + " bytes of SRAM for its tiles, has " + sramBytes
                            + " (" + sramBytes / 1024 + " KiB)");
        }
    }

    /**
     * Fails naming the core and the scenario field if the program has a gemm on a dtype the matrix unit
     * has no rate for, so the run stops at load rather than mid-way.
     */
    public void checkRunsOn(CoreTiming timing, String core) {
        for (DType t : matrixTypes) {
            if (!timing.matrixFlopsPerCycle().containsKey(t)) {
                throw new InputException("hardware.core.matrixFlopsPerCycle." + t.key(),
                        "missing: " + core + " runs a gemm on " + t.key() + " operands; rates given: "
                                + timing.matrixFlopsPerCycle().keySet().stream().map(DType::key).sorted().toList());
            }
        }
    }

    /** A tile in a slot: its bytes, the instruction that wrote it and the last instruction that read it so far. */
    private static final class Lifetime {
        final long bytes;
        final int written;
        int lastRead;

        Lifetime(long bytes, int written) {
            this.bytes = bytes;
            this.written = written;
            this.lastRead = written;
        }
    }

    /**
     * Checks operands and shapes, adds the matrix-unit dtypes to {@code matrixTypes} and returns the peak bytes of
     * live tiles and the slots used. A write inside a block a {@link Instruction.Skip} may pass over does not end
     * the slot's earlier tile (on the other path it is still there, e.g. a result that only some groups overwrite);
     * a write to a slot the same instruction reads (an accumulating gemm) replaces the tile in place. A read sees only
     * the slot's newest tile when no skip can pass over that tile's write and still reach the read (the write and the
     * read in one block, as a block's temporaries), so temporaries that reuse a slot block after block stay one tile.
     */
    private static Checked check(List<Instruction> program, Set<DType> matrixTypes) {
        Slots<Shape> live = new Slots<>();                    // slot -> the shape it holds
        Slots<List<Lifetime>> tiles = new Slots<>();          // slot -> the tiles it may hold
        long[] change = new long[program.size() + 1];         // bytes becoming live at pc, minus those dead after pc - 1
        int guardedUntil = -1;                                // the last instruction of the skippable blocks seen so far
        java.util.TreeMap<Integer, Integer> blockEnds = new java.util.TreeMap<>();   // a skippable block's last instruction -> its earliest skip
        for (int pc = 0; pc < program.size(); pc++) {
            Instruction in = program.get(pc);
            final int at = pc;
            java.util.function.IntFunction<Shape> use = slot -> {
                Shape s = live.get(slot);
                if (s == null) throw new IllegalArgumentException("instruction " + at + " (" + in + ") reads slot " + slot + " before it is written");
                List<Lifetime> held = tiles.get(slot);
                Lifetime newest = held.getLast();
                boolean onlyNewest = held.size() == 1 || blockEnds.subMap(newest.written, true, at, false).values().stream().allMatch(j -> j >= newest.written);
                if (onlyNewest) newest.lastRead = at;
                else for (Lifetime t : held) t.lastRead = at;
                return s;
            };
            if (in instanceof Instruction.Skip k) {
                guardedUntil = Math.max(guardedUntil, pc + k.count());
                blockEnds.merge(pc + k.count(), pc, Math::min);
            }
            Shape out;
            int dst;
            switch (in) {
                case Instruction.Load l -> { out = new Shape(l.rows(), l.cols(), l.dtype()); dst = l.dst(); }
                case Instruction.Prefetch p -> { out = new Shape(p.rows(), p.cols(), p.dtype()); dst = p.dst(); }
                case Instruction.Recv r -> { out = new Shape(r.rows(), r.cols(), r.dtype()); dst = r.dst(); }
                case Instruction.LoadIndexed l -> {
                    Shape index = use.apply(l.index());
                    if (index.elements() != 1) throw new IllegalArgumentException("instruction " + pc + " (" + in + "): index slot holds " + index);
                    out = new Shape(l.rows(), l.cols(), l.dtype());
                    dst = l.dst();
                }
                case Instruction.Mark m -> { continue; }
                case Instruction.Count c -> { continue; }
                case Instruction.Skip k -> {
                    Shape index = use.apply(k.index());
                    if (index.elements() != 1) throw new IllegalArgumentException("instruction " + pc + " (" + in + "): index slot holds " + index);
                    if (pc + k.count() >= program.size()) throw new IllegalArgumentException("instruction " + pc + " (" + in + ") skips past the end");
                    continue;
                }
                case Instruction.Vector v -> {
                    List<Shape> ins = new java.util.ArrayList<>();
                    for (int src : v.srcs()) ins.add(use.apply(src));
                    try {
                        out = v.op().out(ins);
                    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                        throw new IllegalArgumentException("instruction " + pc + " (" + in + "): " + e.getMessage(), e);
                    }
                    if (v.op().matrixFlops(ins) > 0) matrixTypes.add(DType.FP32);   // prompt retention's products
                    dst = v.dst();
                }
                case Instruction.LutGemm g -> {
                    Shape w = use.apply(g.w()), x = use.apply(g.x());
                    if (w.cols() != x.rows()) throw new IllegalArgumentException("instruction " + pc + " (" + in + "): " + w + " . " + x);
                    out = new Shape(w.rows(), x.cols(), DType.INT32);
                    dst = g.c();
                }
                case Instruction.Store s -> { use.apply(s.src()); continue; }
                case Instruction.Send s -> { use.apply(s.src()); continue; }
                case Instruction.Gemm g -> {
                    Shape a = use.apply(g.a()), b = use.apply(g.b());
                    if (a.cols() != b.rows()) throw new IllegalArgumentException("instruction " + pc + " (" + in + "): " + a + " . " + b);
                    if (g.accumulate()) use.apply(g.c());
                    out = new Shape(a.rows(), b.cols(), Kernels.gemmType(a.dtype(), b.dtype()));
                    matrixTypes.add(CoreTiming.matrixType(a.dtype(), b.dtype()));
                    dst = g.c();
                }
                case Instruction.Elementwise e -> {
                    Shape a = use.apply(e.a()), b = use.apply(e.b());
                    if (a.rows() != b.rows() || (a.cols() != b.cols() && b.cols() != 1)) throw new IllegalArgumentException("instruction " + pc + " (" + in + "): " + a + " vs " + b);
                    out = new Shape(a.rows(), a.cols(), DType.FP32);
                    dst = e.dst();
                }
                case Instruction.Reduce r -> {
                    Shape s = use.apply(r.src());
                    out = r.axis() == Instruction.Axis.ROWS ? new Shape(1, s.cols(), DType.FP32) : new Shape(s.rows(), 1, DType.FP32);
                    dst = r.dst();
                }
            }
            live.put(dst, out);
            List<Lifetime> before = tiles.get(dst);
            if (before == null) tiles.put(dst, before = new ArrayList<>());
            if (pc > guardedUntil) {
                boolean inPlace = !before.isEmpty() && before.getLast().lastRead == pc;   // this instruction read dst
                for (Lifetime t : before) change[inPlace ? pc : t.lastRead + 1] -= t.bytes;
                before.clear();
            }
            before.add(new Lifetime(out.bytes(), pc));
            change[pc] += out.bytes();
        }
        for (int slot = 0; slot < tiles.size(); slot++) {
            if (tiles.get(slot) != null) for (Lifetime t : tiles.get(slot)) change[t.lastRead + 1] -= t.bytes;
        }
        long bytes = 0, peak = 0;
        for (long c : change) peak = Math.max(peak, bytes += c);
        return new Checked(peak, live.size());
    }

    /** Values by slot number: slots are small and dense once allocated, so an array rather than a boxed map. */
    private static final class Slots<T> {
        private Object[] bySlot = new Object[16];
        private int size; // one past the highest slot put

        @SuppressWarnings("unchecked")
        T get(int slot) { return slot >= 0 && slot < bySlot.length ? (T) bySlot[slot] : null; }

        void put(int slot, T value) {
            if (slot < 0) throw new IllegalArgumentException("negative slot " + slot);
            if (slot >= bySlot.length) bySlot = java.util.Arrays.copyOf(bySlot, Math.max(2 * bySlot.length, slot + 1));
            bySlot[slot] = value;
            size = Math.max(size, slot + 1);
        }

        int size() { return size; }
    }

    /** What checking a program finds: the peak bytes of its live tiles and the slots it uses. */
    private record Checked(long footprintBytes, int slots) {}
}
