package org.meshemu.workloads.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;
import org.meshemu.tensor.DType;
import org.meshemu.workloads.fused.RetentionPrompt;
import org.meshemu.workloads.fused.RetentionRead;
import org.meshemu.workloads.fused.RetentionState;
import org.meshemu.workloads.fused.RetentionUpdate;

/**
 * Sequence mixing over state kept in memory, the part of a layer that remembers earlier tokens: RetNet's
 * retention (a state S [dv, dk] per head) or attention over a KV cache. It falls apart into independent
 * head groups (a retention head; a key/value head with the query heads that read it), and a retention
 * head further into blocks of its value rows (row i of S and of the output depends on row i of v and
 * on the whole of q and k, in the recurrent and parallel forms), so the lowering runs each
 * {@link Unit} on its own core, with that unit's state in that core's banks ({@link Graph.Mix}).
 *
 * <p>Contract: for a unit and a block of T tokens, {@link #emit} takes the unit's rows of q, k and v
 * ({@link #rows}) on one core and leaves its rows of the output there; the operators are the
 * whole-layer ones restricted to those heads and rows, so the numbers do not depend on the spread.
 */
public sealed interface Mixer {
    /** Independent groups. */
    int groups();

    /** Rows per group of q, k, v and the output. */
    int qRows();

    int kRows();

    int vRows();

    int outRows();

    /** Whether a group's value (and output) rows may be split over several units. */
    boolean splitsRows();

    /**
     * Groups [lo, hi), and of their value and output rows [first, end) of the group's vRows (all of them
     * unless the unit is part of one group: then hi = lo + 1).
     */
    record Unit(int lo, int hi, int first, int end) {
        public int groups() { return hi - lo; }
    }

    /** A range of rows: [start, start + n). */
    record Span(int start, int n) {}

    /** The rows a unit reads of q, k and v and writes of the output. */
    record Rows(Span q, Span k, Span v, Span out) {}

    /** The rows unit u reads and writes (its value rows are its output rows when a group has as many of each). */
    default Rows rows(Unit u) {
        Span v = new Span(u.lo() * vRows() + u.first(), (u.groups() - 1) * vRows() + u.end() - u.first());
        Span out = vRows() == outRows() ? v : new Span(u.lo() * outRows(), u.groups() * outRows());
        return new Rows(new Span(u.lo() * qRows(), u.groups() * qRows()), new Span(u.lo() * kRows(), u.groups() * kRows()), v, out);
    }

    /** Emits a unit's part of a block of {@code t} tokens on {@code at}'s core; returns the output register. */
    int emit(Site at, Unit u, int q, int k, int v, int t);

    /** One core's part of a mixing: its vector unit and its banks, state named per group range. */
    interface Site {
        /** Emits {@code op} of the source registers; returns the result's register. */
        int vector(VectorOp op, int... srcs);

        /** Column t of a block of {@code cols} columns (the register itself for a single column). */
        default int column(int block, int t, int cols) {
            return cols == 1 ? block : vector(new VectorOp.Column(t), block);
        }

        /** The columns side by side (the register itself for a single one). */
        default int stack(List<Integer> columns) {
            return columns.size() == 1 ? columns.getFirst() : vector(new VectorOp.Stack(), columns.stream().mapToInt(Integer::intValue).toArray());
        }

        /** Loads the state {@code part} (stored by this site's earlier {@link #store}). */
        int load(State part, Shape shape);

        /** Keeps register {@code reg} of {@code shape} in this core's banks as state {@code part}. */
        void store(State part, int reg, Shape shape);
    }

    /** A part of a unit's state kept in its core's banks: the retention state S, or one position's key or value row. */
    record State(Kind kind, int position) {
        enum Kind { RETENTION, KEY, VALUE }

        /** The retention state S. */
        static final State RETENTION = new State(Kind.RETENTION, 0);

        static State key(int position) { return new State(Kind.KEY, position); }

        static State value(int position) { return new State(Kind.VALUE, position); }
    }

    /** One recurrent step's per-head scalars ({@link RetentionUpdate}). */
    record RetentionStep(boolean first, float[] keep, float[] sqNew) {}

    /** RetNet retention, one recurrent step per token of the block ({@code steps}, in token order). */
    record RecurrentRetention(int heads, int dk, int dv, List<RetentionStep> steps) implements Mixer {
        public int groups() { return heads; }
        public int qRows() { return dk; }
        public int kRows() { return dk; }
        public int vRows() { return dv; }
        public int outRows() { return dv; }
        public boolean splitsRows() { return true; }

        public int emit(Site at, Unit u, int q, int k, int v, int t) {
            int n = u.groups(), rows = u.end() - u.first();   // rows of S per head here
            Shape state = new Shape(n * rows, dk, DType.FP32);
            List<Integer> out = new ArrayList<>(t);
            int s = steps.getFirst().first() ? -1 : at.load(State.RETENTION, state);   // the state stays in SRAM across the block's steps
            for (int i = 0; i < t; i++) {
                RetentionStep st = steps.get(i);
                RetentionUpdate op = new RetentionUpdate(n, dk, rows, st.first(),
                        Arrays.copyOfRange(st.keep(), u.lo(), u.hi()), Arrays.copyOfRange(st.sqNew(), u.lo(), u.hi()));
                int ki = at.column(k, i, t), vi = at.column(v, i, t);
                s = st.first() ? at.vector(op, ki, vi) : at.vector(op, s, ki, vi);
                out.add(at.vector(new RetentionRead(n), s, at.column(q, i, t)));   // o_h = S_h q_h
            }
            at.store(State.RETENTION, s, state);
            return at.stack(out);
        }
    }

    /**
     * RetNet retention of a whole prompt block in the parallel ({@code chunk} 0) or chunkwise form, leaving the
     * recurrent state decoding continues from.
     */
    record PromptRetention(int heads, int dk, int dv, float[] logDecay, int chunk) implements Mixer {
        public int groups() { return heads; }
        public int qRows() { return dk; }
        public int kRows() { return dk; }
        public int vRows() { return dv; }
        public int outRows() { return dv; }

        /** The chunkwise form carries a state scale that is a maximum over all value rows, so only the parallel form splits rows. */
        public boolean splitsRows() { return chunk == 0; }

        public int emit(Site at, Unit u, int q, int k, int v, int t) {
            int n = u.groups(), rows = u.end() - u.first();
            float[] lg = Arrays.copyOfRange(logDecay, u.lo(), u.hi());
            int o = at.vector(new RetentionPrompt(n, dk, rows, lg, chunk), q, k, v);
            at.store(State.RETENTION, at.vector(new RetentionState(n, dk, rows, lg), k, v), new Shape(n * rows, dk, DType.FP32));
            return o;
        }
    }

    /**
     * Causal grouped-query attention of a block at positions pos .. pos + T - 1 over a KV cache of one row per
     * position: the block's keys and values are stored as rows pos.., then the queries attend over the rows
     * from the oldest the first query may see (the last {@code window} positions, when > 0) to the newest.
     */
    record CachedAttention(int heads, int kvHeads, int headDim, int window, int pos) implements Mixer {
        public int groups() { return kvHeads; }
        public int qRows() { return heads / kvHeads * headDim; }
        public int kRows() { return headDim; }
        public int vRows() { return headDim; }
        public int outRows() { return heads / kvHeads * headDim; }
        /** A query head could go apart from its group, but then every part would keep its own copy of the cache. */
        public boolean splitsRows() { return false; }

        public int emit(Site at, Unit u, int q, int k, int v, int t) {
            int lo = u.lo(), hi = u.hi();
            Shape row = Shape.vector((hi - lo) * headDim);
            List<Integer> keys = new ArrayList<>(), values = new ArrayList<>();
            for (int p = window > 0 ? Math.max(0, pos + 1 - window) : 0; p < pos; p++) {
                keys.add(at.load(State.key(p), row));
                values.add(at.load(State.value(p), row));
            }
            for (int i = 0; i < t; i++) {
                int ki = at.column(k, i, t), vi = at.column(v, i, t);
                at.store(State.key(pos + i), ki, row);
                at.store(State.value(pos + i), vi, row);
                keys.add(ki);
                values.add(vi);
            }
            int[] in = new int[1 + 2 * keys.size()];
            in[0] = q;
            for (int j = 0; j < keys.size(); j++) {
                in[1 + j] = keys.get(j);
                in[1 + keys.size() + j] = values.get(j);
            }
            return at.vector(new VectorOp.Attention((hi - lo) * (heads / kvHeads), hi - lo, headDim, window), in);
        }
    }
}
