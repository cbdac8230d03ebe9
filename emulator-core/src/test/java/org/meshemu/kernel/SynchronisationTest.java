package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.meshemu.kernel.testkit.Injector;
import org.meshemu.kernel.testkit.Recorder;

/** The promise of the kernel: the same events in the same order however the components are spread. */
class SynchronisationTest {
    static final int SIDE = 8;

    /** PHOLD on an 8x8 torus; link latencies differ (1000..2500 ps) so windows and ties vary. */
    static Assembly torus() { return torus(SIDE); }

    /** PHOLD on a side x side torus. */
    static Assembly torus(int side) {
        Assembly.Builder b = Assembly.builder(42);
        int n = side * side;
        for (int i = 0; i < n; i++) b.add("phold", "phold" + i, i, Phold.ports(4), () -> new Phold(4, 3, 40, 500));
        for (int i = 0; i < n; i++) {
            int x = i % side, y = i / side;
            int[] to = {y * side + (x + 1) % side, y * side + (x + side - 1) % side, ((y + 1) % side) * side + x, ((y + side - 1) % side) * side + x};
            for (int p = 0; p < 4; p++) b.connect(i, "p" + p, to[p], "in", 1000 + 500L * ((i + p) % 4));
        }
        return b.build();
    }

    static RunResult run(int partitions, int threads) { return run(SIDE, partitions, threads); }

    static RunResult run(int side, int partitions, int threads) {
        Assembly a = torus(side);
        return Engine.run(a, Placement.byLocality(a, partitions), threads, RunObserver.NONE);
    }

    @Test
    void windowIsTheMinimumChannelLatency() {
        assertEquals(1000, torus().windowPs());
    }

    @ParameterizedTest(name = "{0} partitions, {1} threads")
    @CsvSource({"2, 1", "4, 2", "7, 2", "1, 4"})
    void resultsDoNotDependOnPartitionsOrThreads(int partitions, int threads) {
        RunResult expected = run(1, 1);
        RunResult actual = run(partitions, threads);
        assertEquals(64 * 3 * 41, expected.events(), "every token is handled once per hop plus once at start");
        assertEquals(expected.events(), actual.events());
        assertEquals(expected.simulatedPs(), actual.simulatedPs());
        for (int i = 0; i < expected.reports().size(); i++) {
            assertEquals(expected.reports().get(i).counters(), actual.reports().get(i).counters(), "component " + i);
        }
    }

    /**
     * Partitions of at least {@link NodeSync#WARM_FROM_COMPONENTS} components warm each window's
     * components before starting them, smaller ones do not: a 64 x 64 torus on one and two
     * partitions (warmed) gives what it gives on four (not warmed).
     */
    @ParameterizedTest(name = "{0} partitions, {1} threads")
    @CsvSource({"1, 1", "2, 2"})
    void warmedPartitionsGiveTheSameResults(int partitions, int threads) {
        Assembly a = torus(WARM_SIDE);
        for (long n : Placement.byLocality(a, partitions).components()) assertTrue(NodeSync.warms((int) n), "warmed: " + n);
        for (long n : Placement.byLocality(a, 4).components()) assertFalse(NodeSync.warms((int) n), "not warmed: " + n);
        RunResult expected = unwarmed();
        RunResult actual = run(WARM_SIDE, partitions, threads);
        assertEquals(WARM_SIDE * WARM_SIDE * 3 * 41, expected.events());
        assertEquals(expected.events(), actual.events());
        assertEquals(expected.simulatedPs(), actual.simulatedPs());
        for (int i = 0; i < expected.reports().size(); i++) {
            assertEquals(expected.reports().get(i).counters(), actual.reports().get(i).counters(), "component " + i);
        }
    }

    private static final int WARM_SIDE = 64;
    private static RunResult unwarmed;

    /** The 64 x 64 torus on four partitions, none warmed (run once for the cases above). */
    private static synchronized RunResult unwarmed() {
        if (unwarmed == null) unwarmed = run(WARM_SIDE, 4, 2);
        return unwarmed;
    }

    @Test
    void partitionsWarmFromTheirThreshold() {
        assertTrue(NodeSync.warms(NodeSync.WARM_FROM_COMPONENTS));
        assertFalse(NodeSync.warms(NodeSync.WARM_FROM_COMPONENTS - 1));
    }

    /**
     * Two 4x4 PHOLD tori ("chips") joined by slow links: inside a chip 1000..2500 ps, between chips
     * 20,000 ps. Whole chips per partition run local windows of 1 ns inside epochs of 20 ns.
     */
    static Assembly twoChips() {
        Assembly.Builder b = Assembly.builder(7);
        int side = 4, perChip = side * side;
        for (int i = 0; i < 2 * perChip; i++) b.add("phold", "phold" + i, i, Phold.ports(5), () -> new Phold(5, 2, 60, 300));
        for (int i = 0; i < 2 * perChip; i++) {
            int chip = i / perChip, n = i % perChip, x = n % side, y = n / side, base = chip * perChip;
            int[] to = {base + y * side + (x + 1) % side, base + y * side + (x + side - 1) % side,
                    base + ((y + 1) % side) * side + x, base + ((y + side - 1) % side) * side + x};
            for (int p = 0; p < 4; p++) b.connect(i, "p" + p, to[p], "in", 1000 + 500L * ((i + p) % 4));
            b.connect(i, "p4", (1 - chip) * perChip + n, "in", 20_000); // the chip link
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} partitions of {1} localities, {2} threads")
    @CsvSource({"2, 16, 1", "2, 16, 2", "4, 1, 2", "3, 1, 2"})
    void localWindowsInsideEpochsGiveTheSameResults(int partitions, int unit, int threads) {
        Assembly a = twoChips();
        RunResult expected = Engine.run(a, Placement.single(a.size()), 1, RunObserver.NONE);
        RunResult actual = Engine.run(a, Placement.byLocality(a, partitions, unit), threads, RunObserver.NONE);
        assertEquals(32 * 2 * 61, expected.events());
        assertEquals(expected.events(), actual.events());
        assertEquals(expected.simulatedPs(), actual.simulatedPs());
        for (int i = 0; i < expected.reports().size(); i++) {
            assertEquals(expected.reports().get(i).counters(), actual.reports().get(i).counters(), "component " + i);
        }
        assertEquals(1, expected.epochs(), "one partition never asks the root between windows");
        long epochs = expected.simulatedPs() / (unit == 16 ? 20_000 : 1000) + 1;
        assertTrue(actual.epochs() <= epochs, actual.epochs() + " root rounds, at most " + epochs);
        if (unit == 16) assertTrue(actual.epochs() * 5 < actual.windows() / partitions,
                "whole chips: epochs of 20 ns hold many local windows of 1 ns: " + actual.epochs() + " / " + actual.windows());
    }

    @Test
    void wholeChipsKeepOnlyChipLinksBetweenPartitions() {
        Placement.Windows w = Placement.byLocality(twoChips(), 2, 16).windows(twoChips());
        assertEquals(20_000, w.crossPs());
        assertEquals(1000, w.localPs()[0]);
        assertEquals(1000, Placement.byLocality(twoChips(), 4, 16).windows(twoChips()).crossPs(), "fewer chips than partitions: cut inside chips");
    }

    @Test
    void emptyTimeIsSkipped() {
        // One message at t = 1 s: one window for it, not 10^9 windows of 1 ns.
        Assembly.Builder b = Assembly.builder(1);
        Injector<String> injector = new Injector<>(String.class, List.of(new Injector.Send<>(1_000_000_000_000L, "late")));
        Recorder<String> recorder = new Recorder<>(String.class);
        int i = b.add("injector", "injector", 0, injector.ports(), () -> injector);
        int r = b.add("recorder", "recorder", 0, recorder.ports(), () -> recorder);
        b.connect(i, "out", r, "in", 1000);
        RunResult result = Engine.run(b.build(), new Placement(2, new int[] {0, 1}), 2, RunObserver.NONE);
        assertEquals(List.of(1_000_000_001_000L), recorder.times());
        assertEquals(1_000_000_001_000L, result.simulatedPs());
        assertTrue(result.windows() <= 3, "windows: " + result.windows());
    }

    @Test
    void simultaneousArrivalsAreHandledInSourceOrder() {
        // Three injectors send at the same time from different partitions; arrival order is by source id.
        Assembly.Builder b = Assembly.builder(1);
        Recorder<String> recorder = new Recorder<>(String.class);
        int r = b.add("recorder", "recorder", 0, recorder.ports(), () -> recorder);
        for (String name : List.of("a", "b", "c")) {
            Injector<String> inj = new Injector<>(String.class, List.of(new Injector.Send<>(5000, name)));
            int i = b.add("injector", name, 0, inj.ports(), () -> inj);
            b.connect(i, "out", r, "in", 2000);
        }
        Engine.run(b.build(), new Placement(4, new int[] {0, 3, 2, 1}), 2, RunObserver.NONE);
        assertEquals(List.of("a", "b", "c"), recorder.arrivals().stream().map(Recorder.Arrival::message).toList());
        assertEquals(List.of(7000L, 7000L, 7000L), recorder.times());
    }

    @Test
    void aSendShorterThanTheChannelLatencyFailsTheRunNamingTheComponent() {
        Assembly.Builder b = Assembly.builder(1);
        Component<Object> cheat = new Component<>() {
            final OutPort<String> out = new OutPort<>(0, "out", String.class);
            @Override public Ports<Object> ports() { return new Ports<>(List.of(), List.of(out)); }
            @Override public void start(Context<Object> ctx) { ctx.schedule("go", 0); }
            @Override public void handle(Object m, Context<Object> ctx) { ctx.send(out, "too soon", 1); }
            @Override public ComponentReport report(long endPs) { return ComponentReport.of("cheat", 0, Map.of(), Map.of()); }
        };
        Recorder<String> recorder = new Recorder<>(String.class);
        int c = b.add("cheat", "the-cheat", 0, cheat.ports(), () -> cheat);
        int r = b.add("recorder", "recorder", 0, recorder.ports(), () -> recorder);
        b.connect(c, "out", r, "in", 1000);
        EmulationException e = assertThrows(EmulationException.class, () -> Engine.run(b.build(), Placement.single(2), 1, RunObserver.NONE));
        assertTrue(e.getMessage().contains("the-cheat"), e.getMessage());
        assertTrue(e.getMessage().contains("below the channel latency"), e.getMessage());
    }

    @Test
    void aComponentWhosePortsDifferFromItsWiringFailsTheRun() {
        Assembly.Builder b = Assembly.builder(1);
        Recorder<String> declared = new Recorder<>(String.class);
        Recorder<Integer> other = new Recorder<>(Integer.class); // wired as a String recorder, accepts Integers
        b.add("recorder", "odd-one", 0, declared.ports(), () -> other);
        EmulationException e = assertThrows(EmulationException.class, () -> Engine.run(b.build(), Placement.single(1), 1, RunObserver.NONE));
        assertTrue(e.getMessage().contains("odd-one: the component's ports"), e.getMessage());
    }
}
