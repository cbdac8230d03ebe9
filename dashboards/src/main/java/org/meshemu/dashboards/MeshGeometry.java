package org.meshemu.dashboards;

import org.meshemu.noc.Fabric;
import org.meshemu.scenario.Scenario;

/**
 * Where each mesh node is drawn: chips laid out as the scenario's chip grid ({@code chips.width}
 * chips per row, one row when 0), each chip a {@code width x height} mesh, node n = chip * nodes per
 * chip + y * width + x (the numbering of {@link Fabric#endpoints()}).
 *
 * @param chips       chips in the system
 * @param chipColumns chips per row of the chip grid
 * @param width       nodes per row of one chip
 * @param height      nodes per column of one chip
 */
public record MeshGeometry(int chips, int chipColumns, int width, int height) {
    public MeshGeometry {
        if (chips < 1 || chipColumns < 1 || width < 1 || height < 1) {
            throw new IllegalArgumentException("mesh geometry must be positive: " + chips + " chips, " + chipColumns
                    + " per row, " + width + " x " + height);
        }
    }

    public static MeshGeometry of(Scenario.Hardware hw) {
        Fabric fabric = Fabric.of(hw);
        int count = fabric.chips().count();
        int columns = fabric.chips().width() == 0 ? count : Math.min(count, fabric.chips().width());
        return new MeshGeometry(count, columns, fabric.noc().width(), fabric.noc().height());
    }

    public int nodesPerChip() { return width * height; }

    public int nodes() { return chips * nodesPerChip(); }

    public int chipRows() { return (chips + chipColumns - 1) / chipColumns; }

    /** Columns of the whole system's grid of nodes. */
    public int columns() { return chipColumns * width; }

    /** Rows of the whole system's grid of nodes. */
    public int rows() { return chipRows() * height; }

    public int chipOf(int node) { return node / nodesPerChip(); }

    /** Column of {@code node} in the whole system's grid. */
    public int column(int node) { return chipOf(node) % chipColumns * width + node % nodesPerChip() % width; }

    /** Row of {@code node} in the whole system's grid. */
    public int row(int node) { return chipOf(node) / chipColumns * height + node % nodesPerChip() / width; }
}
