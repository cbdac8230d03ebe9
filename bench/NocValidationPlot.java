import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws docs/validation/booksim-noc.csv as one latency-load panel per configuration (BookSim2 in
 * black, meshemu's vc router in red), Java2D only. Usage: java bench/NocValidationPlot.java CSV PNG
 */
public class NocValidationPlot {
    record Point(double rate, double booksim, double meshemu) {}

    public static void main(String[] args) throws Exception {
        Map<String, List<Point>> curves = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.startsWith("#") || line.startsWith("traffic")) continue;
            String[] f = line.split(",", -1);
            String key = f[0] + ", " + f[1] + "-flit packets, " + f[2] + " VCs";
            curves.computeIfAbsent(key, k -> new ArrayList<>()).add(new Point(Double.parseDouble(f[3]),
                    f[4].isEmpty() ? Double.NaN : Double.parseDouble(f[4]), Double.parseDouble(f[5])));
        }
        int cols = 4, rows = (curves.size() + cols - 1) / cols, pw = 360, ph = 280;
        BufferedImage img = new BufferedImage(cols * pw, Math.max(1, rows) * ph, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        int i = 0;
        for (var e : curves.entrySet()) {
            int x0 = (i % cols) * pw + 50, y0 = (i / cols) * ph + 30, w = pw - 70, h = ph - 80;
            double maxRate = 0.55, maxLat = 150;
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(e.getKey(), x0, y0 - 10);
            g.drawRect(x0, y0, w, h);
            for (int t = 0; t <= 5; t++) {
                g.drawString(String.format("%.2f", maxRate * t / 5), x0 + w * t / 5 - 12, y0 + h + 15);
                g.drawString(String.valueOf((int) (maxLat * t / 5)), x0 - 30, y0 + h - h * t / 5 + 4);
            }
            g.drawString("offered flits/node/cycle", x0 + w / 2 - 60, y0 + h + 32);
            for (int series = 0; series < 2; series++) {
                g.setColor(series == 0 ? Color.BLACK : Color.RED);
                g.setStroke(new BasicStroke(series == 0 ? 2f : 1.5f));
                int px = -1, py = -1;
                for (Point p : e.getValue()) {
                    double lat = series == 0 ? p.booksim() : p.meshemu();
                    if (Double.isNaN(lat)) continue;
                    int x = x0 + (int) (w * p.rate() / maxRate), y = y0 + h - (int) (h * Math.min(lat, maxLat) / maxLat);
                    g.fillOval(x - 3, y - 3, 6, 6);
                    if (px >= 0) g.drawLine(px, py, x, y);
                    px = x;
                    py = y;
                }
            }
            g.setColor(Color.BLACK);
            g.drawString("BookSim2", x0 + 8, y0 + 16);
            g.setColor(Color.RED);
            g.drawString("meshemu vc", x0 + 8, y0 + 30);
            i++;
        }
        ImageIO.write(img, "png", Path.of(args[1]).toFile());
    }
}
