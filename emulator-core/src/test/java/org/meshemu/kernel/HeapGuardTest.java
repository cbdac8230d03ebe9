package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The guard judges the heap after collections of the whole heap only, as each HotSpot collector names them. */
class HeapGuardTest {

    @ParameterizedTest(name = "{0}, {1}: {2}")
    @CsvSource({
            "G1 Young Generation, end of minor GC, false", // young and mixed collections
            "G1 Concurrent GC, end of concurrent GC pause, false",
            "G1 Old Generation, end of major GC, true",
            "PS Scavenge, end of minor GC, false",
            "PS MarkSweep, end of major GC, true",
            "Copy, end of minor GC, false",
            "MarkSweepCompact, end of major GC, true",
            "ZGC Cycles, end of GC cycle, true", // non-generational ZGC (JDK 21's default ZGC)
            "ZGC Pauses, end of GC pause, false",
            "ZGC Minor Cycles, end of GC cycle, false",
            "ZGC Minor Pauses, end of GC pause, false",
            "ZGC Major Cycles, end of GC cycle, true",
            "ZGC Major Pauses, end of GC pause, false",
            "Shenandoah Cycles, end of GC cycle, true",
            "Shenandoah Pauses, end of GC pause, false"})
    void judgesOnlyCollectionsOfTheWholeHeap(String collector, String action, boolean whole) {
        assertEquals(whole, HeapGuard.collectsWholeHeap(collector, action));
    }

    /** Only a collection asked for by System.gc() compacts the parallel collector's whole heap: others are confirmed by one. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"System.gc(), true", "Allocation Failure, false", "Ergonomics, false", "G1 Humongous Allocation, false"})
    void judgesFullnessAfterACompleteCompaction(String cause, boolean complete) {
        assertEquals(complete, HeapGuard.compactedCompletely(cause));
    }
}
