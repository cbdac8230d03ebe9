package org.meshemu.workloads.reference;

import org.meshemu.workloads.checkpoint.AttentionShape;
import org.meshemu.workloads.checkpoint.RopeConfig;

/**
 * The attention of the RoPE families (Phi-MoE, BitNet, Phi-3) over one generation's KV cache, one token at a
 * time: RoPE rotate_half on q and k, the rotated key and the value appended to the layer's cache, then causal
 * grouped-query attention of the newest position (docs/MODELS.md section 2). What differs between the
 * families (norms, projections, biases) stays with them.
 *
 * <p>Contract: one instance per generation (it owns the cache); {@link #attend} is called for every layer of
 * each token in position order; q, k and v are rotated or kept as given, so callers pass fresh arrays.
 */
public final class RopeAttention {
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final int window;
    private final KvCache.Rope rope;
    private final KvCache cache;

    /** {@code window} 0: no sliding window. */
    public RopeAttention(AttentionShape shape, RopeConfig rope, int window, int layers) {
        this.heads = shape.numAttentionHeads();
        this.kvHeads = shape.numKeyValueHeads();
        this.headDim = shape.headDim();
        this.window = window;
        this.rope = KvCache.Rope.of(rope, headDim);
        this.cache = new KvCache(layers);
    }

    /**
     * The attention output [heads * hd] of the token at {@code pos} in layer {@code layer}, from its q [heads * hd],
     * k and v [kv * hd], in a forward call of length {@code callLength} (RoPE scaling may depend on it).
     */
    public float[] attend(int layer, float[] q, float[] k, float[] v, int pos, int callLength) {
        rope.rotate(q, heads, pos, callLength);
        rope.rotate(k, kvHeads, pos, callLength);
        cache.keys(layer).add(k);
        cache.values(layer).add(v);
        return Ops.attention(q, cache.keys(layer), cache.values(layer), heads, kvHeads, headDim, window);
    }
}
