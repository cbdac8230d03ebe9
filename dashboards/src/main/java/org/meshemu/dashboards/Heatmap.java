package org.meshemu.dashboards;

import java.util.ArrayList;
import java.util.List;

/**
 * One layer of the mesh as the live page draws it: a panel per chip, each a grid of cells. A chip
 * wider or taller than {@link #MAX_CELLS_PER_SIDE} nodes is downsampled: a cell covers block x block
 * nodes and shows their maximum, so hot spots stay visible on a 762 x 1172 wafer.
 *
 * @param layer    the layer's key
 * @param title    what the values are
 * @param fraction true: values are busy fractions in [0, 1]; false: bytes, to draw relative to {@code max}
 * @param max      the largest value of any cell
 * @param panels   one per chip
 */
public record Heatmap(String layer, String title, boolean fraction, double max, List<Panel> panels) {
    static final int MAX_CELLS_PER_SIDE = 128;

    /**
     * @param chip    the chip's index
     * @param column  the chip's column in the chip grid
     * @param row     the chip's row in the chip grid
     * @param columns cells per row
     * @param rows    cells per column
     * @param block   nodes per cell side (1: one cell per node)
     * @param values  row-major, -1 where no node of the block has a component of the layer's kind
     */
    public record Panel(int chip, int column, int row, int columns, int rows, int block, float[] values) {}

    /** The layer's panels from its value at every node ({@link LiveRun#values}; NaN: no component there). */
    public static Heatmap of(MeshGeometry g, Layer layer, double[] v) {
        int block = Math.max(1, (Math.max(g.width(), g.height()) + MAX_CELLS_PER_SIDE - 1) / MAX_CELLS_PER_SIDE);
        int columns = (g.width() + block - 1) / block, rows = (g.height() + block - 1) / block;
        List<Panel> panels = new ArrayList<>();
        double max = 0;
        for (int chip = 0; chip < g.chips(); chip++) {
            float[] cells = new float[columns * rows];
            java.util.Arrays.fill(cells, -1);
            for (int local = 0; local < g.nodesPerChip(); local++) {
                double x = v[chip * g.nodesPerChip() + local];
                if (Double.isNaN(x)) continue;
                int cell = local / g.width() / block * columns + local % g.width() / block;
                cells[cell] = (float) Math.max(cells[cell], x);
                max = Math.max(max, x);
            }
            panels.add(new Panel(chip, chip % g.chipColumns(), chip / g.chipColumns(), columns, rows, block, cells));
        }
        return new Heatmap(layer.key, layer.title, layer.fraction, max, panels);
    }
}
