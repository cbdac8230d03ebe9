package org.meshemu.dashboards;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * PNG heatmaps of a finished run, drawn with Java2D: one square block of pixels per mesh node, chips
 * placed as their grid, no margin (so an image is exactly columns x rows blocks). Colour: the
 * {@link #colour} ramp over busy fraction [0, 1], or over bytes relative to the busiest node; grey
 * where a node has no component of the layer's kind.
 */
public final class Pictures {
    /** Images aim at this many pixels on their long side; blocks are 1 to 16 pixels. */
    static final int TARGET_PIXELS = 1024, MAX_BLOCK = 16;
    private static final Color NONE = new Color(0x40, 0x40, 0x40);
    private static final int RGB = 0xFFFFFF; // an RGB image reads its pixels' top byte as nothing
    // from dark (idle) to bright (busy): black, indigo, red, orange, pale yellow
    private static final float[][] RAMP = {{0, 0, 0.02f}, {0.25f, 0.04f, 0.45f}, {0.75f, 0.15f, 0.35f}, {0.98f, 0.55f, 0.1f}, {0.99f, 1f, 0.65f}};

    private Pictures() {}

    /** Pixels per node side for a system of {@code columns x rows} nodes. */
    public static int blockPixels(MeshGeometry g) {
        return Math.max(1, Math.min(MAX_BLOCK, TARGET_PIXELS / Math.max(g.columns(), g.rows())));
    }

    /** Writes {@code <layer>.png} for every layer the system has; returns the files. */
    public static List<Path> write(LiveRun run, Path dir) {
        List<Path> files = new ArrayList<>();
        for (Layer layer : run.layers()) {
            Path file = dir.resolve(layer.key + ".png");
            try {
                ImageIO.write(draw(run.geometry, run.values(layer), layer.fraction), "png", file.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            files.add(file);
        }
        return files;
    }

    /**
     * The image of {@code values}, one per node: its pixels written as an array (a fill call per node
     * through Java2D took a tenth of a second for a 256 x 256 mesh).
     */
    static BufferedImage draw(MeshGeometry g, double[] values, boolean fraction) {
        int px = blockPixels(g);
        double max = 0;
        for (double v : values) if (!Double.isNaN(v)) max = Math.max(max, v);
        BufferedImage image = new BufferedImage(g.columns() * px, g.rows() * px, BufferedImage.TYPE_INT_RGB);
        int width = image.getWidth();
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        Arrays.fill(pixels, NONE.getRGB() & RGB);
        for (int node = 0; node < values.length; node++) {
            double v = values[node];
            if (Double.isNaN(v)) continue;
            int rgb = colour(fraction ? v : max == 0 ? 0 : v / max).getRGB() & RGB;
            int first = g.row(node) * px * width + g.column(node) * px;
            for (int y = 0; y < px; y++) Arrays.fill(pixels, first + y * width, first + y * width + px, rgb);
        }
        return image;
    }

    /** The ramp at {@code x} in [0, 1] (the live page's live.js draws with the same stops). */
    static Color colour(double x) {
        double t = Math.max(0, Math.min(1, x)) * (RAMP.length - 1);
        int i = Math.min(RAMP.length - 2, (int) t);
        float f = (float) (t - i);
        float[] a = RAMP[i], b = RAMP[i + 1];
        return new Color(a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2]));
    }
}
