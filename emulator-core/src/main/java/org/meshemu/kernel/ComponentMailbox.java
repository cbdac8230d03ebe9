package org.meshemu.kernel;

import com.typesafe.config.Config;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.dispatch.Envelope;
import org.apache.pekko.dispatch.MailboxType;
import org.apache.pekko.dispatch.MessageQueue;
import org.apache.pekko.dispatch.ProducesMessageQueue;
import org.apache.pekko.dispatch.UnboundedMessageQueueSemantics;
import scala.Option;

/**
 * The mailbox of a component's actor (configured at {@link #PATH}). A component is told at most
 * one {@link ComponentActor.Start} at a time (its NodeSync tells the next only after the window
 * has ended), so its queue is one field: telling it stores the message there, with no node to
 * allocate, and the component reads it from the queue object itself, which the NodeSync's warming
 * has just touched. A Pekko linked queue makes a node per message and keeps a node of its own
 * (docs/PERFORMANCE.md, "A component's mailbox"). Anything told while the field is full (never in
 * a run) goes to an overflow queue made on first need, and from then on a sender never uses the
 * field again, so that each sender's messages stay in the order it sent them: a sender's message in
 * the field is older than any of its own in the overflow (a sender that looked before the overflow
 * was made may still put one there, older than its own later ones).
 */
public final class ComponentMailbox implements MailboxType, ProducesMessageQueue<ComponentMailbox.Queue> {
    /** The configuration path of this mailbox (reference.conf). */
    static final String PATH = "meshemu.kernel.component-mailbox";

    /** The constructor Pekko calls for a mailbox named in its configuration. */
    public ComponentMailbox(ActorSystem.Settings settings, Config config) {}

    @Override
    public MessageQueue create(Option<ActorRef> owner, Option<ActorSystem> system) { return new Queue(); }

    /** One message in a field, the rest (if ever) in an overflow queue; many senders, one reader. */
    static final class Queue implements MessageQueue, UnboundedMessageQueueSemantics {
        private static final VarHandle SLOT;
        private static final VarHandle OVERFLOW;
        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                SLOT = lookup.findVarHandle(Queue.class, "slot", Envelope.class);
                OVERFLOW = lookup.findVarHandle(Queue.class, "overflow", ConcurrentLinkedQueue.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused") private volatile Envelope slot; // through SLOT only
        @SuppressWarnings("unused") private volatile ConcurrentLinkedQueue<Envelope> overflow; // through OVERFLOW only
        // An overflow message the reader took while the field held an older one (see dequeue); the
        // reader's own, volatile because other threads ask hasMessages.
        private volatile Envelope taken;

        @Override
        public void enqueue(ActorRef receiver, Envelope handle) {
            if (OVERFLOW.getVolatile(this) == null && SLOT.compareAndSet(this, (Envelope) null, handle)) return;
            overflow().add(handle);
        }

        @Override
        public Envelope dequeue() { // takeSlot, then afterEmptySlot: the test of the interleaving drives the two halves
            Envelope e = takeSlot();
            return e != null ? e : afterEmptySlot(); // the field's is older than its sender's messages in the overflow
        }

        /** The rest of a dequeue that found the field empty (a test tells the queue in between). */
        @SuppressWarnings("unchecked")
        Envelope afterEmptySlot() {
            ConcurrentLinkedQueue<Envelope> more = (ConcurrentLinkedQueue<Envelope>) OVERFLOW.getVolatile(this);
            if (more == null) return null; // a run's case: one read, as taken comes only from an overflow
            Envelope e = taken;
            if (e != null) {
                taken = null;
                return e;
            }
            e = more.poll();
            if (e == null) return null;
            // The field was empty when read above, but its sender may have filled it since and then added
            // e to the overflow: that message is older, and visible now (e's adding came after it). It goes first.
            Envelope older = (Envelope) SLOT.getVolatile(this);
            if (older == null) return e;
            taken = e; // before the field is emptied, so that hasMessages never sees both empty meanwhile
            SLOT.setVolatile(this, (Envelope) null);
            return older;
        }

        /** Empties the field and returns what it held, or null. */
        Envelope takeSlot() {
            Envelope e = (Envelope) SLOT.getVolatile(this);
            if (e != null) SLOT.setVolatile(this, (Envelope) null); // only the reader empties it, and no sender writes a full one
            return e;
        }

        @Override
        @SuppressWarnings("unchecked")
        public int numberOfMessages() {
            ConcurrentLinkedQueue<Envelope> more = (ConcurrentLinkedQueue<Envelope>) OVERFLOW.getVolatile(this);
            return (SLOT.getVolatile(this) == null ? 0 : 1) + (taken == null ? 0 : 1) + (more == null ? 0 : more.size());
        }

        @Override
        @SuppressWarnings("unchecked")
        public boolean hasMessages() {
            if (SLOT.getVolatile(this) != null) return true;
            ConcurrentLinkedQueue<Envelope> more = (ConcurrentLinkedQueue<Envelope>) OVERFLOW.getVolatile(this);
            return more != null && (taken != null || !more.isEmpty());
        }

        @Override
        public void cleanUp(ActorRef owner, MessageQueue deadLetters) {
            for (Envelope e = dequeue(); e != null; e = dequeue()) deadLetters.enqueue(owner, e);
        }

        @SuppressWarnings("unchecked")
        private ConcurrentLinkedQueue<Envelope> overflow() {
            ConcurrentLinkedQueue<Envelope> more = (ConcurrentLinkedQueue<Envelope>) OVERFLOW.getVolatile(this);
            if (more != null) return more;
            OVERFLOW.compareAndSet(this, (ConcurrentLinkedQueue<Envelope>) null, new ConcurrentLinkedQueue<Envelope>());
            return (ConcurrentLinkedQueue<Envelope>) OVERFLOW.getVolatile(this);
        }
    }
}
