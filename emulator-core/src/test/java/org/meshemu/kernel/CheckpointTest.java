package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A run resumed from any of its checkpoints, on any placement, ends as the uninterrupted run does. */
class CheckpointTest {

    /** Keeps every completed checkpoint in memory, as a resume would read it. */
    static final class InMemory implements CheckpointSink {
        private final int components;
        private final Map<Long, List<byte[]>> parts = new HashMap<>();
        final List<Checkpointing.Resume> completed = new ArrayList<>();
        final List<Long> epochs = new ArrayList<>();

        InMemory(int components) { this.components = components; }

        @Override
        public void part(long epoch, int partition, byte[] records) {
            parts.computeIfAbsent(epoch, e -> new ArrayList<>()).add(records);
        }

        @Override
        public void complete(long epoch, Checkpointing.SoFar soFar, long serialiseNanos) {
            byte[][] byId = new byte[components][];
            for (byte[] records : parts.remove(epoch)) ComponentState.forEach(records, (id, r) -> byId[id] = r);
            completed.add(new Checkpointing.Resume(soFar, byId, "memory"));
            epochs.add(epoch);
        }
    }

    static void assertSameRun(RunResult expected, RunResult actual, String what) {
        assertEquals(expected.events(), actual.events(), what + ": events");
        assertEquals(expected.simulatedPs(), actual.simulatedPs(), what + ": simulated time");
        for (int i = 0; i < expected.reports().size(); i++) {
            assertEquals(expected.reports().get(i).counters(), actual.reports().get(i).counters(), what + ": component " + i);
        }
    }

    @ParameterizedTest(name = "{0}: checkpoints every {2} windows on {1} partitions, resumed on {3} with {4} threads")
    @CsvSource({"torus, 1, 25, 1, 1", "torus, 4, 7, 1, 2", "torus, 1, 30, 3, 2", "chips, 2, 5, 2, 2", "chips, 1, 40, 3, 2",
                "chips, 3, 3, 1, 1"})
    void resumingFromAnyCheckpointEndsAsTheUninterruptedRun(String system, int partitions, int every, int resumePartitions,
                                                           int threads) {
        Supplier<Assembly> build = system.equals("torus") ? SynchronisationTest::torus : SynchronisationTest::twoChips;
        Assembly a = build.get();
        RunResult expected = Engine.run(a, Placement.single(a.size()), 1, RunObserver.NONE);

        InMemory sink = new InMemory(a.size());
        RunResult checkpointed = Engine.run(a, Placement.byLocality(a, partitions), threads, RunObserver.NONE,
                new Checkpointing(every, sink, null));
        assertSameRun(expected, checkpointed, "taking checkpoints");
        assertTrue(sink.completed.size() >= 2, "checkpoints taken: " + sink.completed.size());

        for (int k : new int[] {0, sink.completed.size() / 2, sink.completed.size() - 1}) {
            Checkpointing.Resume resume = sink.completed.get(k);
            assertTrue(resume.soFar().events() > 0 && resume.soFar().events() < expected.events());
            Assembly fresh = build.get();
            RunResult resumed = Engine.run(fresh, Placement.byLocality(fresh, resumePartitions), threads, RunObserver.NONE,
                    new Checkpointing(0, null, resume));
            assertSameRun(expected, resumed, "resumed from checkpoint " + k + " (epoch " + sink.epochs.get(k) + ")");
            assertTrue(resumed.epochs() > resume.soFar().epochs(), "epochs count on from the checkpoint's");
        }
    }

    /** A component that keeps a lambda in a field it does not mark transient. */
    static final class Careless implements Component<Phold.Message> {
        private final transient Phold inner = new Phold(4, 3, 40, 500);
        private Runnable forgotten = () -> {};

        @Override public Ports<Phold.Message> ports() { return inner.ports(); }
        @Override public void start(Context<Phold.Message> ctx) { inner.start(ctx); }
        @Override public void handle(Phold.Message m, Context<Phold.Message> ctx) { inner.handle(m, ctx); forgotten.run(); }
        @Override public ComponentReport report(long endPs) { return inner.report(endPs); }
    }

    @Test
    void aFieldThatCannotBeCheckpointedIsNamed() {
        Assembly.Builder b = Assembly.builder(1);
        b.add("careless", "careless0", 0, Phold.ports(4), Careless::new);
        for (int p = 0; p < 4; p++) b.connect(0, "p" + p, 0, "in", 1000);
        Assembly a = b.build();
        EmulationException e = assertThrows(EmulationException.class, () -> Engine.run(a, Placement.single(1), 1,
                RunObserver.NONE, new Checkpointing(5, new InMemory(1), null)));
        assertTrue(e.getMessage().contains("Careless.forgotten") && e.getMessage().contains("lambda"), e.getMessage());
    }
}
