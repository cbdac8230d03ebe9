package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine begun early by the command line serves a run on its thread count only, and runs it as a fresh one would. */
class EngineTest {

    @AfterEach
    void dropEarly() {
        Engine.cancelEarly();
    }

    @Test
    void aRunOnTheEarlyThreadCountTakesTheEarlyEngineAndEndsAsAFreshOne() {
        Assembly a = SynchronisationTest.torus();
        RunResult fresh = Engine.run(a, Placement.single(a.size()), 2, RunObserver.NONE);

        Engine.startEarly(2);
        Engine early = Engine.EARLY.get();
        try (Engine taken = Engine.start(2)) {
            assertSame(early, taken);
            CheckpointTest.assertSameRun(fresh, taken.run(a, Placement.single(a.size()), RunObserver.NONE, Checkpointing.NONE), "early engine");
        }
        assertNull(Engine.EARLY.get(), "taken once");
    }

    @Test
    void aRunOnOtherThreadsGetsItsOwnEngine() {
        Engine.startEarly(2);
        Engine early = Engine.EARLY.get();
        try (Engine taken = Engine.start(1)) {
            assertNotSame(early, taken);
            assertEquals(1, taken.threads);
        }
        assertNull(Engine.EARLY.get(), "the early engine is dropped");
    }
}
