package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every run ends with PNG heatmaps of the mesh in its directory: one uniform square block per node. */
class HeatmapPicturesTest {
    @TempDir Path out;

    @Test
    void aSingleChipRunDrawsEightByEightBlocks() throws Exception {
        Scenarios.run("default", out, "run.threads=2");
        for (String layer : List.of("core-utilisation", "link-utilisation", "bank-traffic")) {
            Set<Integer> colours = checkBlocks(out.resolve(layer + ".png"), 8, 8);
            assertFalse(colours.isEmpty(), layer);
        }
    }

    @Test
    void chipsAreDrawnAsTheirChipGrid() throws Exception {
        // 4 chips of 2 x 2 cores in a 2 x 2 chip grid: 4 x 4 nodes
        Scenarios.run("retnet-tiny-cluster", out, "run.threads=2");
        Set<Integer> colours = checkBlocks(out.resolve("core-utilisation.png"), 4, 4);
        assertTrue(colours.size() > 1, "the lead core works more than the others: " + colours);
    }

    @Test
    void aTrafficRunHasNoCoresAndNoBanksToDraw() throws Exception {
        Scenarios.run("noc-uniform-8x8", out, "workload.measureCycles=200", "run.threads=2");
        checkBlocks(out.resolve("link-utilisation.png"), 8, 8);
        assertFalse(Files.exists(out.resolve("core-utilisation.png")));
        assertFalse(Files.exists(out.resolve("bank-traffic.png")));
    }

    /** The image is columns x rows square blocks, each of one colour; returns the blocks' colours. */
    private static Set<Integer> checkBlocks(Path png, int columns, int rows) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        int block = image.getWidth() / columns;
        assertTrue(block >= 1);
        assertEquals(columns * block, image.getWidth(), png.toString());
        assertEquals(rows * block, image.getHeight(), png.toString());
        Set<Integer> colours = new HashSet<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                int rgb = image.getRGB(c * block, r * block);
                for (int y = 0; y < block; y++) {
                    for (int x = 0; x < block; x++) {
                        assertEquals(rgb, image.getRGB(c * block + x, r * block + y), png + ": block (" + c + "," + r + ") is not uniform");
                    }
                }
                assertNotEquals(0x404040, rgb & 0xFFFFFF, png + ": node (" + c + "," + r + ") drawn as empty");
                colours.add(rgb);
            }
        }
        return colours;
    }
}
