package org.meshemu.workloads.reference;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.workloads.checkpoint.RopeConfig;

/**
 * Per-layer key/value cache for the attention families, plus their RoPE tables.
 *
 * <p>Keys are stored already rotated, so a key keeps the rotation (and longrope factors) of the forward call
 * that produced it, as in HF's cache.
 */
final class KvCache {
    private final List<List<float[]>> keys = new ArrayList<>();
    private final List<List<float[]>> values = new ArrayList<>();

    KvCache(int layers) {
        for (int l = 0; l < layers; l++) {
            keys.add(new ArrayList<>());
            values.add(new ArrayList<>());
        }
    }

    List<float[]> keys(int layer) {
        return keys.get(layer);
    }

    List<float[]> values(int layer) {
        return values.get(layer);
    }

    /** Inverse frequencies and mscale for a forward call covering positions up to seqLen - 1. */
    record Rope(RopeConfig config, int headDim, float[] shortInv, float[] longInv) {
        static Rope of(RopeConfig c, int headDim) {
            return new Rope(c, headDim, Ops.ropeInvFreq(headDim, c.theta(), c.shortFactor()),
                    c.isLongRope() ? Ops.ropeInvFreq(headDim, c.theta(), c.longFactor()) : null);
        }

        /** Rotates every head of x [heads * hd] at position pos, for a call whose sequence length is seqLen. */
        void rotate(float[] x, int heads, int pos, int seqLen) {
            float[] inv = config.usesLongFactors(seqLen) ? longInv : shortInv;
            float mscale = config.mscaleFor(seqLen);
            for (int h = 0; h < heads; h++) {
                Ops.rotateHalfInPlace(x, h * headDim, headDim, pos, inv, mscale);
            }
        }
    }
}
