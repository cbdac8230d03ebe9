package org.meshemu.kernel;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Ends a run that is running out of heap with a message rather than a hang or a trace from a
 * dispatcher thread. Two lines of defence:
 * <ul>
 *   <li>it looks at the heap after every collection of the whole heap (a full collection, or a
 *       concurrent collector's major cycle): when what survived fills more than {@link #NEARLY_FULL}
 *       of it, the run is failed at once (the JVM would otherwise collect ever more often for
 *       minutes before it throws). Young collections are not judged: after one, the old generation
 *       still holds the garbage that only a mixed or full collection frees, so a run given a long
 *       pause goal (G1 then collects the old generation later) would be failed with room to spare;</li>
 *   <li>it holds a reserve that the kernel's actors free when they catch an
 *       {@link OutOfMemoryError}, so that reporting the failure finds room to allocate.</li>
 * </ul>
 */
final class HeapGuard implements AutoCloseable {
    /** Share of the heap still in use after a collection of the whole heap at which the run is failed. */
    static final double NEARLY_FULL = 0.92;
    private static final long MAX_RESERVE_BYTES = 32L << 20;

    private static volatile byte[] reserve; // one heap per JVM, so one reserve

    private final List<GarbageCollectorMXBean> collectors;
    private final NotificationListener listener;

    private HeapGuard(List<GarbageCollectorMXBean> collectors, NotificationListener listener) {
        this.collectors = collectors;
        this.listener = listener;
    }

    /** Starts watching; {@code onNearlyFull} is told what filled up, once, on a JMX thread. */
    static HeapGuard watch(Consumer<String> onNearlyFull) {
        long max = Runtime.getRuntime().maxMemory();
        reserve = new byte[(int) Math.min(MAX_RESERVE_BYTES, max / 32)];
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        boolean[] told = {false};
        NotificationListener listener = (notification, handback) -> {
            if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) return;
            GarbageCollectionNotificationInfo gc = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            if (!collectsWholeHeap(gc)) return;
            long live = 0;
            for (Map.Entry<String, MemoryUsage> pool : gc.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(pool.getKey())) live += pool.getValue().getUsed();
            }
            if (live <= NEARLY_FULL * max) return;
            synchronized (told) {
                if (told[0]) return;
                told[0] = true;
            }
            releaseReserve();
            onNearlyFull.accept(String.format("the heap stayed over %.0f%% full after a full collection", 100 * NEARLY_FULL));
        };
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        for (GarbageCollectorMXBean c : collectors) ((NotificationEmitter) c).addNotificationListener(listener, null, null);
        return new HeapGuard(collectors, listener);
    }

    /**
     * Whether a collection looked at every live object: a stop-the-world full collection ("end of
     * major GC": G1's, Parallel's and Serial's full collections) or the major cycle of a concurrent
     * generational collector (ZGC's).
     */
    static boolean collectsWholeHeap(GarbageCollectionNotificationInfo gc) {
        return gc.getGcAction().contains("major") || gc.getGcName().contains("Major");
    }

    /** Frees the reserve; called first wherever the kernel catches an {@link OutOfMemoryError}. */
    static void releaseReserve() {
        reserve = null;
    }

    @Override
    public void close() {
        releaseReserve();
        for (GarbageCollectorMXBean c : collectors) {
            try {
                ((NotificationEmitter) c).removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // never added: nothing to remove
            }
        }
    }
}
