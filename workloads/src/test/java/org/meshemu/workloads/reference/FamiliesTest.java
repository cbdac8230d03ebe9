package org.meshemu.workloads.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.meshemu.workloads.checkpoint.BitNetConfig;
import org.meshemu.workloads.checkpoint.Checkpoint;
import org.meshemu.workloads.checkpoint.ModelConfig;
import org.meshemu.workloads.checkpoint.ModelWeights;
import org.meshemu.workloads.checkpoint.Phi3Config;
import org.meshemu.workloads.checkpoint.PhiMoeConfig;
import org.meshemu.workloads.checkpoint.PhiMoeWeights;
import org.meshemu.workloads.checkpoint.RandomCheckpoint;
import org.meshemu.workloads.checkpoint.RetNetConfig;
import org.meshemu.workloads.checkpoint.RopeConfig;

class FamiliesTest {
    private static final int[] PROMPT = {1, 5, 9, 2, 33};

    @TempDir
    Path dir;

    static Stream<ModelConfig> tinyConfigs() {
        return Stream.of(
                RetNetConfig.of(32, 48, 2, 64, 2, 96),
                PhiMoeConfig.of(32, 48, 2, 4, 2, 4, 96),
                BitNetConfig.of(64, 128, 2, 4, 2, 128),
                Phi3Config.of(32, 64, 2, 4, 2, 96));
    }

    @ParameterizedTest
    @MethodSource("tinyConfigs")
    void randomCheckpointFromDiskGeneratesLikeTheInMemoryWeights(ModelConfig config) {
        RandomCheckpoint.write(config, 42, dir);
        ModelWeights loaded = Checkpoint.open(dir);
        ModelWeights built = RandomCheckpoint.build(config, 42);
        Generation a = ReferenceModel.of(loaded, RetentionForm.CHUNKWISE, 4).generate(PROMPT, 8);
        Generation b = ReferenceModel.of(built, RetentionForm.CHUNKWISE, 4).generate(PROMPT, 8);
        assertEquals(9, a.logits().length);
        assertEquals(9, a.tokens().length);
        for (int i = 0; i < a.logits().length; i++) {
            assertEquals(config.vocabSize(), a.logits()[i].length);
            for (float v : a.logits()[i]) {
                assertTrue(Float.isFinite(v), "non-finite logit in row " + i);
            }
            assertArrayEquals(b.logits()[i], a.logits()[i], 0f, "row " + i);
            assertEquals(Ops.argmax(a.logits()[i]), a.tokens()[i]);
        }
        assertArrayEquals(b.tokens(), a.tokens());
        assertTrue(Stream.of(a.logits()).mapToDouble(r -> r[0]).distinct().count() > 1, "logits never change");
    }

    @ParameterizedTest
    @MethodSource("tinyConfigs")
    void differentSeedsGiveDifferentModels(ModelConfig config) {
        float[] a = ReferenceModel.of(RandomCheckpoint.build(config, 1), RetentionForm.PARALLEL, 4)
                .generate(PROMPT, 0).logits()[0];
        float[] b = ReferenceModel.of(RandomCheckpoint.build(config, 2), RetentionForm.PARALLEL, 4)
                .generate(PROMPT, 0).logits()[0];
        assertTrue(a[0] != b[0] || a[1] != b[1]);
    }

    @Test
    void phiSlidingWindowOnlyMattersBeyondTheWindow() {
        PhiMoeConfig full = PhiMoeConfig.of(32, 48, 2, 4, 2, 4, 96);
        PhiMoeConfig windowed = new PhiMoeConfig(96, 32, 48, 2, 4, 2, 8, 1e-5, RopeConfig.standard(10000), 3, 4, 2,
                0.01, true, true, false, 4096, null);
        PhiMoeWeights wf = (PhiMoeWeights) RandomCheckpoint.build(full, 8);
        PhiMoeWeights ww = (PhiMoeWeights) RandomCheckpoint.build(windowed, 8);
        Generation f = new PhiMoeReference(wf).generate(new int[] {4, 7, 1}, 2);
        Generation w = new PhiMoeReference(ww).generate(new int[] {4, 7, 1}, 2);
        assertArrayEquals(f.logits()[0], w.logits()[0], 0f);  // 3 tokens fit the window of 3
        assertTrue(f.logits()[2][0] != w.logits()[2][0]);      // 5 tokens do not
    }

    @Test
    void phiLongRopeSwitchesToLongFactorsBeyondTheOriginalLength() {
        float[] ones = {1f, 1f, 1f, 1f};
        float[] other = {1f, 2f, 4f, 8f};
        PhiMoeConfig a = longRope(ones, 1.0);
        PhiMoeConfig b = longRope(other, 1.5);
        PhiMoeReference ra = new PhiMoeReference((PhiMoeWeights) RandomCheckpoint.build(a, 8));
        PhiMoeReference rb = new PhiMoeReference((PhiMoeWeights) RandomCheckpoint.build(b, 8));
        // Prompt of 4 = original_max_position_embeddings: short factors (all 1, mscale 1) in both configs.
        Generation ga = ra.generate(new int[] {4, 7, 1, 9}, 2);
        Generation gb = rb.generate(new int[] {4, 7, 1, 9}, 2);
        assertArrayEquals(ga.logits()[0], gb.logits()[0], 0f);
        // The first decode call has length 5 > 4: long factors and long mscale differ.
        assertTrue(ga.logits()[1][0] != gb.logits()[1][0]);
    }

    private static PhiMoeConfig longRope(float[] longFactor, double longMscale) {
        RopeConfig rope = new RopeConfig(10000, "longrope", new float[] {1f, 1f, 1f, 1f}, longFactor, 1.0,
                longMscale, 4);
        return new PhiMoeConfig(96, 32, 48, 2, 4, 2, 8, 1e-5, rope, 0, 4, 2, 0.01, true, true, false, 4096, null);
    }
}
