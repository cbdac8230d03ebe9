package org.meshemu.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;

/** Splitting a message into packets and putting it back together. */
class PacketTest {
    private static final Tile TILE = Tile.shape(4, 8, DType.FP32); // 128 bytes

    @Test
    void noLimitIsOnePacket() {
        List<Packet> p = Packet.split(1, 2, 7, 0, 5, TILE, 128, 0);
        assertEquals(1, p.size());
        assertEquals(128, p.get(0).bytes());
        assertSame(TILE, p.get(0).tile());
    }

    @Test
    void splitsAtTheLimitAndOneBelow() {
        assertEquals(List.of(64L, 64L), Packet.split(1, 2, 7, 0, 5, TILE, 128, 64).stream().map(Packet::bytes).toList());
        assertEquals(List.of(63L, 63L, 2L), Packet.split(1, 2, 7, 0, 5, TILE, 128, 63).stream().map(Packet::bytes).toList());
        assertEquals(List.of(128L), Packet.split(1, 2, 7, 0, 5, TILE, 128, 128).stream().map(Packet::bytes).toList());
        assertEquals(List.of(127L, 1L), Packet.split(1, 2, 7, 0, 5, TILE, 128, 127).stream().map(Packet::bytes).toList());
    }

    @Test
    void onlyTheHeadCarriesTheTile() {
        List<Packet> p = Packet.split(1, 2, 7, 0, 5, TILE, 128, 50);
        assertSame(TILE, p.get(0).tile());
        assertNull(p.get(1).tile());
        assertNull(p.get(2).tile());
        assertThrows(IllegalArgumentException.class, () -> new Packet(1, 2, 7, 0, 1, 2, 10, 0, TILE));
    }

    @Test
    void reassemblyCompletesOnTheLastMissingPacketInAnyOrder() {
        List<Packet> p = Packet.split(1, 2, 7, 9, 5, TILE, 128, 50);
        Reassembly r = new Reassembly();
        assertNull(r.accept(p.get(2)));
        assertNull(r.accept(p.get(0)));
        assertEquals(1, r.incomplete());
        Reassembly.Message m = r.accept(p.get(1));
        assertEquals(new Reassembly.Message(1, 7, 9, 128, 5, TILE), m);
        assertEquals(0, r.incomplete());
    }

    @Test
    void messagesOfOneSourceDoNotMix() {
        List<Packet> a = Packet.split(1, 2, 7, 0, 5, TILE, 128, 64), b = Packet.split(1, 2, 7, 1, 6, TILE, 128, 64);
        Reassembly r = new Reassembly();
        assertNull(r.accept(a.get(0)));
        assertNull(r.accept(b.get(0)));
        assertEquals(1, r.accept(b.get(1)).message());
        assertEquals(0, r.accept(a.get(1)).message());
    }
}
