package org.meshemu.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.function.Consumer;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;

/**
 * Ends a run that is running out of heap with a message rather than a hang or a trace from a
 * dispatcher thread. Two lines of defence:
 * <ul>
 *   <li>it watches the heap pools after every collection: when what survives a collection fills
 *       more than {@link #NEARLY_FULL} of a pool, the run is failed at once (the JVM would
 *       otherwise collect ever more often for minutes before it throws);</li>
 *   <li>it holds a reserve that the kernel's actors free when they catch an
 *       {@link OutOfMemoryError}, so that reporting the failure finds room to allocate.</li>
 * </ul>
 */
final class HeapGuard implements AutoCloseable {
    /** Share of a heap pool still in use after a collection at which the run is failed. */
    static final double NEARLY_FULL = 0.92;
    private static final long MAX_RESERVE_BYTES = 32L << 20;

    private static volatile byte[] reserve; // one heap per JVM, so one reserve

    private final List<MemoryPoolMXBean> watched;
    private final NotificationListener listener;

    private HeapGuard(List<MemoryPoolMXBean> watched, NotificationListener listener) {
        this.watched = watched;
        this.listener = listener;
    }

    /** Starts watching; {@code onNearlyFull} is told what filled up, once, on a JMX thread. */
    static HeapGuard watch(Consumer<String> onNearlyFull) {
        reserve = new byte[(int) Math.min(MAX_RESERVE_BYTES, Runtime.getRuntime().maxMemory() / 32)];
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported() && p.getUsage().getMax() > 0)
                .toList();
        for (MemoryPoolMXBean p : pools) p.setCollectionUsageThreshold((long) (p.getUsage().getMax() * NEARLY_FULL));
        boolean[] told = {false};
        NotificationListener listener = (notification, handback) -> {
            if (!notification.getType().equals(MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED)) return;
            synchronized (told) {
                if (told[0]) return;
                told[0] = true;
            }
            releaseReserve();
            onNearlyFull.accept(String.format("the heap stayed over %.0f%% full after a collection", 100 * NEARLY_FULL));
        };
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(listener, null, null);
        return new HeapGuard(pools, listener);
    }

    /** Frees the reserve; called first wherever the kernel catches an {@link OutOfMemoryError}. */
    static void releaseReserve() {
        reserve = null;
    }

    @Override
    public void close() {
        releaseReserve();
        try {
            ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).removeNotificationListener(listener);
        } catch (javax.management.ListenerNotFoundException ignored) {
            // never added: nothing to remove
        }
        for (MemoryPoolMXBean p : watched) p.setCollectionUsageThreshold(0);
    }
}
