package org.meshemu.workloads.linalg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.meshemu.aicore.CoreSpec;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.Program;
import org.meshemu.dram.DramSpec;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.noc.Fabric;
import org.meshemu.scenario.Check;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.Scenario;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tensor;
import org.meshemu.tensor.Tile;
import org.meshemu.workloads.Inputs;
import org.meshemu.workloads.Plan;
import org.meshemu.workloads.Reference;
import org.meshemu.workloads.Workload;

/**
 * A chain of {@code layers} fp32 GEMM layers whose weights stream from each core's DRAM bank (ELK's
 * setting: the weights live in HBM, the activations on chip): every core c runs its own block of the
 * model, x_c [tokens x width] . W_(c,0) . W_(c,1) ... (block-diagonal weights, so no core waits for
 * another and the run shows I/O against compute alone), then stores its result.
 *
 * <p>{@code prefetch: none} loads layer l's weights, then multiplies: the core waits for every load.
 * {@code overlap} prefetches layer l + 1's weights ({@link Instruction.Prefetch}) before it multiplies
 * by layer l's, so the bank streams the next layer while the matrix unit works (two weight buffers in
 * SRAM instead of one). Both give the same bits.
 */
public final class LayerChain implements Workload {

    /** The workload section. */
    public record Spec(int layers, int tokens, int width, String prefetch) {
        public Spec {
            Check.atLeast("layers", layers, 1);
            Check.atLeast("tokens", tokens, 1);
            Check.atLeast("width", width, 1);
            Check.oneOf("prefetch", prefetch, List.of("none", "overlap"));
        }
    }

    /**
     * The report's {@code layers} section (docs/REPORT.md): the roofline of the run and the fraction of
     * it reached. {@code computePs}: every core's products at the matrix unit's peak rate;
     * {@code hbmPs}: the bytes moved to and from the banks at the banks' summed peak rate;
     * {@code rooflinePs} the larger; {@code ofRoofline} = rooflinePs / simulated time.
     */
    public record LayersReport(String prefetch, long hbmBytes, long computePs, long hbmPs, long rooflinePs, double ofRoofline) {}

    static final String SECTION = "layers";

    @Override public String name() { return "layers"; }

    /** Full payload: every core's input and weights once as inputs for the reference and once as tiles, the outputs twice. */
    @Override
    public Footprint footprint(LoadedScenario loaded) {
        Spec spec = loaded.bindWorkload(Spec.class);
        long cores = Fabric.of(loaded.scenario().hardware()).endpoints();
        long elements = cores * ((long) spec.tokens() * spec.width() * 2 + (long) spec.layers() * spec.width() * spec.width());
        return new Footprint("core", true, loaded.scenario().run().fullPayload() ? 2 * DType.FP32.bytes(elements) : 0);
    }

    private static final int X0 = 0, X1 = 1, W0 = 2, W1 = 3;

    @Override
    public Plan plan(LoadedScenario loaded) {
        Scenario s = loaded.scenario();
        Spec spec = loaded.bindWorkload(Spec.class);
        int cores = Fabric.of(s.hardware()).endpoints();
        int banks = s.hardware().get(DramSpec.class).banksPerCore();
        boolean full = s.run().fullPayload(), overlap = spec.prefetch().equals("overlap");
        int t = spec.tokens(), d = spec.width(), layers = spec.layers();
        long xBytes = DType.FP32.bytes((long) t * d), wBytes = DType.FP32.bytes((long) d * d);
        long outAddr = xBytes + layers * wBytes;

        List<Program> programs = new ArrayList<>(cores);
        List<Map<Long, Tile>> contents = new ArrayList<>(cores * banks);
        List<Plan.Placed> outTiles = new ArrayList<>(cores);
        List<float[]> references = new ArrayList<>();
        for (int c = 0; c < cores; c++) {
            // stream (c, l): l = 0 the core's input, l = 1 + i layer i's weights
            float[] x = full ? Inputs.uniform(s.seed(), c * (layers + 1), t, d) : null;
            Map<Long, Tile> bank = new HashMap<>();
            bank.put(0L, full ? Tile.fp32(t, d, x) : Tile.shape(t, d, DType.FP32));
            List<Instruction> code = new ArrayList<>();
            code.add(new Instruction.Load(X0, 0, 0, t, d, DType.FP32));
            float[] ref = x;
            if (overlap) code.add(new Instruction.Prefetch(W0, 0, xBytes, d, d, DType.FP32));
            for (int l = 0; l < layers; l++) {
                float[] w = full ? Inputs.uniform(s.seed(), c * (layers + 1) + 1 + l, d, d) : null;
                bank.put(xBytes + l * wBytes, full ? Tile.fp32(d, d, w) : Tile.shape(d, d, DType.FP32));
                int wSlot = l % 2 == 0 ? W0 : W1, in = l % 2 == 0 ? X0 : X1, out = l % 2 == 0 ? X1 : X0;
                if (!overlap) code.add(new Instruction.Load(wSlot, 0, xBytes + l * wBytes, d, d, DType.FP32));
                else if (l + 1 < layers) code.add(new Instruction.Prefetch(l % 2 == 0 ? W1 : W0, 0, xBytes + (l + 1) * wBytes, d, d, DType.FP32));
                code.add(new Instruction.Gemm(in, wSlot, out, false));
                if (full) ref = Reference.matmul(ref, w, t, d, d);
            }
            code.add(new Instruction.Store(layers % 2 == 0 ? X0 : X1, 0, outAddr));
            outTiles.add(new Plan.Placed(c * banks, outAddr, c * t, 0));
            programs.add(Program.of(code));
            contents.add(bank);
            for (int b = 1; b < banks; b++) contents.add(new HashMap<>());
            if (full) references.add(ref);
        }
        Plan.Output out = new Plan.Output("y", new int[] {cores * t, d}, cores * t, d, outTiles);

        CoreSpec core = s.hardware().get(CoreSpec.class);
        long cyclePs = core.cyclePs();
        Integer rate = core.matrixFlopsPerCycle().get(DType.FP32.key());
        if (rate == null) throw new InputException("hardware.core.matrixFlopsPerCycle.fp32", "missing: the layers' products are fp32");
        long computePs = layers * Math.ceilDiv(2L * t * d * d, rate) * cyclePs;
        long hbmBytes = cores * (2 * xBytes + layers * wBytes);
        return new Plan(programs, contents, List.of(out), full ? () -> List.of(Tensor.ofFloats("y", new int[] {cores * t, d}, concat(references))) : null)
                .withSection(new Plan.Section(SECTION, (reports, simulatedPs) -> roofline(spec, hbmBytes, computePs, reports, simulatedPs)));
    }

    private static LayersReport roofline(Spec spec, long hbmBytes, long computePs, List<ComponentReport> reports, long simulatedPs) {
        double peak = org.meshemu.dram.Bank.peakBytesPerSecond(reports);
        long hbmPs = (long) Math.ceil(hbmBytes / peak * 1e12);
        long roofline = Math.max(computePs, hbmPs);
        return new LayersReport(spec.prefetch(), hbmBytes, computePs, hbmPs, roofline, (double) roofline / simulatedPs);
    }

    private static float[] concat(List<float[]> parts) {
        float[] all = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
