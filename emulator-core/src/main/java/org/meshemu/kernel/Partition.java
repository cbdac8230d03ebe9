package org.meshemu.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What the components of one partition share with their {@link NodeSync} while a window runs: the
 * count of started components still running (the last one to finish tells the NodeSync, so a
 * window costs one message per started component and one more, never a reply from each), the
 * first failure, and the dispatcher its blocks and components are spawned on.
 *
 * <p>Why the order is safe: a component pushes its events into their targets' inboxes before it
 * decrements {@link #running}; the NodeSync learns of the end of the window from the component
 * that brought the count to zero, after that decrement, and only then starts the next window.
 */
final class Partition {
    final int index;
    final Directory directory;
    final ActorRef<NodeSync.Command> sync;
    final String dispatcher; // the configuration path of the dispatcher the partition's actors run on
    final AtomicInteger running = new AtomicInteger();
    private volatile NodeSync.Failed failure;

    Partition(int index, Directory directory, ActorRef<NodeSync.Command> sync, String dispatcher) {
        this.index = index;
        this.directory = directory;
        this.sync = sync;
        this.dispatcher = dispatcher;
    }

    /** Called by a component when it has handled its events of the window. */
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
