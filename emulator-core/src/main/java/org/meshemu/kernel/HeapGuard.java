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
import java.util.concurrent.atomic.AtomicBoolean;
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
 *       concurrent collector's whole cycle): when what survived fills more than {@link #NEARLY_FULL}
 *       of the heap, or of any one of its pools, and a collection that compacts the whole heap
 *       confirms it ({@link #compactedCompletely}), the run is failed at once (the JVM would otherwise
 *       collect ever more often for minutes before it throws). A pool too: the parallel and serial
 *       collectors keep the old generation at a fixed share of the heap, and a full old generation
 *       stops a run while the heap looks a fifth or a third empty. Young and mixed collections are
 *       not judged: after one, the old generation may still hold garbage, so a run given a long
 *       pause goal (G1 then collects the old generation later) would be failed with room to
 *       spare;</li>
 *   <li>it holds a reserve that the kernel's actors free when they catch an
 *       {@link OutOfMemoryError}, so that reporting the failure finds room to allocate.</li>
 * </ul>
 */
public final class HeapGuard implements AutoCloseable {
    /** Share of the heap, or of one heap pool, still in use after a collection of the whole heap at which the run is failed. */
    static final double NEARLY_FULL = 0.92;
    private static final long MAX_RESERVE_BYTES = 32L << 20;

    private static volatile byte[] reserve; // one heap per JVM, so one reserve

    /**
     * Whether {@code System.gc()} collects the whole heap at once, as a confirmation needs: not when
     * the JVM ignores it or makes it a concurrent cycle; the guard then judges every collection of
     * the whole heap as it comes.
     */
    private static final boolean CONFIRMABLE = !vmFlag("DisableExplicitGC") && !vmFlag("ExplicitGCInvokesConcurrent");

    private final List<GarbageCollectorMXBean> collectors;
    private final NotificationListener listener;

    private HeapGuard(List<GarbageCollectorMXBean> collectors, NotificationListener listener) {
        this.collectors = collectors;
        this.listener = listener;
    }

    /** Starts watching; {@code onNearlyFull} is told what filled up, once, on a JMX thread. */
    static HeapGuard watch(Consumer<String> onNearlyFull) {
        reserve = new byte[(int) reserveBytes()];
        Set<String> heapPools = heapPools().stream().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        AtomicBoolean told = new AtomicBoolean();
        NotificationListener listener = (notification, handback) -> {
            if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) return;
            GarbageCollectionNotificationInfo gc = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            if (!collectsWholeHeap(gc.getGcName(), gc.getGcAction())) return;
            String full = null;
            long live = 0;
            for (Map.Entry<String, MemoryUsage> pool : gc.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (!heapPools.contains(pool.getKey())) continue;
                long used = pool.getValue().getUsed(), max = pool.getValue().getMax(); // max -1: no bound of its own (G1's young pools)
                live += used;
                if (max > 0 && used > NEARLY_FULL * max) full = pool.getKey();
            }
            if (full == null && live > NEARLY_FULL * Runtime.getRuntime().maxMemory()) full = "all its pools";
            if (full == null) return;
            if (CONFIRMABLE && !compactedCompletely(gc.getGcCause())) { // dead wood may be what fills it: look again after a complete compaction
                Thread.startVirtualThread(System::gc);
                return;
            }
            if (told.getAndSet(true)) return;
            releaseReserve();
            onNearlyFull.accept(String.format("the heap stayed over %.0f%% full after a collection of the whole heap (%s)", 100 * NEARLY_FULL, full));
        };
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        for (GarbageCollectorMXBean c : collectors) ((NotificationEmitter) c).addNotificationListener(listener, null, null);
        return new HeapGuard(collectors, listener);
    }

    /**
     * Whether collector {@code collector}'s collection, ending with {@code action}, looked at every
     * live object: a stop-the-world full collection ("end of major GC": G1's, Parallel's and
     * Serial's), or a concurrent collector's whole cycle ("end of GC cycle" from ZGC's and
     * Shenandoah's cycle collectors, but not from generational ZGC's minor one). G1's young and mixed
     * collections, its concurrent pauses and the concurrent collectors' pauses are not.
     */
    static boolean collectsWholeHeap(String collector, String action) {
        return action.equals("end of major GC") || action.equals("end of GC cycle") && !collector.contains("Minor");
    }

    /**
     * Whether a whole-heap collection with cause {@code cause} compacted every live object together,
     * so that what it left is all live: one asked for by {@code System.gc()}. Others may not be: the
     * parallel collector leaves the densest part of the old generation in place, its dead objects
     * filled over ("dead wood", 5% of a 768 MiB heap in a wafer-scale run), and compacts that too
     * only every 20th time or when asked, so a run it judged from them could be failed with room to
     * spare.
     */
    static boolean compactedCompletely(String cause) {
        return cause.equals("System.gc()");
    }

    private static boolean vmFlag(String name) {
        try {
            return Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption(name).getValue());
        } catch (IllegalArgumentException e) { // a JVM without the flag
            return false;
        }
    }

    /**
     * The heap a run's long-lived objects can fill, in bytes: the largest bound of any one heap pool.
     * That is the whole heap for G1, ZGC and Shenandoah, and the old generation for the parallel and
     * serial collectors, which keep it at a fixed share of the heap (two thirds by default); less the
     * reserve the guard holds while a run lasts.
     */
    public static long capacityBytes() {
        long max = 0;
        for (MemoryPoolMXBean p : heapPools()) max = Math.max(max, p.getUsage().getMax());
        return (max > 0 ? Math.min(max, Runtime.getRuntime().maxMemory()) : Runtime.getRuntime().maxMemory()) - reserveBytes();
    }

    /** The reserve freed on an {@link OutOfMemoryError}: a 32nd of the heap, at most 32 MiB. */
    public static long reserveBytes() {
        return Math.min(MAX_RESERVE_BYTES, Runtime.getRuntime().maxMemory() / 32);
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
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
