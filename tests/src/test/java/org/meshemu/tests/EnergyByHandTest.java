package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshemu.report.Energy;
import org.meshemu.report.EnergySpec;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.LoadedScenario;

/**
 * A run's {@code energy} section is the energy model (docs/REPORT.md, {@code report/Energy}) applied
 * by hand to what the tree GEMV must do: its flops, vector elements, bytes over each link and DRAM
 * bytes counted from the workload's structure (not from the components' counters), each times the
 * scenario's per-operation energy, plus static power over the simulated time. With either router
 * model: the vc router's links are no components, it reports their bytes itself.
 */
class EnergyByHandTest {
    @TempDir Path out;

    @ParameterizedTest
    @ValueSource(strings = {"ideal", "vc"})
    void treeGemvEnergyIsTheModelAppliedByHand(String router) {
        int width = 6, height = 2, rows = 96, cols = 384;
        LoadedScenario s = Scenarios.shipped("gemv-tree-16x16", "hardware.noc.width=" + width, "hardware.noc.height=" + height,
                "workload.rows=" + rows, "workload.cols=" + cols, "hardware.dram.banksPerCore=2",
                // other figures than the defaults, so a figure the model ignored or swapped would show
                "hardware.energy.pjPerFlop.fp32=1.3", "hardware.energy.pjPerVectorElement=0.7", "hardware.energy.pjPerBitHop=0.25",
                "hardware.energy.pjPerBitDramRead=2.1", "hardware.energy.pjPerBitDramWrite=3.3", "hardware.energy.staticMilliwattsPerCore=11",
                "hardware.energy.coreAreaMm2=0.4", "hardware.noc.router=" + router);
        RunReport r = Scenarios.run(s, out);
        EnergySpec e = s.scenario().hardware().get(EnergySpec.class);
        long t = r.simulatedTimePs();
        long rb = rows / height, cb = cols / width;

        // one mesh row, column by column: the tree of TreeGemv (column j + s sends its partial of rb floats s hops to j)
        double[] node = new double[width];   // pJ of each column's node: core, banks, outgoing links, static power
        double corePj = 0, linkPj = 0, dramPj = 0;
        for (int j = 0; j < width; j++) {
            double flops = 2.0 * rb * cb * e.pjPerFlop().get("fp32");
            double read = 4.0 * (rb * cb + cb) * 8 * e.pjPerBitDramRead();
            double written = j == 0 ? 4.0 * rb * 8 * e.pjPerBitDramWrite() : 0;   // column 0 stores y's slice
            corePj += flops;
            dramPj += read + written;
            node[j] += flops + read + written + e.staticMilliwattsPerCore() * 1e-3 * t;
        }
        for (int s2 = 1; s2 < width; s2 *= 2) {
            for (int j = 0; j + s2 < width; j += 2 * s2) {
                double add = rb * e.pjPerVectorElement();            // the receiver adds rb elements
                corePj += add;
                node[j] += add;
                for (int k = j + s2; k > j; k--) {                   // link k -> k - 1 belongs to node k
                    double hop = 4.0 * rb * 8 * e.pjPerBitHop();
                    linkPj += hop;
                    node[k] += hop;
                }
            }
        }
        corePj *= height;
        linkPj *= height;
        dramPj *= height;
        double staticPj = e.staticMilliwattsPerCore() * 1e-3 * width * height * t;
        double total = corePj + linkPj + dramPj + staticPj;
        double peak = java.util.Arrays.stream(node).max().orElseThrow();

        Energy got = r.energy();
        assertEquals(corePj, got.corePj(), 1e-9 * corePj, "core");
        assertEquals(linkPj, got.linkPj(), 1e-9 * linkPj, "links");
        assertEquals(dramPj, got.dramPj(), 1e-9 * dramPj, "dram");
        assertEquals(staticPj, got.staticPj(), 1e-9 * staticPj, "static");
        assertEquals(total, got.totalPj(), 1e-9 * total, "total");
        assertEquals(total / t, got.averageWatts(), 1e-9 * total / t, "W");
        assertEquals(peak / t / e.coreAreaMm2(), got.peakWattsPerMm2(), 1e-9 * peak / t, "W/mm^2");
        // the report's traffic agrees with the same counts
        assertEquals(Math.round(linkPj / 8 / e.pjPerBitHop()), r.traffic().nocLinkBytes());
    }
}
