package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.report.RunReport;

/**
 * The vc router against BookSim2 (docs/validation/booksim-noc.csv, made by bench/booksim-noc.sh):
 * at a few loads of the validated configurations, a fresh run with a short measurement window
 * gives a latency within 10% of BookSim's, and the committed figures themselves meet the targets
 * (latency within 10% up to 90% of BookSim's saturation rate, saturation rate within 5%).
 */
class BookSimValidationTest {
    @TempDir Path out;

    static final Path CSV = Path.of("..", "docs", "validation", "booksim-noc.csv");

    record Row(String traffic, int flits, int vcs, double flitRate, double booksim, double meshemu) {}

    static List<Row> rows() throws Exception {
        return Files.readAllLines(CSV).stream().filter(l -> !l.startsWith("#") && !l.startsWith("traffic")).map(l -> l.split(",", -1))
                .filter(f -> !f[4].isEmpty())
                .map(f -> new Row(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Double.parseDouble(f[3]),
                        Double.parseDouble(f[4]), Double.parseDouble(f[5])))
                .toList();
    }

    static Row row(String traffic, int flits, int vcs, double flitRate) throws Exception {
        return rows().stream().filter(r -> r.traffic().equals(traffic) && r.flits() == flits && r.vcs() == vcs
                && Math.abs(r.flitRate() - flitRate) < 1e-9).findFirst().orElseThrow(() -> new AssertionError("no row " + traffic + " " + flitRate));
    }

    RunReport.Noc run(Row r) {
        return Scenarios.run("noc-uniform-8x8", out.resolve(r.traffic() + r.flits() + r.vcs() + r.flitRate()),
                "hardware.noc.router=vc", "hardware.noc.vc.count=" + r.vcs(), "workload.pattern=" + r.traffic(),
                "workload.packetBytes=" + 32 * r.flits(), "workload.injectionRate=" + r.flitRate() / r.flits(),
                "workload.warmupCycles=1000", "workload.measureCycles=2000").noc();
    }

    @Test
    void freshRunsAgreeWithBookSimWithinTenPercent() throws Exception {
        for (Row r : List.of(row("uniform", 1, 8, 0.02), row("uniform", 1, 8, 0.3), row("transpose", 4, 2, 0.1))) {
            double ours = run(r).avgPacketLatencyCycles();
            assertEquals(r.booksim(), ours, 0.10 * r.booksim(), r.toString());
        }
    }

    /**
     * The seed study (docs/validation/booksim-noc-seeds.csv): both simulators at a configuration's
     * loads near saturation, each with several independent seeds, where one seed's Bernoulli sample
     * decides the single-seed figures.
     */
    record SeedRow(String traffic, int flits, int vcs, double flitRate, double booksim, boolean booksimStable, double meshemu,
                   boolean meshemuStable) {
        String config() { return traffic + "," + flits + "," + vcs; }
    }

    static List<SeedRow> seedRows() throws Exception {
        return Files.readAllLines(Path.of("..", "docs", "validation", "booksim-noc-seeds.csv")).stream().filter(l -> !l.startsWith("traffic"))
                .map(l -> l.split(",", -1))
                .map(f -> new SeedRow(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Double.parseDouble(f[3]),
                        f[5].isEmpty() ? Double.NaN : Double.parseDouble(f[5]), Boolean.parseBoolean(f[7]), Double.parseDouble(f[9]),
                        Boolean.parseBoolean(f[11])))
                .toList();
    }

    /** Mean over the seeds of the highest load of the study at which a simulator was stable. */
    static double meanSaturation(List<SeedRow> rows, boolean booksim) {
        int seeds = (int) rows.stream().filter(r -> r.flitRate() == rows.get(0).flitRate()).count();
        double sum = 0;
        for (int seed = 0; seed < seeds; seed++) {
            double highest = 0;
            for (int i = seed; i < rows.size(); i += seeds) {
                SeedRow r = rows.get(i);
                if (booksim ? r.booksimStable() : r.meshemuStable()) highest = Math.max(highest, r.flitRate());
            }
            sum += highest;
        }
        return sum / seeds;
    }

    @Test
    void theCommittedCurvesMeetTheTargetBelowNinetyPercentOfSaturation() throws Exception {
        List<Row> all = rows();
        List<SeedRow> seeds = seedRows();
        assertTrue(all.size() >= 8, "one curve per configuration at least: " + all.size());
        for (String line : Files.readAllLines(Path.of("..", "docs", "validation", "booksim-noc-saturation.csv"))) {
            if (line.startsWith("traffic") || line.startsWith("#")) continue;
            String[] f = line.split(",");
            String config = f[0] + "," + f[1] + "," + f[2];
            List<SeedRow> study = seeds.stream().filter(r -> r.config().equals(config)).toList();
            // where the seed study has a configuration, its means over seeds decide near saturation
            double saturation = study.isEmpty() ? Double.parseDouble(f[3]) : meanSaturation(study, true);
            double ours = study.isEmpty() ? Double.parseDouble(f[4]) : meanSaturation(study, false);
            assertEquals(saturation, ours, 0.05 * saturation, "saturation rate: " + line);
            for (Row r : all) {
                if (!r.traffic().equals(f[0]) || r.flits() != Integer.parseInt(f[1]) || r.vcs() != Integer.parseInt(f[2])) continue;
                if (r.flitRate() > 0.9 * saturation) continue;
                List<SeedRow> at = study.stream().filter(s -> s.flitRate() == r.flitRate()).toList();
                double booksim = at.isEmpty() ? r.booksim() : at.stream().mapToDouble(SeedRow::booksim).average().orElseThrow();
                double meshemu = at.isEmpty() ? r.meshemu() : at.stream().mapToDouble(SeedRow::meshemu).average().orElseThrow();
                assertEquals(booksim, meshemu, 0.10 * booksim, r.toString());
            }
        }
    }

    /**
     * Transpose with 4-flit packets and 2 VCs: the 7 sources of row 0 share the link (0,0) -> (0,1),
     * where two input VCs alternate flit by flit and the head behind each tail bids 3 cycles after it
     * (routing, VC allocation), so the link carries 8 flits in 9 cycles, as BookSim's router (0,0)
     * does (docs/validation/README.md). Loaded past that (7 x 0.2 flits a cycle), it is that busy
     * from the start until its backlog, the run's last, has drained.
     */
    @Test
    void theTransposeBottleneckCarriesEightFlitsInNineCyclesAsBookSim() {
        RunReport.Noc noc = run(new Row("transpose", 4, 2, 0.2, 0, 0));
        assertEquals(8.0 / 9, noc.linkUtilisation().get("link(0,0).south"), 0.02);
    }
}
