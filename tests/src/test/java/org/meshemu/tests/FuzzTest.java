package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.deploy.HeapEstimate;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.ScenarioLoader;
import org.meshemu.tensor.DType;
import org.meshemu.workloads.checkpoint.SafetensorsReader;
import org.meshemu.workloads.checkpoint.SafetensorsWriter;

/**
 * A seeded mutation fuzzer over what reads user input: scenario YAML text, {@code --set}
 * overrides and the safetensors parser. The only outcomes allowed are a valid load or our
 * {@link InputException}; anything else is reported with the seed and input that reproduce it.
 * The default suite tries {@value #DEFAULT_INPUTS} inputs per target; {@code mvn verify -Pfuzz}
 * sets {@code meshemu.fuzz.inputs} (and {@code meshemu.fuzz.seed}) for longer campaigns.
 */
class FuzzTest {
    static final int DEFAULT_INPUTS = 4_000;
    static final int INPUTS = Integer.getInteger("meshemu.fuzz.inputs", DEFAULT_INPUTS);
    static final long SEED = Long.getLong("meshemu.fuzz.seed", 20261130L);
    /** No input may take longer to load or be refused (a hang is a failure too). */
    static final Duration BOUND_PER_INPUT = Duration.ofSeconds(10);

    /** Values that break parsers and validators: bounds, non-numbers, YAML's special forms. */
    static final List<String> INTERESTING = List.of("0", "-1", "1", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
            "99999999999999999999", "1e400", "-0.0", "0.5", "1e-300", ".nan", ".inf", "-.inf", "null", "~", "''", "\"\"", "[]", "{}",
            "[1, 2]", "{a: 1}", "yes", "0x10", "1_000", "!!float 1", "!!binary AAAA", "&x 1", "*x", "<<: *x", "---", "...", "'a b'",
            "\"\\u0000\"", "é", "\t", "\n", ":", "- ", "[", "{", "]", "}", ",", "#", "%YAML 1.2", "?", "|", ">", "!", "@", "`",
            "mesh2d", "torus2d", "all-to-all", "gemm", "gemv", "generate", "synthetic-traffic", "timing", "full", "retnet", "bitnet",
            "phimoe", "hbm3-channel", "stacked-3d-bank", "wse2-like", "1000000", "65536", "3", "4096", "0.001");

    @TempDir Path tmp;

    record Failure(String target, long seed, int input, String what, Throwable error) {
        @Override public String toString() {
            return target + " seed " + seed + " input " + input + ": " + error + "\n  input: " + what.replace("\n", "\\n");
        }
    }

    private final List<Failure> failures = new ArrayList<>();

    /**
     * Runs {@code one} for every input index; each input has its own random stream, so one index
     * reproduces alone. Each runs on a daemon thread with a time bound, so a hang is reported and
     * abandoned rather than holding the suite.
     */
    private void campaign(String target, IntFunction<Attempt> inputs) throws InterruptedException {
        ExecutorService worker = daemonWorker();
        for (int i = 0; i < INPUTS && failures.size() < 20; i++) {
            int input = i;
            Attempt attempt = inputs.apply(i);
            Future<?> done = worker.submit(() -> {
                try {
                    attempt.load().run();
                } catch (InputException expected) {
                    // our validation error: allowed
                } catch (Throwable t) {
                    synchronized (failures) {
                        failures.add(new Failure(target, SEED, input, attempt.input(), t));
                    }
                }
            });
            try {
                done.get(BOUND_PER_INPUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            } catch (TimeoutException e) {
                failures.add(new Failure(target, SEED, input, attempt.input(), new TimeoutException("no outcome within " + BOUND_PER_INPUT)));
                done.cancel(true);
                worker.shutdownNow();
                worker = daemonWorker();
            }
        }
        worker.shutdownNow();
        assertTrue(failures.isEmpty(), () -> failures.size() + " inputs broke the contract:\n" + String.join("\n", failures.stream().map(Failure::toString).toList()));
    }

    private static ExecutorService daemonWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz");
            t.setDaemon(true);
            return t;
        });
    }

    private static SplittableRandom random(String target, int input) {
        return new SplittableRandom(SEED * 31 + target.hashCode() * 1_000_003L + input);
    }

    /** One input: what it is (for the report) and the load to try. */
    record Attempt(String input, Runnable load) {}

    // ---- scenarios ----

    static final List<String> SHIPPED = List.of("default", "gemm-cannon-8x8", "gemv-tree-16x16", "noc-uniform-8x8", "retnet-tiny-mesh",
            "bitnet-tiny-mesh", "phimoe-tiny-mesh", "phi3-tiny-mesh", "retnet-tiny-cluster", "gnn-gcn-tiny");

    static String shippedText(String name) {
        try {
            return Files.readString(Scenarios.file(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads like the command line: parse, then the heap estimate that comes before any planning. */
    static void load(String yaml, List<String> overrides) {
        LoadedScenario loaded = ScenarioLoader.parse("fuzz.yaml", yaml, overrides);
        HeapEstimate.of(loaded).bytes();
    }

    @Test
    void mutatedScenarioTextLoadsOrIsRefused() throws InterruptedException {
        List<String> bases = SHIPPED.stream().map(FuzzTest::shippedText).toList();
        campaign("yaml", i -> {
            SplittableRandom r = random("yaml", i);
            String yaml = bases.get(r.nextInt(bases.size()));
            int mutations = 1 + r.nextInt(4);
            for (int m = 0; m < mutations; m++) yaml = mutate(yaml, r);
            String input = yaml;
            return new Attempt(input, () -> load(input, List.of()));
        });
    }

    static String mutate(String text, SplittableRandom r) {
        if (text.isEmpty()) return INTERESTING.get(r.nextInt(INTERESTING.size()));
        int at = r.nextInt(text.length() + 1);
        int len = Math.min(text.length() - Math.min(at, text.length()), 1 + r.nextInt(12));
        return switch (r.nextInt(6)) {
            case 0 -> text.substring(0, at) + text.substring(Math.min(text.length(), at + len));                       // delete
            case 1 -> text.substring(0, at) + INTERESTING.get(r.nextInt(INTERESTING.size())) + text.substring(at);     // insert
            case 2 -> text.substring(0, at) + INTERESTING.get(r.nextInt(INTERESTING.size()))
                    + text.substring(Math.min(text.length(), at + len));                                                 // replace
            case 3 -> text.substring(0, at) + text.substring(at, Math.min(text.length(), at + len)) + text.substring(at); // duplicate
            case 4 -> replaceNumber(text, r);
            default -> {                                                                                                // flip a character
                char[] c = text.toCharArray();
                if (at < c.length) c[at] = (char) (c[at] ^ (1 << r.nextInt(7)));
                yield new String(c);
            }
        };
    }

    private static String replaceNumber(String text, SplittableRandom r) {
        var numbers = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?").matcher(text);
        List<int[]> spans = new ArrayList<>();
        while (numbers.find()) spans.add(new int[] {numbers.start(), numbers.end()});
        if (spans.isEmpty()) return text;
        int[] s = spans.get(r.nextInt(spans.size()));
        return text.substring(0, s[0]) + INTERESTING.get(r.nextInt(Math.min(14, INTERESTING.size()))) + text.substring(s[1]);
    }

    @Test
    void randomOverridesLoadOrAreRefused() throws InterruptedException {
        Map<String, List<String>> pathsByScenario = new LinkedHashMap<>();
        for (String s : SHIPPED) pathsByScenario.put(s, leafPaths(Scenarios.shipped(s).tree(), ""));
        List<String> names = List.copyOf(pathsByScenario.keySet());
        campaign("set", i -> {
            SplittableRandom r = random("set", i);
            String name = names.get(r.nextInt(names.size()));
            List<String> paths = pathsByScenario.get(name);
            List<String> overrides = new ArrayList<>();
            int n = 1 + r.nextInt(3);
            for (int k = 0; k < n; k++) {
                String path = r.nextInt(10) == 0 ? mutate(paths.get(r.nextInt(paths.size())), r) : paths.get(r.nextInt(paths.size()));
                String value = r.nextInt(4) == 0 ? String.valueOf(r.nextInt(-100, 100_000)) : INTERESTING.get(r.nextInt(INTERESTING.size()));
                overrides.add(path + "=" + value);
            }
            String text = shippedText(name);
            return new Attempt(name + " " + overrides, () -> load(text, overrides));
        });
    }

    static List<String> leafPaths(JsonNode node, String prefix) {
        List<String> out = new ArrayList<>();
        if (node.isObject() && !node.isEmpty()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                out.addAll(leafPaths(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey()));
            }
        } else {
            out.add(prefix);
        }
        return out;
    }

    // ---- safetensors ----

    @Test
    void mutatedSafetensorsParseOrAreRefused() throws IOException, InterruptedException {
        Path base = tmp.resolve("base.safetensors");
        new SafetensorsWriter()
                .putFloats("a", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}, DType.FP32)
                .putFloats("b", new int[] {4}, new float[] {1, -1, 0.5f, 2}, DType.BF16)
                .putFloats("c", new int[] {1, 2}, new float[] {3, 4}, DType.FP32)
                .putBytes("d", new int[] {2, 2}, new byte[] {1, 2, 3, 4}, DType.UINT8)
                .metadata("format", "pt")
                .write(base);
        byte[] valid = Files.readAllBytes(base);
        Path file = tmp.resolve("model.safetensors");
        campaign("safetensors", i -> {
            SplittableRandom r = random("safetensors", i);
            byte[] bytes = mutateSafetensors(valid, r);
            return new Attempt(java.util.HexFormat.of().formatHex(bytes), () -> {
                try {
                    Files.write(file, bytes);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                    for (String name : reader.names()) {
                        reader.info(name);
                        reader.read(name);
                    }
                }
            });
        });
    }

    static byte[] mutateSafetensors(byte[] valid, SplittableRandom r) {
        int headerLength = (int) ByteBuffer.wrap(valid, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return switch (r.nextInt(5)) {
            case 0 -> { // flip bits anywhere
                byte[] b = valid.clone();
                for (int k = 1 + r.nextInt(4); k > 0; k--) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                yield b;
            }
            case 1 -> java.util.Arrays.copyOf(valid, r.nextInt(valid.length)); // truncate
            case 2 -> { // another length field
                byte[] b = valid.clone();
                long[] lengths = {0, 1, 2, headerLength - 1, headerLength + 1, valid.length, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32,
                        r.nextLong()};
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, lengths[r.nextInt(lengths.length)]);
                yield b;
            }
            case 3 -> { // mutate the header's text, keep the length field true
                String header = new String(valid, 8, headerLength, StandardCharsets.UTF_8);
                for (int k = 1 + r.nextInt(3); k > 0; k--) header = mutate(header, r);
                yield withHeader(header, java.util.Arrays.copyOfRange(valid, 8 + headerLength, valid.length));
            }
            default -> { // a structural change to one tensor's entry
                try {
                    var json = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(new String(valid, 8, headerLength, StandardCharsets.UTF_8));
                    String tensor = List.of("a", "b", "c", "d").get(r.nextInt(4));
                    var entry = (com.fasterxml.jackson.databind.node.ObjectNode) json.get(tensor);
                    String field = List.of("dtype", "shape", "data_offsets").get(r.nextInt(3));
                    String value = INTERESTING.get(r.nextInt(INTERESTING.size()));
                    JsonNode replacement = switch (r.nextInt(3)) {
                        case 0 -> new ObjectMapper().getNodeFactory().textNode(List.of("F32", "F64", "BF16", "F16", "U8", "I64", "BOOL", "", "f32").get(r.nextInt(9)));
                        case 1 -> new ObjectMapper().valueToTree(new long[] {r.nextLong(-3, 10), r.nextLong(-3, 100)});
                        default -> new ObjectMapper().getNodeFactory().textNode(value);
                    };
                    entry.set(field, replacement);
                    yield withHeader(json.toString(), java.util.Arrays.copyOfRange(valid, 8 + headerLength, valid.length));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    static byte[] withHeader(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(h.length).put(h).put(data).array();
    }
}
