package org.meshemu.workloads.generate;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.meshemu.dram.DramSpec;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.noc.Fabric;
import org.meshemu.noc.NocSpec;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.FieldException;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.Scenario;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tensor;
import org.meshemu.workloads.Plan;
import org.meshemu.workloads.Workload;
import org.meshemu.workloads.checkpoint.ModelWeights;
import org.meshemu.workloads.checkpoint.RandomCheckpoint;
import org.meshemu.workloads.generate.lower.Lowering;
import org.meshemu.workloads.reference.Generation;
import org.meshemu.workloads.reference.ReferenceModel;
import org.meshemu.workloads.reference.RetentionForm;

/**
 * {@code kind: generate}: greedy generation with the scenario's model on every core of the emulated
 * chips. The family's forward pass emits the operator graph block by block (the prompt as one block,
 * or blocks of prefillBlock tokens, whose projections are GEMMs, then each decoded token, whose
 * embedding row is loaded at the index the previous greedy choice left in SRAM), the mapping lowers
 * it to static per-core programs, and the outputs are {@code logits} [1 + decodeSteps, vocab]
 * and {@code tokens} [1 + decodeSteps], checked against the plain-Java reference of the same weights.
 * With {@code batch} B > 1, B sequences decode together (every block holds all of them) and the outputs
 * are [B, 1 + decodeSteps, vocab] and [B, 1 + decodeSteps], sequence b's the reference's generation
 * from its own prompt ({@link GenerateSpec#promptIds(int, int)}).
 */
public final class GenerateWorkload implements Workload {
    @Override public String name() { return "generate"; }

    /** The bound sections and the weights. */
    private record Setup(GenerateSpec spec, ModelSpec model, ModelWeights weights) {}

    /** {@code values} false: shape-only weights (timing mode), never a number read or drawn. */
    private static Setup setup(LoadedScenario s, boolean values) {
        GenerateSpec spec = s.bindWorkload(GenerateSpec.class);
        ModelSpec model = ModelSpec.of(s);
        try {
            model.modelFamily().check(spec);
        } catch (FieldException f) {
            throw new InputException(s.source() + ": workload." + f.field(), f.detail());
        }
        ModelWeights weights = values ? model.weights() : model.shapes();
        try {
            model.modelFamily().check(spec, weights.config());
        } catch (FieldException f) {
            throw new InputException(s.source() + ": workload." + f.field(), f.detail());
        }
        int vocab = weights.config().vocabSize();
        for (int i = 0; i < spec.prompt().size(); i++) {
            int t = spec.prompt().get(i);
            if (t < 0 || t >= vocab) throw new InputException(s.source() + ": workload.prompt." + i, t, "a token id in [0, " + vocab + ")");
        }
        return new Setup(spec, model, weights);
    }

    @Override
    public List<Tensor> reference(LoadedScenario s) {
        Setup st = setup(s, true);
        return reference(st);
    }

    /** Each sequence generated alone by the reference, the sequences' rows one after another. */
    private static List<Tensor> reference(Setup st) {
        GenerateSpec spec = st.spec();
        ReferenceModel model = ReferenceModel.of(st.weights(), RetentionForm.valueOf(spec.retention().toUpperCase(Locale.ROOT)), spec.chunkSize(), spec.gate());
        int vocab = st.weights().config().vocabSize(), rows = spec.decodeSteps() + 1, batch = spec.batch();
        float[] logits = new float[batch * rows * vocab];
        int[] tokens = new int[batch * rows];
        for (int b = 0; b < batch; b++) {
            Generation gen = model.generate(spec.promptIds(b, vocab), spec.decodeSteps());
            for (int i = 0; i < rows; i++) System.arraycopy(gen.logits()[i], 0, logits, (b * rows + i) * vocab, vocab);
            System.arraycopy(gen.tokens(), 0, tokens, b * rows, rows);
        }
        return List.of(Tensor.ofFloats("logits", shape(batch, rows, vocab), logits), Tensor.ofInts("tokens", shape(batch, rows), tokens));
    }

    /** An output's shape: {@code perSequence} with a leading batch dimension when there are several sequences. */
    private static int[] shape(int batch, int... perSequence) {
        if (batch == 1) return perSequence;
        int[] s = new int[perSequence.length + 1];
        s[0] = batch;
        System.arraycopy(perSequence, 0, s, 1, perSequence.length);
        return s;
    }

    /**
     * Full payload: weights held as stored take no heap when mapped from a checkpoint file and their stored
     * bytes once when drawn at random in memory (the reference and the banks' tiles share them); other
     * families hold them in fp32, once for the reference and once as tiles in the banks.
     */
    @Override
    public Footprint footprint(LoadedScenario s) {
        if (!s.scenario().run().fullPayload()) return new Footprint("core", true, 0);
        ModelSpec model = ModelSpec.of(s);
        org.meshemu.workloads.checkpoint.ModelConfig config = model.shapes().config();
        if (model.modelFamily().holdsWeightsAsStored()) {
            return new Footprint("core", true, model.checkpoint() != null ? 0 : RandomCheckpoint.bytes(config));
        }
        return new Footprint("core", true, 2 * DType.FP32.bytes(RandomCheckpoint.elements(config)));
    }

    /** A checkpoint directory's config and safetensors files; none for random weights. */
    @Override
    public List<InputFiles> inputFiles(LoadedScenario s) {
        ModelSpec model = ModelSpec.of(s);
        if (model.checkpoint() == null) return List.of();
        return List.of(InputFiles.inDirectory("model.checkpoint", model.checkpoint(), org.meshemu.workloads.checkpoint.Checkpoint.files(model.checkpoint())));
    }

    @Override
    public Plan plan(LoadedScenario s) {
        Scenario sc = s.scenario();
        boolean full = sc.run().fullPayload();
        Setup st = setup(s, full);
        GenerateSpec spec = st.spec();
        int vocab = st.weights().config().vocabSize();
        int promptLength = spec.prompt().size(), steps = spec.decodeSteps(), batch = spec.batch();

        Graph g = new Graph();
        ModelFamily.Forward model = st.model().modelFamily().forward(st.weights(), full, spec, sc.seed());
        Graph.Val hidden = null;                                                                          // [H, B T] of the last block
        for (int[] b : spec.promptBlocks()) {
            List<ModelFamily.Token> tokens = new java.util.ArrayList<>();                                 // sequence-major
            for (int q = 0; q < batch; q++) {
                java.util.Arrays.stream(spec.promptIds(q, vocab), b[0], b[1]).mapToObj(ModelFamily.Token::of).forEach(tokens::add);
            }
            hidden = model.block(g, tokens, b[0], promptLength);
        }
        g.layer("head");
        int lastBlock = hidden.shape().cols() / batch;
        List<Graph.Val> next = emitTokens(g, model, hidden, lastBlock, batch, steps, 0);
        for (int i = 1; i <= steps; i++) {
            int pos = promptLength + i - 1;
            next = emitTokens(g, model, model.block(g, next.stream().map(ModelFamily.Token::of).toList(), pos, pos + 1), 1, batch, steps, i);
        }

        // every core of every chip; the lowering's collectives go within each chip, then across chips
        int cores = Fabric.of(sc.hardware()).endpoints();
        ExpertPlacement experts = ExpertPlacements.named(spec.experts());
        java.util.LinkedHashSet<String> moeLayers = new java.util.LinkedHashSet<>();
        List<Integer> expertNodes = new java.util.ArrayList<>();                                         // route ids, block after block, layer by layer
        int expertCount = 0, expertInput = 0;
        for (Graph.Node n : g.nodes()) {
            if (!(n instanceof Graph.Experts x)) continue;
            if (experts.unfit(cores, x.w1().count()) instanceof String expected) {
                throw new InputException(s.source() + ": workload.experts", spec.experts(), expected);
            }
            if (x.emptySlots() && !experts.runsEmptySlots()) {
                throw new InputException(s.source() + ": workload.gate.kind", spec.gate().kind(), "sparsemixer or top-k with workload.experts: "
                        + spec.experts() + " (it runs every slot of the routing; grouped and expert-parallel skip a threshold gate's empty slots)");
            }
            moeLayers.add(x.layer());
            expertNodes.add(x.route().id());
            expertCount = x.w1().count();
            expertInput = x.x().shape().rows();
        }
        int coresPerChip = sc.hardware().get(NocSpec.class).nodes();
        if (!experts.placesByPolicy() && !spec.placementPolicy().isDefault()) {
            throw new InputException(s.source() + ": workload.placementPolicy", spec.placementPolicy().kind(), "linear with groups 0 and slots 0 unless workload.experts "
                    + "is one that places by policy (expert-parallel); workload.experts is " + spec.experts());
        }
        ExpertSchedule schedule = moeLayers.isEmpty() || !experts.placesByPolicy() ? null
                : ExpertSchedule.plan(s, spec, g, PhiMoeFamily.gate(spec.gate(), (org.meshemu.workloads.checkpoint.PhiMoeConfig) st.weights().config()),
                        sc.seed(), cores, coresPerChip, promptLength, sc.hardware());
        Lowering l = new Lowering(cores, coresPerChip, sc.hardware().get(NocSpec.class).width(), sc.hardware().get(DramSpec.class).banksPerCore(), full,
                Mappings.named(spec.mapping()), experts, spec.bitLinear(), schedule == null ? n -> null : schedule::map);
        l.lower(g);
        int rows = batch * (steps + 1);
        List<Plan.Output> outputs = List.of(
                new Plan.Output("logits", shape(batch, steps + 1, vocab), rows, vocab, l.output("logits")),
                new Plan.Output("tokens", shape(batch, steps + 1), rows, 1, l.output("tokens"), true));
        long maxBank = l.maxWeightBytesPerBank(), totalWeights = l.totalWeightBytes();
        Plan plan = new Plan(l.programs(), l.banks(), outputs, full ? () -> reference(st) : null,
                reports -> generation(reports, promptLength, steps, spec.mapping(), spec.experts(), maxBank, totalWeights));
        if (moeLayers.isEmpty() || !experts.countsTokens()) return plan;
        List<String> layers = List.copyOf(moeLayers);
        int expertsPerLayer = expertCount, tokenRows = expertInput;
        long tokensPerLayer = (long) batch * (promptLength + steps);
        String routing = full ? "gate" : spec.routing().kind();
        MoeReport.Policy policy = schedule == null ? null : schedule.planned();
        MoeReport.DecodeSteps decode = decodeSteps(sc, st.weights().config(), batch, promptLength, steps, layers.size(), expertNodes, cores);
        return plan.withSection(new Plan.Section(MOE_SECTION, (reports, simulatedPs) ->
                MoeReport.of(spec.experts(), routing, spec.gate().kind(), layers, expertsPerLayer, tokensPerLayer, tokenRows, decode, reports, policy)));
    }

    /**
     * The decode steps of a mixture of experts for S-MBU and S-MFU: positions, each step's experts nodes (the last
     * {@code steps} blocks of {@code expertNodes}, which holds each block's nodes layer by layer), the step cost from
     * the model's shape, and the peak FLOPs: cores x the fp32 matrix rate x the core clock.
     */
    private static MoeReport.DecodeSteps decodeSteps(Scenario sc, org.meshemu.workloads.checkpoint.ModelConfig config, int batch, int promptLength,
                                                     int steps, int layers, List<Integer> expertNodes, int cores) {
        var c = (org.meshemu.workloads.checkpoint.PhiMoeConfig) config;   // the family with experts
        long expertParams = 3L * c.intermediateSize() * c.hiddenSize();
        long dense = RandomCheckpoint.elements(c) - (long) c.numHiddenLayers() * c.numLocalExperts() * expertParams
                - (c.tieWordEmbeddings() ? 0 : (long) c.vocabSize() * c.hiddenSize());
        MoeReport.StepCost cost = new MoeReport.StepCost(dense, expertParams, c.hiddenSize(), batch, c.numHiddenLayers(), c.qDim(), c.kvDim(), c.slidingWindow());
        int blocks = expertNodes.size() / layers;
        int[] positions = new int[steps];
        List<List<Integer>> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < steps; i++) {
            positions[i] = promptLength + i;
            int block = blocks - steps + i;
            nodes.add(List.copyOf(expertNodes.subList(block * layers, (block + 1) * layers)));
        }
        org.meshemu.aicore.CoreSpec core = sc.hardware().get(org.meshemu.aicore.CoreSpec.class);
        Integer fp32 = core.matrixFlopsPerCycle().get(DType.FP32.key());
        double peakFlops = fp32 == null ? 0 : (double) cores * fp32 * 1e12 / core.cyclePs();
        return new MoeReport.DecodeSteps(positions, nodes, cost, peakFlops);
    }

    /** The report section of a mixture of experts whose placement counts tokens ({@link MoeReport}). */
    public static final String MOE_SECTION = "moe";

    /**
     * For each sequence, the head (logits output and greedy choice) on its last column of the block {@code hidden}
     * ({@code perSequence} columns each) and the token output, as row {@code step} of its rows; then step's time mark.
     * Returns the sequences' chosen tokens (1x1 indices).
     */
    private static List<Graph.Val> emitTokens(Graph g, ModelFamily.Forward model, Graph.Val hidden, int perSequence, int batch, int steps, int step) {
        List<Graph.Val> tokens = new java.util.ArrayList<>();
        for (int b = 0; b < batch; b++) {
            int row = b * (steps + 1) + step;
            g.layer("head");
            Graph.Val token = model.head(g, g.column("last_token", hidden, (b + 1) * perSequence - 1), row);   // 1x1
            g.layer("out");
            g.output("tokens", row, token);
            tokens.add(token);
        }
        g.mark("token." + step);
        return tokens;
    }

    /** The report's generation section from the lead core's marks (core 0 reports first among cores). */
    static RunReport.Generation generation(List<ComponentReport> reports, int promptTokens, int steps, String mapping, String experts,
                                           long maxBank, long totalWeights) {
        ComponentReport lead = reports.stream().filter(r -> r.kind().equals("core")).findFirst().orElseThrow();
        long first = lead.counter("at:out/token.0");
        long last = lead.counter("at:out/token." + steps);
        long tpot = steps == 0 ? 0 : (last - first) / steps;
        Map<String, Long> perOp = new TreeMap<>(), perLayer = new TreeMap<>();
        lead.counters().forEach((k, v) -> {
            if (!k.startsWith("span:")) return;
            String label = k.substring("span:".length());
            int slash = label.indexOf('/');
            String op = label.substring(slash + 1).startsWith("token.") ? "token" : label.substring(slash + 1);
            perOp.merge(op, v, Long::sum);
            perLayer.merge(label.substring(0, slash), v, Long::sum);
        });
        return new RunReport.Generation(promptTokens, steps, mapping, experts, first, tpot, tpot == 0 ? 0 : 1e12 / tpot, perOp, perLayer,
                maxBank, totalWeights);
    }
}
