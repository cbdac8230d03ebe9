package org.meshemu.aicore.bench;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the kernel benchmarks (JMH; its own command-line options narrow or lengthen the run, e.g.
 * {@code GemmBench -p tokens=1}) and prints one JSON line per kernel and shape, every variant's rate
 * beside the plain loop's measured in the same run: GFLOP/s (2 m k T per call) for the GEMM, and for the
 * LUT-GEMM GOP/s (same count) and ternary weights per second (m k per call: the weights one call
 * applies to its T columns), and with {@code -prof gc} the bytes each call allocates. JMH's own progress
 * goes to stderr. Defaults: 3 x 1 s warm-up, 3 x 1 s
 * measurement, 1 fork.
 */
public final class KernelBenchReport {
    private KernelBenchReport() {}

    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cli);
        if (cli.getIncludes().isEmpty()) options.include(KernelBenchReport.class.getPackageName() + ".*Bench");
        if (!cli.getWarmupIterations().hasValue()) options.warmupIterations(3);
        if (!cli.getWarmupTime().hasValue()) options.warmupTime(TimeValue.seconds(1));
        if (!cli.getMeasurementIterations().hasValue()) options.measurementIterations(3);
        if (!cli.getMeasurementTime().hasValue()) options.measurementTime(TimeValue.seconds(1));
        if (!cli.getForkCount().hasValue()) options.forks(1);
        if (!cli.getOutput().hasValue()) options.output("/dev/stderr");
        // shape key -> variant -> {score, error} in calls per second
        Map<String, Map<String, double[]>> byShape = new TreeMap<>();
        for (RunResult r : new Runner(options.build()).run()) {
            String benchmark = r.getParams().getBenchmark();
            int dot = benchmark.lastIndexOf('.');
            String kernel = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
            String key = kernel + " " + r.getParams().getParam("weights") + " " + r.getParams().getParam("tokens");
            var alloc = r.getSecondaryResults().get("gc.alloc.rate.norm"); // with -prof gc
            byShape.computeIfAbsent(key, x -> new TreeMap<>()).put(benchmark.substring(dot + 1),
                    new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(), alloc == null ? -1 : alloc.getScore()});
        }
        for (Map.Entry<String, Map<String, double[]>> e : byShape.entrySet()) System.out.println(json(e.getKey(), e.getValue()));
    }

    private static String json(String key, Map<String, double[]> variants) {
        String[] k = key.split(" ");
        int[] s = Shapes.parse(k[1]);
        long m = s[0], inner = s[1], tokens = Integer.parseInt(k[2]);
        boolean lut = k[0].equals("LutGemmBench");
        double ops = 2.0 * m * inner * tokens;
        StringBuilder b = new StringBuilder();
        b.append("{\"kernel\":\"").append(lut ? "lut-gemm" : "gemm").append('"');
        b.append(lut ? ",\"weights\":\"ternary\",\"activations\":\"int8\",\"g\":" + LutGemmBench.GROUP : ",\"weights\":\"fp32\",\"activations\":\"fp32\"");
        b.append(",\"m\":").append(m).append(",\"k\":").append(inner).append(",\"tokens\":").append(tokens);
        rates(b, lut ? "gops" : "gflops", variants, ops / 1e9);
        if (lut) rates(b, "ternaryWeightsPerSec", variants, (double) m * inner);
        if (variants.values().stream().allMatch(v -> v[2] >= 0)) {
            b.append(",\"bytesAllocatedPerCall\":{");
            String sep = "";
            for (Map.Entry<String, double[]> v : variants.entrySet()) {
                b.append(sep).append('"').append(v.getKey()).append("\":").append(Math.round(v.getValue()[2]));
                sep = ",";
            }
            b.append('}');
        }
        double[] plain = variants.get("plain");
        b.append(",\"speedupOverPlain\":{");
        String sep = "";
        for (Map.Entry<String, double[]> v : variants.entrySet()) {
            if (v.getKey().equals("plain") || plain == null) continue;
            b.append(sep).append('"').append(v.getKey()).append("\":").append(String.format(Locale.ROOT, "%.2f", v.getValue()[0] / plain[0]));
            sep = ",";
        }
        return b.append("}}").toString();
    }

    /** "name":{"variant":rate,...,"variantError":99.9% half-width,...}, rate = calls/s x perCall. */
    private static void rates(StringBuilder b, String name, Map<String, double[]> variants, double perCall) {
        b.append(",\"").append(name).append("\":{");
        String sep = "";
        for (Map.Entry<String, double[]> v : variants.entrySet()) {
            b.append(sep).append('"').append(v.getKey()).append("\":").append(String.format(Locale.ROOT, "%.4g", v.getValue()[0] * perCall));
            b.append(",\"").append(v.getKey()).append("Error\":").append(String.format(Locale.ROOT, "%.2g", v.getValue()[1] * perCall));
            sep = ",";
        }
        b.append('}');
    }
}
