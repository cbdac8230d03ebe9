package org.meshemu.workloads.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshemu.workloads.checkpoint.RandomCheckpoint;
import org.meshemu.workloads.checkpoint.RetNetConfig;
import org.meshemu.workloads.checkpoint.RetNetWeights;

class RetNetReferenceTest {
    private static final int[] PROMPT = {3, 17, 42, 5, 9, 61, 0, 33, 12, 7, 50};

    private static RetNetWeights weights(double eps) {
        RetNetConfig c = RetNetConfig.of(32, 48, 2, 64, 2, 64).withLayernormEps(eps);
        return (RetNetWeights) RandomCheckpoint.build(c, 7);
    }

    /** max |a - b| / max |a| over all rows. */
    static double relativeDifference(float[][] a, float[][] b) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                diff = Math.max(diff, Math.abs(a[i][j] - b[i][j]));
                scale = Math.max(scale, Math.abs(a[i][j]));
            }
        }
        return diff / scale;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 11, 16})
    void formsAgreeAtDefaultEps(int chunk) {
        RetNetWeights w = weights(1e-6);
        Generation par = new RetNetReference(w, RetentionForm.PARALLEL, chunk).generate(PROMPT, 8);
        Generation rec = new RetNetReference(w, RetentionForm.RECURRENT, chunk).generate(PROMPT, 8);
        Generation chk = new RetNetReference(w, RetentionForm.CHUNKWISE, chunk).generate(PROMPT, 8);
        double pr = relativeDifference(par.logits(), rec.logits());
        double pc = relativeDifference(par.logits(), chk.logits());
        System.out.printf("eps 1e-6 chunk %d: parallel/recurrent %.3g parallel/chunkwise %.3g%n", chunk, pr, pc);
        assertTrue(pr < 3e-5, "parallel vs recurrent " + pr);
        assertTrue(pc < 3e-5, "parallel vs chunkwise " + pc);
        assertArrayEquals(par.tokens(), rec.tokens());
        assertArrayEquals(par.tokens(), chk.tokens());
    }

    @Test
    void formsAgreeMuchCloserAtZeroEps() {
        RetNetWeights w = weights(0);
        Generation par = new RetNetReference(w, RetentionForm.PARALLEL, 4).generate(PROMPT, 8);
        Generation rec = new RetNetReference(w, RetentionForm.RECURRENT, 4).generate(PROMPT, 8);
        Generation chk = new RetNetReference(w, RetentionForm.CHUNKWISE, 4).generate(PROMPT, 8);
        double pr = relativeDifference(par.logits(), rec.logits());
        double pc = relativeDifference(par.logits(), chk.logits());
        System.out.printf("eps 0: parallel/recurrent %.3g parallel/chunkwise %.3g%n", pr, pc);
        assertTrue(pr < 2e-6, "parallel vs recurrent " + pr);
        assertTrue(pc < 2e-6, "parallel vs chunkwise " + pc);
    }

    @Test
    void prefillThenDecodeEqualsDecodeOnlyFromTheFirstToken() {
        RetNetWeights w = weights(1e-6);
        Generation prefilled = new RetNetReference(w, RetentionForm.PARALLEL, 4).generate(PROMPT, 8);
        Generation stepped = new RetNetReference(w, RetentionForm.RECURRENT, 4).generate(PROMPT, 8);
        assertArrayEquals(stepped.tokens(), prefilled.tokens());
        for (int i = 0; i < stepped.logits().length; i++) {
            double r = relativeDifference(new float[][] {stepped.logits()[i]}, new float[][] {prefilled.logits()[i]});
            assertTrue(r < 3e-5, "decode step " + i + " differs by " + r);
        }
    }

    @Test
    void prefillStateIsTheRecurrentStateAfterThePrompt() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        int t = 9;
        float[][] q = new float[t][4];
        float[][] k = new float[t][4];
        float[][] v = new float[t][6];
        for (int n = 0; n < t; n++) {
            for (int j = 0; j < 4; j++) {
                q[n][j] = (float) rng.nextDouble(-1, 1);
                k[n][j] = (float) rng.nextDouble(-1, 1);
            }
            for (int j = 0; j < 6; j++) {
                v[n][j] = (float) rng.nextDouble(-1, 1);
            }
        }
        float lg = Ops.retNetLogDecays(2, false)[1];
        Retention.State stepped = new Retention.State(4, 6);
        float[] lastOut = null;
        for (int n = 0; n < t; n++) {
            lastOut = Retention.recurrentStep(stepped, q[n], k[n], v[n], lg);
        }
        Retention.State seeded = Retention.stateAfter(k, v, lg);
        assertTrue(Math.abs(seeded.c() - stepped.c()) <= 1e-6 * stepped.c(), seeded.c() + " vs " + stepped.c());
        for (int i = 0; i < seeded.s().length; i++) {
            assertTrue(Math.abs(seeded.s()[i] - stepped.s()[i]) < 1e-5, "S[" + i + "]");
        }
        // The last parallel row is S q times a positive scalar (the |A| clamp): compare directions.
        float[] par = Retention.parallel(q, k, v, lg)[t - 1];
        double dot = 0, np = 0, nr = 0;
        for (int i = 0; i < par.length; i++) {
            dot += par[i] * lastOut[i];
            np += par[i] * par[i];
            nr += lastOut[i] * lastOut[i];
        }
        assertTrue(dot / Math.sqrt(np * nr) > 1 - 1e-6, "parallel and recurrent outputs are not parallel");
    }

    @Test
    void eachFormIsBitReproducible() {
        RetNetWeights w = weights(1e-6);
        for (RetentionForm f : RetentionForm.values()) {
            Generation a = new RetNetReference(w, f, 4).generate(PROMPT, 3);
            Generation b = new RetNetReference(w, f, 4).generate(PROMPT, 3);
            for (int i = 0; i < a.logits().length; i++) {
                assertArrayEquals(a.logits()[i], b.logits()[i], 0f, f + " row " + i);
            }
        }
    }

    @Test
    void embeddingScaleAndNormAreApplied() {
        RetNetConfig base = RetNetConfig.of(32, 48, 2, 64, 2, 64);
        RetNetWeights plain = (RetNetWeights) RandomCheckpoint.build(base, 5);
        RetNetWeights scaled = (RetNetWeights) RandomCheckpoint.build(base.withEmbedding(false, false), 5);
        float[] a = new RetNetReference(plain, RetentionForm.PARALLEL, 4).generate(PROMPT, 0).logits()[0];
        float[] b = new RetNetReference(scaled, RetentionForm.PARALLEL, 4).generate(PROMPT, 0).logits()[0];
        assertTrue(relativeDifference(new float[][] {a}, new float[][] {b}) > 1e-3,
                "sqrt(D) embedding scale made no difference");
    }
}
