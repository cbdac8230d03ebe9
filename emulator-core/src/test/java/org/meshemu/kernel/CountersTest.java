package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountersTest {
    private static final String[] LINK = {"bytes", "packets", "creditStalls"};

    @Test
    void isTheMapOfItsNamesAndValues() {
        Counters c = Counters.of(LINK, 4096, 200, 0);
        Map<String, Long> expected = Map.of("bytes", 4096L, "packets", 200L, "creditStalls", 0L);
        assertEquals(expected, c);
        assertEquals(c, expected);
        assertEquals(expected.hashCode(), c.hashCode());
        assertEquals(200L, c.get("packets"));
        assertNull(c.get("flits"));
        assertEquals(7, c.get("flits", 7));
        assertTrue(c.containsKey("creditStalls"));
        assertFalse(c.containsKey("flits"));
        List<String> order = new ArrayList<>();
        c.forEach((name, value) -> order.add(name + "=" + value));
        assertEquals(List.of("bytes=4096", "packets=200", "creditStalls=0"), order);
        assertEquals(List.of("bytes", "packets", "creditStalls"), List.copyOf(c.keySet()));
    }

    @Test
    void isImmutable() {
        Counters c = Counters.of(LINK, 1, 2, 3);
        assertThrows(UnsupportedOperationException.class, () -> c.put("bytes", 9L));
        assertThrows(UnsupportedOperationException.class, () -> c.entrySet().iterator().next().setValue(9L));
        assertThrows(UnsupportedOperationException.class, () -> c.entrySet().iterator().remove());
    }

    @Test
    void copiesAnyMapInItsOrderAndKeepsItself() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("rowHits", 5L);
        counts.put("activates", 2L);
        Counters c = Counters.copyOf(counts);
        assertEquals(counts, c);
        assertEquals(List.copyOf(counts.keySet()), List.copyOf(c.keySet()));
        assertSame(c, Counters.copyOf(c));
        assertTrue(Counters.copyOf(Map.of()).isEmpty());
    }

    @Test
    void plusAppendsAndRefusesANameTwice() {
        Counters bank = Counters.of(new String[] {"bytesRead", "bytesWritten"}, 64, 0).plus(Counters.of(new String[] {"rowHits"}, 3));
        assertEquals(List.of("bytesRead", "bytesWritten", "rowHits"), List.copyOf(bank.keySet()));
        assertEquals(3, bank.get("rowHits", 0));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> bank.plus(Counters.of(new String[] {"rowHits"}, 4)));
        assertEquals("counter 'rowHits' named twice", twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Counters.of(LINK, 1, 2));
    }

    @Test
    void aReportKeepsItsCountsAsCounters() {
        ComponentReport r = ComponentReport.of("bank", 10, Map.of("rowHits", 5L), Map.of()).withId(3);
        assertTrue(r.counters() instanceof Counters);
        assertEquals(5, r.counter("rowHits"));
        assertEquals(0, r.counter("activates"));
        assertEquals(ComponentReport.of("bank", 10, Counters.of(new String[] {"rowHits"}, 5), Map.of()).withId(3), r);
    }
}
