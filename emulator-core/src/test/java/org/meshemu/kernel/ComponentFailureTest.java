package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever a component throws, wherever it throws it, the run ends with a message naming the
 * component; it never waits for a component that is gone.
 */
class ComponentFailureTest {

    /** Where the thrown error comes from. */
    enum Where { NOWHERE, CONSTRUCTOR, START, HANDLE, REPORT }

    /** A component that throws {@code error} at {@code where}; it schedules one event so that its handler runs. */
    static final class Thrower implements Component<Object> {
        private final Where where;
        private final Supplier<Throwable> error;

        Thrower(Where where, Supplier<Throwable> error) {
            this.where = where;
            this.error = error;
            if (where == Where.CONSTRUCTOR) sneaky(error.get());
        }

        @Override public Ports<Object> ports() { return new Ports<>(List.of(), List.of()); }

        @Override public void start(Context<Object> ctx) {
            if (where == Where.START) sneaky(error.get());
            ctx.schedule("go", 1000);
        }

        @Override public void handle(Object m, Context<Object> ctx) {
            if (where == Where.HANDLE) sneaky(error.get());
        }

        @Override public ComponentReport report(long endPs) {
            if (where == Where.REPORT) sneaky(error.get());
            return ComponentReport.of("thrower", 0, Map.of(), Map.of());
        }

        @SuppressWarnings("unchecked")
        private static <T extends Throwable> void sneaky(Throwable t) throws T {
            throw (T) t;
        }
    }

    private static void assertFailsNaming(Where where, Supplier<Throwable> error, String expected, int partitions) {
        Assembly.Builder b = Assembly.builder(1);
        for (int i = 0; i < 4; i++) {
            boolean bad = i == 2;
            b.add("thrower", bad ? "the-bad-one" : "good" + i, 0, new Thrower(Where.NOWHERE, null).ports(),
                    () -> new Thrower(bad ? where : Where.NOWHERE, error));
        }
        Assembly assembly = b.build();
        EmulationException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(EmulationException.class,
                () -> Engine.run(assembly, Placement.byLocality(assembly, partitions), 2, RunObserver.NONE)));
        assertTrue(e.getMessage().contains("the-bad-one"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CONSTRUCTOR", "START", "HANDLE", "REPORT"})
    void anAssertionErrorFailsTheRunNamingTheComponent(String where) {
        assertFailsNaming(Where.valueOf(where), () -> new AssertionError("a model's invariant broke"), "a model's invariant broke", 1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CONSTRUCTOR", "START", "HANDLE", "REPORT"})
    void aRuntimeExceptionFailsTheRunNamingTheComponentOnAnyPartitioning(String where) {
        assertFailsNaming(Where.valueOf(where), () -> new IllegalArgumentException("bad operand"), "bad operand", 2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"START", "HANDLE"})
    void aStackOverflowFailsTheRunNamingTheComponent(String where) {
        assertFailsNaming(Where.valueOf(where), StackOverflowError::new, "StackOverflowError", 1);
    }
}
