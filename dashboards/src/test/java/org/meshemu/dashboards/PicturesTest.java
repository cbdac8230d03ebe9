package org.meshemu.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class PicturesTest {
    @Test
    void chipsAreDrawnAsTheirGridWithOneSquareBlockPerNode() {
        // 5 chips of 3 x 2 nodes, 2 chips per row: 3 rows of chips, 6 x 6 nodes
        MeshGeometry g = new MeshGeometry(5, 2, 3, 2);
        double[] values = new double[g.nodes()];
        for (int n = 0; n < values.length; n++) values[n] = n / (values.length - 1.0);
        BufferedImage image = Pictures.draw(g, values, true);
        int px = Pictures.blockPixels(g);
        assertEquals(6 * px, image.getWidth());
        assertEquals(6 * px, image.getHeight());
        for (int n = 0; n < values.length; n++) {
            int rgb = Pictures.colour(values[n]).getRGB();
            int x0 = g.column(n) * px, y0 = g.row(n) * px;
            assertEquals(rgb, image.getRGB(x0, y0), "node " + n + " top left");
            assertEquals(rgb, image.getRGB(x0 + px - 1, y0 + px - 1), "node " + n + " bottom right");
        }
        // the sixth chip's place in the grid is empty
        assertEquals(0x404040, image.getRGB(3 * px, 4 * px) & 0xFFFFFF);
    }

    @Test
    void nodeNumbersFollowChipThenRowMajorOrder() {
        MeshGeometry g = new MeshGeometry(5, 2, 3, 2);
        assertEquals(0, g.column(0));
        assertEquals(2, g.column(2));
        assertEquals(1, g.row(3));               // chip 0, second row
        assertEquals(3, g.column(6));            // chip 1 starts right of chip 0
        assertEquals(0, g.row(6));
        assertEquals(0, g.column(12));           // chip 2 starts the second chip row
        assertEquals(2, g.row(12));
        assertEquals(2, g.column(29));           // the last node of chip 4 (third chip row, left): x 2, y 1
        assertEquals(5, g.row(29));
    }

    @Test
    void bytesAreDrawnRelativeToTheBusiestNode() {
        MeshGeometry g = new MeshGeometry(1, 1, 2, 1);
        BufferedImage image = Pictures.draw(g, new double[] {50, 100}, false);
        int px = Pictures.blockPixels(g);
        assertEquals(Pictures.colour(0.5).getRGB(), image.getRGB(0, 0));
        assertEquals(Pictures.colour(1).getRGB(), image.getRGB(px, 0));
        assertNotEquals(image.getRGB(0, 0), image.getRGB(px, 0));
    }

    @Test
    void blocksShrinkToOnePixelOnAWafer() {
        assertEquals(1, Pictures.blockPixels(new MeshGeometry(1, 1, 762, 1172)));
        assertEquals(16, Pictures.blockPixels(new MeshGeometry(1, 1, 8, 8)));
    }
}
