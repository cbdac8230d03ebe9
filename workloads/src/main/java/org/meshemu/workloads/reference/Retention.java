package org.meshemu.workloads.reference;

import org.meshemu.workloads.fused.RetentionMath;

/**
 * The three forms of RetNet retention for one head, exactly as docs/MODELS.md section 1 (torchscale's maths).
 *
 * <p>Contract: inputs are one head's rotated queries q [T][dk], rotated and dk^-0.5-scaled keys k [T][dk] and
 * values v [T][dv]; outputs are the head's retention output before the per-head RMSNorm, [T][dv] (or [dv] per
 * recurrent step). The forms differ by a positive scalar per position, which that RMSNorm removes (exactly at
 * eps = 0). The prompt forms are {@link RetentionMath}'s, which the emulator's vector unit runs too.
 */
public final class Retention {
    private Retention() {
    }

    /** Recurrent state of one head: S [dv][dk] (row-major) holds the decayed sum of v k^T, c its scale. */
    public static final class State {
        private final int dk;
        private final int dv;
        private final float[] s;
        private float c;

        public State(int dk, int dv) {
            this.dk = dk;
            this.dv = dv;
            this.s = new float[dv * dk];
        }

        /** S as [dv][dk] row-major (a live view; do not modify). */
        public float[] s() {
            return s;
        }

        /** The scale c; 0 before the first token. */
        public float c() {
            return c;
        }
    }

    /**
     * The scalars of one recurrent step from scale c (0 before the first token): the new scale c, keep and
     * sqNew as {@link RetentionMath#updateInPlace} takes them. They depend on the position only, so a
     * mapping can compute them when it is made.
     */
    public record Step(boolean first, float c, float keep, float sqNew) {
    }

    /** The step after scale {@code c}: first token c' = 1; later c' = c gamma + 1, keep = sqrt(c) gamma / sqrt(c'). */
    public static Step step(float c, float lg) {
        if (c == 0f) {
            return new Step(true, 1f, 0f, 1f);
        }
        float gamma = Ops.decayPow(lg, 1);
        float cNew = c * gamma + 1f;
        float sqNew = (float) Math.sqrt(cNew);
        float keep = (float) Math.sqrt(c) * gamma / sqNew;
        return new Step(false, cNew, keep, sqNew);
    }

    /** The parallel form ({@link RetentionMath#parallel}). */
    public static float[][] parallel(float[][] q, float[][] k, float[][] v, float lg) {
        return RetentionMath.parallel(q, k, v, lg);
    }

    /**
     * One recurrent step. First token: c = 1, S = v k^T. Later: c' = c gamma + 1,
     * S = S (sqrt(c) gamma / sqrt(c')) + v k^T / sqrt(c'). Returns o = S q.
     */
    public static float[] recurrentStep(State st, float[] q, float[] k, float[] v, float lg) {
        int dk = st.dk;
        float[] s = st.s;
        Step step = step(st.c, lg);
        RetentionMath.updateInPlace(s, 0, v, 0, k, 0, st.dv, dk, step.first(), step.keep(), step.sqNew());
        st.c = step.c();
        float[] o = new float[st.dv];
        for (int i = 0; i < st.dv; i++) {
            o[i] = Ops.dot(s, i * dk, q, 0, dk);
        }
        return o;
    }

    /** The recurrent state after a whole-prompt prefill of T tokens ({@link RetentionMath#stateAfter}); decoding continues at position T. */
    public static State stateAfter(float[][] k, float[][] v, float lg) {
        State st = new State(k[0].length, v[0].length);
        System.arraycopy(RetentionMath.stateAfter(k, v, lg), 0, st.s, 0, st.s.length);
        st.c = RetentionMath.scaleAfter(lg, k.length);
        return st;
    }

    /** The chunkwise form with chunk size B ({@link RetentionMath#chunkwise}). */
    public static float[][] chunkwise(float[][] q, float[][] k, float[][] v, float lg, int chunk) {
        return RetentionMath.chunkwise(q, k, v, lg, chunk);
    }
}
