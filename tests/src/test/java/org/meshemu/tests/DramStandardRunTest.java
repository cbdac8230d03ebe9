package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshemu.report.RunReport;

/**
 * Runs whose banks are a DRAM standard: the row-buffer counts and bank time of a GEMV against a
 * hand computation, and the same results on any threads and partitions with either scheduler.
 */
class DramStandardRunTest {
    @TempDir Path out;

    /** A 256 x 256 tree GEMV on 2 x 2 cores, one hbm3-channel bank per core. */
    private static final String[] GEMV_ON_HBM3 = {"hardware.noc.width=2", "hardware.noc.height=2", "workload.rows=256",
            "workload.cols=256", "hardware.dram.preset=hbm3-channel"};

    /**
     * Each core reads its W block (128 x 128 fp32 = 64 KiB at address 0), then its x block (128 fp32
     * = 512 B right after), and the cores of mesh column 0 store their y block (512 B after x). In
     * 32 B bursts under row-bank-column-bankgroup (bank group: burst bits 0-1, column: 2-6, bank:
     * 7-8, row: 9 up), W is bursts 0-2047: rows 0-3 of all 16 banks, 32 bursts each: 64 ACTs, of
     * which the first per bank finds it closed (16 misses) and the other 48 find the row before
     * open (48 conflicts); 2048 - 64 = 1984 hits. x is bursts 2048-2063: row 4 of bank 0 in each
     * group, 4 bursts each, where row 3 is open: 4 conflicts, 12 hits. y is bursts 2064-2079, the
     * same four rows, open: 16 hits. The data bus carries each burst for 2 tCK = 1,250 ps. The run
     * ends before the first refresh (nREFI = 3.9 us), which would close the rows.
     */
    @ParameterizedTest
    @ValueSource(strings = {"frfcfs", "fcfs"})
    void gemvOnHbm3RowHitsMissesAndBankTimeMatchAHandComputation(String scheduler) throws IOException {
        RunReport r = Scenarios.run("gemv-tree-16x16", out, Scenarios.concat(GEMV_ON_HBM3, "hardware.dram.scheduler=" + scheduler));
        assertTrue(r.reference().maxRelError() <= 1e-5);
        assertTrue(r.simulatedTimePs() < 3_900_000, "no refresh during the run: " + r.simulatedTimePs());
        List<Map<String, String>> banks = banksCsv(out.resolve("banks.csv"));
        assertEquals(4, banks.size());
        for (Map<String, String> b : banks) {
            boolean storesY = b.get("bank").contains("core(0,");
            long bursts = 2048 + 16 + (storesY ? 16 : 0);
            String what = scheduler + " " + b.get("bank");
            assertEquals(16, Long.parseLong(b.get("rowMisses")), what);
            assertEquals(48 + 4, Long.parseLong(b.get("rowConflicts")), what);
            assertEquals(bursts - 16 - 52, Long.parseLong(b.get("rowHits")), what);
            assertEquals(64 + 4, Long.parseLong(b.get("activates")), what);
            assertEquals(bursts * 1250, Long.parseLong(b.get("busyPs")), what);
            assertEquals(64 * 1024 + 512, Long.parseLong(b.get("bytesRead")), what);
        }
    }

    /** Bank answers (and the wake-ups of the reordering scheduler) are the same on any partitioning. */
    @ParameterizedTest
    @ValueSource(strings = {"frfcfs", "fcfs"})
    void sameResultsOnAnyThreadsAndPartitions(String scheduler) throws IOException {
        String[] scenario = {"hardware.dram.preset=stacked-3d-bank", "hardware.dram.banksPerCore=2", "hardware.dram.scheduler=" + scheduler};
        RunReport base = Scenarios.run("retnet-tiny-mesh", out.resolve("base"), Scenarios.concat(scenario, "run.threads=1", "run.partitions=1"));
        String baseBanks = Files.readString(out.resolve("base").resolve("banks.csv"));
        String[][] variants = {{"run.threads=2", "run.partitions=1"}, {"run.threads=2", "run.partitions=2"},
                {"run.threads=1", "run.partitions=4"}};
        for (String[] v : variants) {
            Path dir = out.resolve(String.join("-", v));
            RunReport r = Scenarios.run("retnet-tiny-mesh", dir, Scenarios.concat(scenario, v));
            String what = scheduler + " with " + String.join(", ", v);
            assertEquals(base.simulatedTimePs(), r.simulatedTimePs(), what);
            assertEquals(base.events(), r.events(), what);
            assertEquals(base.outputDigest(), r.outputDigest(), what);
            assertEquals(baseBanks, Files.readString(dir.resolve("banks.csv")), what);
        }
    }

    /** A bank's queued requests and pending wake are part of a checkpoint: the resumed run ends as the whole one. */
    @org.junit.jupiter.api.Test
    void aRunWithDramStandardBanksResumesFromACheckpointAsItWouldHaveEnded() throws IOException {
        String file = Scenarios.file("retnet-tiny-mesh").toString();
        String[] dram = {"--set", "hardware.dram.preset=stacked-3d-bank", "--set", "hardware.dram.banksPerCore=2"};
        Path whole = out.resolve("whole"), checkpointed = out.resolve("checkpointed");
        BadInputTest.Result r = CheckpointResumeTest.cli(Scenarios.concat(new String[] {"run", file, "--out", whole.toString()}, dram));
        assertEquals(0, r.code(), r.err());
        r = CheckpointResumeTest.cli(Scenarios.concat(new String[] {"run", file, "--out", checkpointed.toString(),
                "--checkpoint-every", "300", "--partitions", "2", "--threads", "2"}, dram));
        assertEquals(0, r.code(), r.err());
        assertTrue(CheckpointResumeTest.checkpoints(checkpointed).size() == 2, r.err());
        Files.delete(checkpointed.resolve("report.json"));
        r = CheckpointResumeTest.cli("resume", checkpointed.toString(), "--partitions", "1", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        CheckpointResumeTest.assertSameResults(RunDirectoryTest.json(whole.resolve("report.json")),
                RunDirectoryTest.json(checkpointed.resolve("report.json")));
        assertEquals(Files.readString(whole.resolve("banks.csv")), Files.readString(checkpointed.resolve("banks.csv")));
    }

    private static List<Map<String, String>> banksCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",");
        return lines.subList(1, lines.size()).stream().map(line -> {
            // the bank label is quoted and holds a comma: "bank0@core(0,1)"
            int end = line.indexOf('"', 1);
            String[] rest = line.substring(end + 2).split(",");
            Map<String, String> row = new HashMap<>();
            row.put(header[0], line.substring(1, end));
            for (int i = 1; i < header.length; i++) row.put(header[i], rest[i - 1]);
            return row;
        }).toList();
    }
}
