package org.meshemu.deploy.sweep;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.meshemu.deploy.ChildJvm;

/**
 * The point workers of a sweep: {@code jobs} child JVMs, each running {@link PointWorker} and
 * taking the next point from a shared queue when it finishes one. A worker that dies running a
 * point (a crash, the kernel's OOM killer) fails that point only: it is replaced by a fresh one
 * for the next point. Each worker's own output goes to {@code workers/worker-J.log}.
 */
final class PointWorkers {
    /** How a point ended: the command's exit code, or -1 with why the worker JVM running it died. */
    record Ended(SweepFile.Point point, int exitCode, String workerDied, double wallSeconds) {}

    private final int jobs;
    private final List<String> jvmOptions;
    private final Path logs;

    PointWorkers(int jobs, List<String> jvmOptions, Path logs) {
        this.jobs = jobs;
        this.jvmOptions = jvmOptions;
        this.logs = logs;
    }

    /**
     * Runs every point whose directory {@code directoryOf} gives (holding its {@code point.json}),
     * calling {@code ended} (from the job's thread, one call at a time) as each ends; returns when all have.
     */
    void runAll(List<SweepFile.Point> points, java.util.function.Function<SweepFile.Point, Path> directoryOf, Consumer<Ended> ended)
            throws InterruptedException {
        BlockingQueue<SweepFile.Point> queue = new LinkedBlockingQueue<>(points);
        List<Thread> threads = new ArrayList<>();
        for (int j = 0; j < Math.min(jobs, points.size()); j++) {
            int job = j;
            Thread t = new Thread(() -> {
                Worker worker = null;
                try {
                    for (SweepFile.Point p; (p = queue.poll()) != null; ) {
                        Ended e;
                        try {
                            if (worker == null) worker = new Worker(job);
                            e = worker.run(p, directoryOf.apply(p));
                        } catch (RuntimeException failure) { // no worker could be started: the point fails, the sweep goes on
                            e = new Ended(p, -1, failure.getMessage(), 0);
                        }
                        if (e.workerDied() != null) worker = null;
                        synchronized (ended) {
                            ended.accept(e);
                        }
                    }
                } finally {
                    if (worker != null) worker.stop();
                }
            }, "meshemu-sweep-job-" + j);
            t.start();
            threads.add(t);
        }
        try {
            for (Thread t : threads) t.join();
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            throw e;
        }
    }

    /** One worker JVM and its pipes. */
    private final class Worker {
        private final Process process;
        private final Path log;
        private final Writer requests;
        private final BufferedReader answers;

        Worker(int job) {
            log = logs.resolve("worker-" + job + ".log");
            List<String> command = ChildJvm.command(jvmOptions);
            command.add("sweep-worker");
            try {
                process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            } catch (IOException e) {
                throw new org.meshemu.kernel.EmulationException("cannot start a point worker JVM: " + e.getMessage(), e);
            }
            requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        Ended run(SweepFile.Point point, Path dir) {
            long start = System.nanoTime();
            String answer = null;
            try {
                requests.write(dir.toAbsolutePath() + "\n");
                requests.flush();
                answer = answers.readLine();
            } catch (IOException e) {
                // the worker is gone: said below
            }
            double wall = (System.nanoTime() - start) / 1e9;
            if (answer != null && answer.startsWith("exit ")) return new Ended(point, Integer.parseInt(answer.substring(5).trim()), null, wall);
            stop();
            String code = process.isAlive() ? "still running" : "exit code " + process.exitValue();
            return new Ended(point, -1, "the worker JVM running it died (" + code + "); its log: " + log, wall);
        }

        /** Closing its input asks the worker to exit; it is killed if it has not within 10 s. */
        void stop() {
            try {
                requests.close();
            } catch (IOException ignored) {
                // already gone
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
