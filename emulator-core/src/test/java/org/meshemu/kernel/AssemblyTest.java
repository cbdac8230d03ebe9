package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshemu.kernel.testkit.Injector;
import org.meshemu.kernel.testkit.Recorder;
import org.meshemu.scenario.InputException;

/** The wiring check that runs before anything is built. */
class AssemblyTest {

    private static String failure(long latency, String outPort, String inPort, Class<?> recorded) {
        Assembly.Builder b = Assembly.builder(0);
        Injector<String> inj = new Injector<>(String.class, List.of());
        Recorder<?> rec = new Recorder<>(recorded);
        int i = b.add("injector", "src", 0, inj.ports(), () -> inj);
        int r = b.add("recorder", "dst", 0, rec.ports(), () -> rec);
        b.connect(i, outPort, r, inPort, latency);
        return assertThrows(InputException.class, b::build).getMessage();
    }

    @Test
    void zeroAndNegativeLatenciesAreRejected() {
        assertTrue(failure(0, "out", "in", String.class).contains("latency 0 ps"));
        assertTrue(failure(-5, "out", "in", String.class).contains("latency -5 ps"));
    }

    @Test
    void unknownPortsAreRejectedByName() {
        assertTrue(failure(1, "nope", "in", String.class).contains("an output port of injector named 'nope'"));
        assertTrue(failure(1, "out", "nope", String.class).contains("an input port of recorder named 'nope'"));
    }

    @Test
    void mismatchedTypesAreRejected() {
        String m = failure(1, "out", "in", Integer.class);
        assertTrue(m.contains("String is sent and Integer accepted"), m);
    }

    @Test
    void anOutputPortIsWiredOnce() {
        Assembly.Builder b = Assembly.builder(0);
        Injector<String> inj = new Injector<>(String.class, List.of());
        Recorder<String> rec = new Recorder<>(String.class);
        int i = b.add("injector", "src", 0, inj.ports(), () -> inj);
        int r = b.add("recorder", "dst", 0, rec.ports(), () -> rec);
        b.connect(i, "out", r, "in", 1).connect(i, "out", r, "in", 1);
        assertTrue(assertThrows(InputException.class, b::build).getMessage().contains("already wired"));
    }
}
