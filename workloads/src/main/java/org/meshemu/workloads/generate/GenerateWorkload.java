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

    private static List<Tensor> reference(Setup st) {
        GenerateSpec spec = st.spec();
        Generation gen = ReferenceModel.of(st.weights(), RetentionForm.valueOf(spec.retention().toUpperCase(Locale.ROOT)), spec.chunkSize())
                .generate(spec.promptIds(), spec.decodeSteps());
        int vocab = st.weights().config().vocabSize();
        float[] logits = new float[gen.logits().length * vocab];
        for (int i = 0; i < gen.logits().length; i++) System.arraycopy(gen.logits()[i], 0, logits, i * vocab, vocab);
        return List.of(Tensor.ofFloats("logits", new int[] {gen.logits().length, vocab}, logits),
                Tensor.ofInts("tokens", new int[] {gen.tokens().length}, gen.tokens()));
    }

    /** Full payload: the weights in fp32, once for the reference and once as tiles in the banks. */
    @Override
    public Footprint footprint(LoadedScenario s) {
        if (!s.scenario().run().fullPayload()) return new Footprint("core", true, 0);
        long parameters = RandomCheckpoint.elements(ModelSpec.of(s).shapes().config());
        return new Footprint("core", true, 2 * DType.FP32.bytes(parameters));
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
        int[] prompt = spec.promptIds();
        int steps = spec.decodeSteps();

        Graph g = new Graph();
        ModelFamily.Forward model = st.model().modelFamily().forward(st.weights(), full, spec);
        Graph.Val hidden = null;                                                                          // [H, T] of the last block
        for (int[] b : spec.promptBlocks()) {
            List<ModelFamily.Token> tokens = java.util.Arrays.stream(prompt, b[0], b[1]).mapToObj(ModelFamily.Token::of).toList();
            hidden = model.block(g, tokens, b[0], prompt.length);
        }
        g.layer("head");
        Graph.Val next = emitToken(g, model, g.column("last_token", hidden, hidden.shape().cols() - 1), 0);
        for (int i = 1; i <= steps; i++) {
            int pos = prompt.length + i - 1;
            next = emitToken(g, model, model.block(g, List.of(ModelFamily.Token.of(next)), pos, pos + 1), i);
        }

        // every core of every chip; the lowering's collectives go within each chip, then across chips
        int cores = Fabric.of(sc.hardware()).endpoints();
        ExpertPlacement experts = ExpertPlacements.named(spec.experts());
        for (Graph.Node n : g.nodes()) {
            if (n instanceof Graph.Experts x && experts.unfit(cores, x.w1().count()) instanceof String expected) {
                throw new InputException(s.source() + ": workload.experts", spec.experts(), expected);
            }
        }
        Lowering l = new Lowering(cores, sc.hardware().get(NocSpec.class).nodes(), sc.hardware().get(NocSpec.class).width(), sc.hardware().get(DramSpec.class).banksPerCore(), full,
                Mappings.named(spec.mapping()), experts, spec.bitLinear());
        l.lower(g);
        List<Plan.Output> outputs = List.of(
                new Plan.Output("logits", new int[] {steps + 1, vocab}, steps + 1, vocab, l.output("logits")),
                new Plan.Output("tokens", new int[] {steps + 1}, steps + 1, 1, l.output("tokens"), true));
        long maxBank = l.maxWeightBytesPerBank(), totalWeights = l.totalWeightBytes();
        return new Plan(l.programs(), l.banks(), outputs, full ? () -> reference(st) : null,
                reports -> generation(reports, prompt.length, steps, spec.mapping(), spec.experts(), maxBank, totalWeights));
    }

    /** Head (logits output and greedy choice), the token output and its time mark; returns the 1x1 index of the chosen token. */
    private static Graph.Val emitToken(Graph g, ModelFamily.Forward model, Graph.Val hidden, int row) {
        Graph.Val token = model.head(g, hidden, row);                                               // 1x1
        g.layer("out");
        g.output("tokens", row, token);
        g.mark("token." + row);
        return token;
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
