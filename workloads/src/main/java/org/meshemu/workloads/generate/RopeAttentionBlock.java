package org.meshemu.workloads.generate;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.aicore.VectorOp;
import org.meshemu.workloads.checkpoint.AttentionShape;
import org.meshemu.workloads.checkpoint.RopeConfig;
import org.meshemu.workloads.reference.Ops;

/**
 * The attention of the RoPE families (Phi-MoE, BitNet, Phi-3) as graph operators: RoPE rotate_half on the
 * block's q and k, then causal grouped-query attention over the KV cache kept by KV head in its core's banks
 * ({@link Mixer.CachedAttention}), as the reference's {@code RopeAttention} (docs/MODELS.md section 2). The
 * rotation tables (short and, for longrope, long inverse frequencies) are built once per model. A block of
 * several sequences (a batch, sequence-major) is split into each sequence's columns, rotated and mixed over
 * that sequence's own cache, and joined again.
 */
final class RopeAttentionBlock {
    private final int heads, kvHeads, headDim, window, sequences;
    private final RopeConfig rope;
    private final float[] shortInv, longInv;

    /** {@code window} 0: no sliding window; {@code sequences}: the batch, each block holding that many sequences' tokens. */
    RopeAttentionBlock(AttentionShape shape, RopeConfig rope, int window, int sequences) {
        this.sequences = sequences;
        this.heads = shape.numAttentionHeads();
        this.kvHeads = shape.numKeyValueHeads();
        this.headDim = shape.headDim();
        this.window = window;
        this.rope = rope;
        shortInv = Ops.ropeInvFreq(headDim, rope.theta(), rope.shortFactor());
        longInv = rope.isLongRope() ? Ops.ropeInvFreq(headDim, rope.theta(), rope.longFactor()) : null;
    }

    /** The rotation of a block whose first token is at {@code pos}, in a forward call of length {@code callLength}. */
    VectorOp.RotateHalf rotation(int pos, int callLength) {
        return new VectorOp.RotateHalf(pos, rope.usesLongFactors(callLength) ? longInv : shortInv, rope.mscaleFor(callLength), headDim);
    }

    /** Rotates q [heads hd, T] and k [kv hd, T] by {@code rot}, then attends with v [kv hd, T]; the output [heads hd, T]. */
    Graph.Val attend(Graph g, String prefix, VectorOp.RotateHalf rot, int pos, Graph.Val q, Graph.Val k, Graph.Val v) {
        if (sequences == 1) return attendOne(g, prefix + "kv", rot, pos, q, k, v);
        int t = q.shape().cols() / sequences;
        List<Graph.Val> out = new ArrayList<>();
        for (int b = 0; b < sequences; b++) {
            Graph.Val o = attendOne(g, prefix + "kv." + b, rot, pos, columns(g, q, b * t, t), columns(g, k, b * t, t), columns(g, v, b * t, t));
            for (int i = 0; i < t; i++) out.add(g.column("sequence", o, i));
        }
        return g.stack("sequence", out);
    }

    private Graph.Val attendOne(Graph g, String cache, VectorOp.RotateHalf rot, int pos, Graph.Val q, Graph.Val k, Graph.Val v) {
        q = g.vector("rope", rot, q);
        k = g.vector("rope", rot, k);
        return g.mix("attention", new Mixer.CachedAttention(heads, kvHeads, headDim, window, pos), cache, q, k, v);
    }

    /** Columns [from, from + n) of a block, side by side. */
    private static Graph.Val columns(Graph g, Graph.Val x, int from, int n) {
        List<Graph.Val> cols = new ArrayList<>();
        for (int c = from; c < from + n; c++) cols.add(g.column("sequence", x, c));
        return g.stack("sequence", cols);
    }
}
