package org.meshemu.noc;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.scenario.Named;
import org.meshemu.scenario.Registry;

/**
 * How chips are joined: the chip-level directions, who is a chip's neighbour each way, the
 * direction a packet for another chip leaves by, and which port of a chip each direction uses.
 * Each arrangement is a {@link Factory} registered by scenario name ({@code hardware.chips.topology})
 * in {@link #REGISTRY}, which makes the graph for the scenario's chip count and row width.
 */
interface ChipGraph {
    /** Chip-level directions; a chip has at most one outgoing chip link per direction. */
    List<String> directions();

    /** The chip reached from {@code chip} going {@code direction}, or -1. */
    int neighbour(int chip, int direction);

    /** The direction a packet at {@code chip} for {@code destination} (another chip) leaves by. */
    int route(int chip, int destination);

    /** The {@code hardware.chips.ports} key of the port a chip sends through going {@code direction}. */
    String sendPort(int direction);

    /** The port key at which a link going {@code direction} enters the neighbouring chip. */
    String receivePort(int direction);

    /** The direction that leads back, at the chip a link from {@code chip} going {@code direction} enters. */
    int reverse(int chip, int direction);

    /**
     * The VC classes of {@code chip}'s routers ({@link VcClasses}) for routes over these chip
     * links: router outputs 0 .. onChipOutputs - 1 are on-chip, then one per chip port, direction
     * d leaving by port {@code port[d]} (-1: no chip uses it) of {@code ports}.
     */
    VcClasses vcClasses(int chip, int[] port, int ports, int onChipOutputs);

    /** An arrangement of chips: makes its graph for the scenario's chips. */
    interface Factory extends Named {
        ChipGraph of(ChipsSpec chips);
    }

    /** Chip arrangements by scenario name. */
    Registry<Factory> REGISTRY = Registry.of(Factory.class, "hardware.chips.topology");

    /** {@code ring}: the chips in a ring (a torus one chip high). */
    final class Ring implements Factory {
        @Override public String name() { return "ring"; }

        @Override public ChipGraph of(ChipsSpec c) { return Grid.of(new Grid2d.Shape(c.count(), 1, true)); }
    }

    /** {@code mesh2d}: rows of {@code hardware.chips.width} chips. */
    final class Mesh implements Factory {
        @Override public String name() { return "mesh2d"; }

        @Override public ChipGraph of(ChipsSpec c) { return Grid.of(new Grid2d.Shape(c.rowWidth(), c.count() / c.rowWidth(), false)); }
    }

    /** {@code torus2d}: the mesh of chips with its rows and columns closed into rings. */
    final class Torus implements Factory {
        @Override public String name() { return "torus2d"; }

        @Override public ChipGraph of(ChipsSpec c) { return Grid.of(new Grid2d.Shape(c.rowWidth(), c.count() / c.rowWidth(), true)); }
    }

    /** {@code all-to-all}: a direct link between every two chips. */
    final class Exchange implements Factory {
        @Override public String name() { return "all-to-all"; }

        @Override public ChipGraph of(ChipsSpec c) { return new Direct(c.count()); }
    }

    /**
     * Chips on a grid (a ring is a torus one chip high), routed dimension order X first, the
     * shorter way round where it wraps; a link going east leaves by the east port and enters the
     * neighbour by its west port.
     */
    record Grid(Grid2d.Shape shape, Routing xy) implements ChipGraph {
        private static final String[] OPPOSITE = {"west", "east", "south", "north"};

        static Grid of(Grid2d.Shape shape) { return new Grid(shape, DimensionOrder.xy(shape)); }

        @Override public List<String> directions() { return Grid2d.DIRECTIONS; }

        @Override public int neighbour(int chip, int direction) { return shape.neighbour(chip, direction); }

        @Override public int route(int chip, int destination) { return xy.route(chip, destination); }

        @Override public String sendPort(int direction) { return Grid2d.DIRECTIONS.get(direction); }

        @Override public String receivePort(int direction) { return OPPOSITE[direction]; }

        @Override public int reverse(int chip, int direction) { return Grid2d.OPPOSITE[direction]; }

        /** Dimension-order over the chip grid: a class per chip dimension used, two where the chips wrap around. */
        @Override
        public VcClasses vcClasses(int chip, int[] port, int ports, int onChipOutputs) {
            boolean[] used = new boolean[2];
            for (int d = 0; d < port.length; d++) if (port[d] >= 0) used[d / 2] = true;
            int[] dimension = new int[onChipOutputs + ports];
            boolean[] wraps = new boolean[dimension.length];
            java.util.Arrays.fill(dimension, -1);
            for (int d = 0; d < port.length; d++) {
                if (port[d] < 0) continue;
                int out = onChipOutputs + port[d];
                dimension[out] = d / 2 == 1 && used[0] ? 1 : 0; // numbered among the dimensions used
                wraps[out] = shape.wrap() && neighbour(chip, d) >= 0 && shape.wrapsAround(chip, d);
            }
            return new VcClasses.ChipDateline(dimension, wraps, (used[0] ? 1 : 0) + (used[1] ? 1 : 0), shape.wrap());
        }
    }

    /** A link from every chip to every other, all through each chip's gateway port. */
    record Direct(int count) implements ChipGraph {
        @Override
        public List<String> directions() {
            List<String> names = new ArrayList<>();
            for (int c = 0; c < count; c++) names.add("to" + c);
            return names;
        }

        @Override public int neighbour(int chip, int direction) { return direction == chip ? -1 : direction; }

        @Override public int route(int chip, int destination) { return destination; }

        @Override public String sendPort(int direction) { return "gateway"; }

        @Override public String receivePort(int direction) { return "gateway"; }

        @Override public int reverse(int chip, int direction) { return chip; }

        /**
         * One class: a route crosses one chip link, from the gateway to the far gateway, and no
         * on-chip route from a node continues into a route to that node, so nothing chains back.
         */
        @Override public VcClasses vcClasses(int chip, int[] port, int ports, int onChipOutputs) { return VcClasses.NONE; }
    }
}
