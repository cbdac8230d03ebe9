package org.meshemu.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What the components of one partition share with their {@link NodeSync} while a window runs: their
 * inboxes, their threads' {@link WindowLog}s, the count of started components still running (the
 * last one to finish tells the NodeSync, so a window costs one message per started component and
 * one more, never a reply from each), the first failure, and the dispatcher its blocks and
 * components are spawned on.
 *
 * <p>The inboxes are one array by local index, not a field of each component: a sender pushes an
 * event into its target's inbox as it sends it, and a field of the target's own object was a cache
 * miss the sender waited for (the push is a compare-and-set), on every event sent to a component
 * idle since its last window; the array is a reference a component (4 bytes with compressed
 * references), so a partition's stays in the caches (docs/PERFORMANCE.md, "The inboxes in one array").
 *
 * <p>Why the order is safe: a component pushes its events into their targets' inboxes and writes its
 * thread's log before it decrements {@link #running}; the decrements form one chain on one atomic,
 * the NodeSync learns of the end of the window from the component that brought the count to zero,
 * after that decrement, reads the logs, clears them, and only then starts the next window.
 */
final class Partition {
    final int index;
    final Directory directory;
    final ActorRef<NodeSync.Command> sync;
    final String dispatcher; // the configuration path of the dispatcher the partition's actors run on
    final AtomicInteger running = new AtomicInteger();
    private volatile NodeSync.Failed failure;
    private final Event[] inboxes; // by local index: a lock-free stack each, linked through Event.next; through INBOX only
    private final List<WindowLog> windowLogs = new CopyOnWriteArrayList<>(); // one per thread that has run a component here
    private final ThreadLocal<WindowLog> threadsLog = ThreadLocal.withInitial(() -> {
        WindowLog l = new WindowLog();
        windowLogs.add(l);
        return l;
    });

    private static final VarHandle INBOX = MethodHandles.arrayElementVarHandle(Event[].class);

    Partition(int index, Directory directory, ActorRef<NodeSync.Command> sync, String dispatcher, int components) {
        this.index = index;
        this.directory = directory;
        this.sync = sync;
        this.dispatcher = dispatcher;
        this.inboxes = new Event[components];
    }

    /** Adds an event to the inbox of the component at {@code localIndex}; safe from any thread. */
    void push(int localIndex, Event e) {
        Event head;
        do {
            head = (Event) INBOX.getVolatile(inboxes, localIndex);
            e.next = head;
        } while (!INBOX.compareAndSet(inboxes, localIndex, head, e));
    }

    /** Empties the inbox of the component at {@code localIndex}, returning its events (newest first, linked through next). */
    Event takeInbox(int localIndex) {
        // a look first, which only reads: most windows' components find their inbox empty, and the swap would take the line for writing
        if (INBOX.getVolatile(inboxes, localIndex) == null) return null;
        return (Event) INBOX.getAndSet(inboxes, localIndex, (Event) null);
    }

    /** The log of the calling thread's components in this partition's window. */
    WindowLog windowLog() { return threadsLog.get(); }

    /**
     * Every thread's log; the NodeSync reads them once the window's components have all finished. A
     * thread's log stays (a pool's threads rarely change during a run): an empty one costs the
     * NodeSync a look.
     */
    List<WindowLog> windowLogs() { return windowLogs; }

    /**
     * Drops what the logs hold at the run's end: a pool's threads outlive the run (a cluster's node
     * hosts one run after another), and their thread-local entries keep the logs until the JVM
     * clears them.
     */
    void releaseWindowLogs() {
        for (WindowLog l : windowLogs) l.release();
    }

    /** Called by a component when it has handled its events of the window and written its log. */
    void finished() {
        if (running.decrementAndGet() == 0) sync.tell(NodeSync.WindowDone.INSTANCE);
    }

    /** Records a component's failure, {@code where} naming it; the first one is what the run reports. */
    synchronized void fail(String where, Throwable cause) {
        if (failure == null) failure = NodeSync.Failed.of(where, cause);
    }

    NodeSync.Failed failure() { return failure; }

    boolean hosts(int component) { return directory.partitionOf(component) == index; }
}
