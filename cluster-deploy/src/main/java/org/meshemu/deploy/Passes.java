package org.meshemu.deploy;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Passes over a finished run that go side by side, each on a virtual thread of its own (the JDK runs
 * them on as many carrier threads as there are processors). {@link Pass#join} returns a pass's result
 * or rethrows what it threw, as it was thrown; closing waits for every pass, so nothing is left
 * writing when the run's command returns or fails.
 */
final class Passes implements AutoCloseable {
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /** A pass under way. */
    static final class Pass<T> {
        private final Future<T> result;

        private Pass(Future<T> result) { this.result = result; }

        /**
         * Waits for the pass; its exception, if it threw one, is thrown here. An interrupt does not
         * stop the wait (the passes ran to their end on the caller's thread before): it is kept for
         * the caller.
         */
        T join() {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return result.get();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error r) throw r;
                throw new IllegalStateException(e.getCause());
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts a pass that computes a value. */
    <T> Pass<T> start(Callable<T> pass) { return new Pass<>(threads.submit(pass)); }

    /** Starts a pass that writes, and returns nothing. */
    Pass<Void> run(Runnable pass) { return new Pass<>(threads.submit(pass, null)); }

    /** Waits for every pass; an interrupt neither stops them nor the wait, and is kept for the caller. */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        threads.close(); // waits; it would stop the passes if this thread were interrupted
        if (interrupted) Thread.currentThread().interrupt();
    }
}
