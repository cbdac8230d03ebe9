package org.meshemu.workloads.generate.lower;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.meshemu.tensor.Tile;

/**
 * The contents of every core's DRAM banks as the lowering fills them, and their addresses: each bank
 * is filled upwards from address 0, and what has no bank of its own goes to the core's bank with the
 * fewest bytes so far (the lowest-numbered of equals). Counts the weight bytes of each bank apart
 * (the scenario's capacity check and the report).
 */
final class BankAllocator {
    /** Where a block lives: bank index within its core and address. */
    record Block(int bank, long address) {}

    private final int banksPerCore;
    private final List<Map<Long, Tile>> banks = new ArrayList<>();
    private final long[] bankBytes;
    private final long[] weightBytes;

    BankAllocator(int cores, int banksPerCore) {
        this.banksPerCore = banksPerCore;
        for (int b = 0; b < cores * banksPerCore; b++) banks.add(new HashMap<>());
        bankBytes = new long[cores * banksPerCore];
        weightBytes = new long[cores * banksPerCore];
    }

    /** The bank's index among all banks of the system (core-major). */
    int global(int core, int bank) {
        return core * banksPerCore + bank;
    }

    /** Stores t in core's emptiest bank, at that bank's next free address; {@code weight}: counted as weight bytes. */
    Block put(int core, Tile t, boolean weight) {
        return put(core, t, weight, -1);
    }

    /** Stores t in {@code bank} of core (-1: the emptiest), at that bank's next free address. */
    Block put(int core, Tile t, boolean weight, int bank) {
        Block b = bank < 0 ? reserve(core, t.bytes()) : reserveIn(core, bank, t.bytes());
        banks.get(global(core, b.bank())).put(b.address(), t);
        if (weight) weightBytes[global(core, b.bank())] += t.bytes();
        return b;
    }

    /**
     * Stores {@code rows} weight tiles {@code row(t)} in {@code bank} of core, row t at base + t stride from the
     * bank's next free address (base), so that an index can address them.
     */
    Block putRows(int core, int bank, int rows, long stride, IntFunction<Tile> row) {
        int global = global(core, bank);
        long base = bankBytes[global];
        for (int t = 0; t < rows; t++) banks.get(global).put(base + t * stride, row.apply(t));
        bankBytes[global] += stride * rows;
        weightBytes[global] += stride * rows;
        return new Block(bank, base);
    }

    /** {@code bytes} at the next free address of core's emptiest bank. */
    Block reserve(int core, long bytes) {
        return reserveIn(core, emptiestBank(core), bytes);
    }

    private Block reserveIn(int core, int bank, long bytes) {
        int global = global(core, bank);
        long address = bankBytes[global];
        bankBytes[global] += Math.max(bytes, 1);
        return new Block(bank, address);
    }

    private int emptiestBank(int core) {
        int best = 0;
        for (int b = 1; b < banksPerCore; b++) {
            if (bankBytes[global(core, b)] < bankBytes[global(core, best)]) best = b;
        }
        return best;
    }

    /** Every bank's tiles by address, banks core-major. */
    List<Map<Long, Tile>> contents() { return banks; }

    long maxWeightBytesPerBank() {
        long m = 0;
        for (long b : weightBytes) m = Math.max(m, b);
        return m;
    }

    long totalWeightBytes() {
        long t = 0;
        for (long b : weightBytes) t += b;
        return t;
    }
}
