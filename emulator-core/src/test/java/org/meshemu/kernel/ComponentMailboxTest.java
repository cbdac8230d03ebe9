package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorCell;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorRefWithCell;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.dispatch.Envelope;
import org.junit.jupiter.api.Test;

class ComponentMailboxTest {

    private static Envelope envelope(Object message) { return Envelope.apply(message, ActorRef.noSender()); }

    @Test
    void holdsOneMessageInItsFieldAndHandsItOut() {
        ComponentMailbox.Queue q = new ComponentMailbox.Queue();
        assertFalse(q.hasMessages());
        assertNull(q.dequeue());
        q.enqueue(ActorRef.noSender(), envelope("start"));
        assertTrue(q.hasMessages());
        assertEquals(1, q.numberOfMessages());
        assertEquals("start", q.dequeue().message());
        assertFalse(q.hasMessages());
        assertEquals(0, q.numberOfMessages());
        assertNull(q.dequeue());
    }

    @Test
    void keepsTheOrderOfMessagesToldWhileItsFieldIsFull() {
        ComponentMailbox.Queue q = new ComponentMailbox.Queue();
        for (int i = 0; i < 5; i++) q.enqueue(ActorRef.noSender(), envelope(i));
        assertEquals(5, q.numberOfMessages());
        assertEquals(0, q.dequeue().message());
        q.enqueue(ActorRef.noSender(), envelope(5)); // the field is free again, but earlier messages wait in the overflow
        for (int i = 1; i <= 5; i++) assertEquals(i, q.dequeue().message());
        assertNull(q.dequeue());
    }

    @Test
    void givesWhatIsLeftToTheDeadLettersWhenCleanedUp() {
        ComponentMailbox.Queue q = new ComponentMailbox.Queue();
        ComponentMailbox.Queue dead = new ComponentMailbox.Queue();
        for (int i = 0; i < 3; i++) q.enqueue(ActorRef.noSender(), envelope(i));
        q.cleanUp(ActorRef.noSender(), dead);
        assertFalse(q.hasMessages());
        for (int i = 0; i < 3; i++) assertEquals(i, dead.dequeue().message());
    }

    /**
     * A reader finds the field empty; before it looks at the overflow, one sender tells twice (the
     * first into the field, the second, finding it full, into a new overflow): the first comes out
     * first, then the second.
     */
    @Test
    void aMessageToldIntoTheFieldWhileTheReaderLookedElsewhereStillComesFirst() {
        ComponentMailbox.Queue q = new ComponentMailbox.Queue();
        Envelope first = envelope("first"), second = envelope("second");
        assertNull(q.takeSlot());
        q.enqueue(ActorRef.noSender(), first);
        q.enqueue(ActorRef.noSender(), second);
        assertSame(first, q.afterEmptySlot());
        assertTrue(q.hasMessages());
        assertEquals(1, q.numberOfMessages());
        assertSame(second, q.dequeue());
        assertNull(q.dequeue());
        assertFalse(q.hasMessages());
    }

    /**
     * Four threads tell one queue at once while it is read: nothing lost, each sender's messages in
     * its order. Many fresh queues, because the overflow is made once a queue, and the order of a
     * message its sender put in the field against its next one in the overflow is at stake only
     * around then (a reader that found the field empty, then took the next one from the overflow,
     * failed this about once a run of them).
     */
    @Test
    void losesNothingAndKeepsEachSendersOrderUnderConcurrentSenders() throws Exception {
        for (int round = 0; round < 300; round++) concurrentRound(4, round == 0 ? 20_000 : 300);
    }

    private static void concurrentRound(int senders, int each) throws Exception {
        ComponentMailbox.Queue q = new ComponentMailbox.Queue();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) q.enqueue(ActorRef.noSender(), envelope(new int[] {sender, i}));
            });
            t.start();
            threads.add(t);
        }
        int[] nextOf = new int[senders];
        int received = 0;
        go.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received < senders * each && System.nanoTime() < deadline) {
            Envelope e = q.dequeue();
            if (e == null) continue;
            int[] m = (int[]) e.message();
            assertEquals(nextOf[m[0]], m[1], "sender " + m[0] + "'s messages out of order");
            nextOf[m[0]]++;
            received++;
        }
        for (Thread t : threads) t.join();
        assertEquals(senders * each, received);
        assertNull(q.dequeue());
        assertFalse(q.hasMessages());
    }

    /** Records what it is told; answers "done" to the sender of "done?" once it has {@code expected} numbers. */
    static final class Recorder extends AbstractActor {
        final List<Integer> seen = new ArrayList<>();
        final CompletableFuture<List<Integer>> all;
        final int expected;

        Recorder(CompletableFuture<List<Integer>> all, int expected) {
            this.all = all;
            this.expected = expected;
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder().match(Integer.class, i -> {
                seen.add(i);
                if (seen.size() == expected) all.complete(List.copyOf(seen));
            }).build();
        }
    }

    @Test
    void isTheMailboxOfAComponentsActorAndDeliversInOrder() throws Exception {
        ActorSystem system = ActorSystem.create("mailbox", Engine.config(1));
        try {
            CompletableFuture<List<Integer>> all = new CompletableFuture<>();
            int n = 10_000;
            // the mailbox the components' Props name, found through the configuration as Pekko finds it
            Props props = Props.create(Recorder.class, () -> new Recorder(all, n)).withMailbox(ComponentActor.Actor.props(null, null).mailbox());
            ActorRef ref = system.actorOf(props, "recorder");
            for (int i = 0; i < n; i++) ref.tell(i, ActorRef.noSender());
            List<Integer> seen = all.get(60, TimeUnit.SECONDS);
            for (int i = 0; i < n; i++) assertEquals(i, seen.get(i));
            // a top-level actor's reference points to its cell once created
            ActorCell cell = (ActorCell) ((ActorRefWithCell) ref).underlying();
            assertInstanceOf(ComponentMailbox.Queue.class, cell.mailbox().messageQueue());
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
