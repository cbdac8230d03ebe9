package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `meshemu run` with no scenario runs the embedded default and writes the promised files. */
class CommandLineTest {
    @TempDir Path out;

    @Test
    void runWithoutAScenarioRunsTheEmbeddedDefaultAndWritesReportAndNpy() throws Exception {
        BadInputTest.Result r = BadInputTest.cli("run", "--out", out.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("running default"), r.out());
        // the phases before the first progress line each say what they took (seconds at wafer scale)
        Matcher phases = Pattern.compile(
                "  \\.\\.\\. assembled ([\\d,]+) components in [\\d.]+ s\\n(?:.*\\n)*?  \\.\\.\\. started ([\\d,]+) components in [\\d.]+ s\\n")
                .matcher(r.err());
        assertTrue(phases.find(), r.err());
        assertEquals(phases.group(1), phases.group(2), "the components assembled are the components started");
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        for (String field : List.of("scenario", "scenarioSha256", "simulatedTimePs", "events", "windows", "wallSeconds",
                "eventsPerSecond", "outputDigest", "reference", "utilisation")) {
            assertTrue(report.has(field), "report.json lacks " + field);
        }
        assertEquals("default", report.get("scenario").asText());
        for (String kind : List.of("core", "link", "bank")) {
            JsonNode u = report.get("utilisation").get(kind);
            assertTrue(u.get("mean").asDouble() > 0 && u.get("max").asDouble() <= 1, kind + ": " + u);
        }
        assertTrue(report.get("reference").get("maxRelError").asDouble() <= 1e-5);

        // C.npy holds 256 x 256 float32 whose raw bytes hash to the report's digest.
        byte[] npy = Files.readAllBytes(out.resolve("C.npy"));
        int headerLength = ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<f4'") && header.contains("'shape': (256, 256)"), header);
        assertEquals(0, (10 + headerLength) % 64, "data is 64-byte aligned");
        byte[] data = java.util.Arrays.copyOfRange(npy, 10 + headerLength, npy.length);
        assertEquals(256 * 256 * 4, data.length);
        assertEquals(report.get("outputDigest").asText(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));

        // banks.csv: a header and one row per bank (64 cores, one bank each) whose reads add up to the report's
        List<String> banks = Files.readAllLines(out.resolve("banks.csv"));
        assertEquals(65, banks.size());
        assertTrue(banks.get(0).startsWith("bank,busyPs,bytesRead,bytesWritten"), banks.get(0));
        assertTrue(banks.get(1).startsWith("\"bank0@core(0,0)\","), "labels are quoted: " + banks.get(1));
        long read = banks.stream().skip(1).mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf('"') + 2).split(",")[1])).sum();
        assertEquals(report.get("traffic").get("dramBytesRead").asLong(), read);
    }

    @Test
    void theHelpAndAMistypedCommandListEverySubcommandAndRunsHelpIsItsOwn() {
        BadInputTest.Result help = BadInputTest.cli("--help");
        assertEquals(0, help.code(), help.err());
        for (String command : List.of("run", "resume", "sweep", "validate", "reference", "make-checkpoint", "node")) {
            assertTrue(help.out().contains("\n  " + command + " "), "the help lists " + command + ": " + help.out());
        }
        BadInputTest.Result typo = BadInputTest.cli("rnu");
        assertEquals(2, typo.code());
        assertTrue(typo.err().startsWith("Unmatched argument at index 0: 'rnu'") && typo.err().contains("\n  run "), typo.err());
        // a named subcommand is built alone (Main.subcommandsFor): its help is its own
        BadInputTest.Result runHelp = BadInputTest.cli("run", "--help");
        assertEquals(0, runHelp.code(), runHelp.err());
        assertTrue(runHelp.out().startsWith("Usage: meshemu run ") && runHelp.out().contains("--partitions"), runHelp.out());
    }

    @Test
    void setOverridesChangeTheScenarioAndItsHash() throws IOException {
        BadInputTest.Result a = BadInputTest.cli("run", "--out", out.resolve("a").toString(), "--set", "workload.m=128");
        BadInputTest.Result b = BadInputTest.cli("run", "--out", out.resolve("b").toString());
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        JsonNode ra = new ObjectMapper().readTree(out.resolve("a/report.json").toFile());
        JsonNode rb = new ObjectMapper().readTree(out.resolve("b/report.json").toFile());
        assertTrue(!ra.get("scenarioSha256").equals(rb.get("scenarioSha256")));
        assertTrue(ra.get("simulatedTimePs").asLong() < rb.get("simulatedTimePs").asLong(), "half the rows take less time");
    }
}
