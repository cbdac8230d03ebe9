package org.meshemu.workloads.generate;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.aicore.Shape;
import org.meshemu.aicore.VectorOp;

/** Causal attention over a KV cache kept in the lead core's banks, one cache row per position (Phi-MoE, BitNet). */
final class Attend {
    private Attend() {}

    /**
     * Stores the block's keys and values k, v [kv, T] as cache rows {@code prefix}k.pos .. (one per token), then
     * attends the queries q [heads hd, T] over the cache: rows from the oldest one the first query may see
     * (the last {@code window} positions, when > 0) to the block's newest; the operator masks each query to
     * the rows at or before its own position.
     */
    static Graph.Val cached(Graph g, String prefix, int pos, int window, Graph.Val q, Graph.Val k, Graph.Val v, VectorOp.Attention op) {
        int t = q.shape().cols();
        List<Graph.Val> keys = new ArrayList<>(), values = new ArrayList<>();
        int from = window > 0 ? Math.max(0, pos + 1 - window) : 0;
        for (int p = from; p < pos; p++) {
            keys.add(g.loadState(prefix + "k." + p, Shape.vector(k.shape().rows())));
            values.add(g.loadState(prefix + "v." + p, Shape.vector(v.shape().rows())));
        }
        for (int i = 0; i < t; i++) {
            Graph.Val ki = g.column("token", k, i), vi = g.column("token", v, i);
            g.storeState(prefix + "k." + (pos + i), ki);
            g.storeState(prefix + "v." + (pos + i), vi);
            keys.add(ki);
            values.add(vi);
        }
        List<Graph.Val> in = new ArrayList<>(List.of(q));
        in.addAll(keys);
        in.addAll(values);
        return g.vector("attention", op, in);
    }
}
