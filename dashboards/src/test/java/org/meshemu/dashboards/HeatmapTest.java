package org.meshemu.dashboards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HeatmapTest {
    @Test
    void aSmallChipHasOneCellPerNodeAndAPanelPerChip() {
        MeshGeometry g = new MeshGeometry(3, 2, 4, 2);
        double[] values = new double[g.nodes()];
        Arrays.setAll(values, n -> n / 100.0);
        Heatmap h = Heatmap.of(g, Layer.CORE_UTILISATION, values);
        assertEquals(3, h.panels().size());
        Heatmap.Panel third = h.panels().get(2);
        assertEquals(0, third.column());
        assertEquals(1, third.row());
        assertEquals(1, third.block());
        assertEquals(8, third.values().length);
        assertEquals(0.16f, third.values()[0]);
        assertEquals(0.23, h.max(), 1e-12);
    }

    @Test
    void aWideChipIsDownsampledToTheMaximumOfEachBlock() {
        // 300 x 2 nodes: blocks of 3 x 3 nodes, 100 x 1 cells
        MeshGeometry g = new MeshGeometry(1, 1, 300, 2);
        double[] values = new double[g.nodes()];
        Arrays.setAll(values, n -> n);
        values[3] = values[4] = values[5] = values[303] = values[304] = values[305] = Double.NaN; // cell 1: no component
        Heatmap.Panel p = Heatmap.of(g, Layer.BANK_TRAFFIC, values).panels().get(0);
        assertEquals(3, p.block());
        assertEquals(100, p.columns());
        assertEquals(1, p.rows());
        assertEquals(302f, p.values()[0]);   // max of nodes 0-2 and 300-302
        assertEquals(-1f, p.values()[1]);
        assertEquals(599f, p.values()[99]);
    }

    @Test
    void aWaferStaysWithinTheCellBudget() {
        Heatmap.Panel p = Heatmap.of(new MeshGeometry(1, 1, 762, 1172), Layer.CORE_UTILISATION, new double[762 * 1172]).panels().get(0);
        assertArrayEquals(new int[] {10, 77, 118}, new int[] {p.block(), p.columns(), p.rows()});
    }
}
