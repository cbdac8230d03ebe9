package org.meshemu.noc;

import java.util.List;
import org.meshemu.scenario.Check;
import org.meshemu.scenario.FieldException;

/**
 * Several chips joined by chip-to-chip links. {@code topology} arranges the chips: ring, mesh2d
 * or torus2d ({@code width} chips per row; 0 = all in one row), or all-to-all (a link from
 * every chip to every other). {@code ports} places each chip's link ports on its routers: keys
 * east, west, north, south (grid arrangements) or gateway (all-to-all), values the on-chip
 * node (y * noc.width + x); unnamed ports sit at the middle of their edge (gateway: the centre).
 * All-to-all chips take no ports: every exchange port drives the chip links.
 */
public record ChipsSpec(int count, String topology, int width, ChipLinkSpec link, java.util.Map<String, Integer> ports) {
    public static final List<String> PORTS = List.of("east", "west", "north", "south", "gateway");

    public ChipsSpec {
        Check.atLeast("count", count, 1);
        Check.present("topology", topology); // a name of the noc module's chip arrangements, checked when wiring
        Check.atLeast("width", width, 0);
        if (width > 0 && count % width != 0) throw new FieldException("width", width, "a divisor of count " + count);
        Check.present("link", link);
        Check.present("ports", ports);
        for (var e : ports.entrySet()) {
            Check.oneOf("ports." + e.getKey() + " (the key)", e.getKey(), PORTS);
            Check.atLeast("ports." + e.getKey(), e.getValue() == null ? -1 : e.getValue(), 0);
        }
        if (count > 1) link.requireComplete();
        ports = java.util.Map.copyOf(ports);
    }

    /** Chips per row of a grid arrangement. */
    public int rowWidth() { return width == 0 ? count : width; }

    /** The {@code hardware.chips} section, registered in META-INF/services/org.meshemu.scenario.Section. */
    public static final class Section extends org.meshemu.scenario.Section<ChipsSpec> {
        public Section() { super("hardware.chips", ChipsSpec.class); }
    }
}
