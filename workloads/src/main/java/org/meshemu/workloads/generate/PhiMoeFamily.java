package org.meshemu.workloads.generate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.meshemu.aicore.VectorOp;
import org.meshemu.scenario.FieldException;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Stored;
import org.meshemu.workloads.checkpoint.ConfigJson;
import org.meshemu.workloads.checkpoint.ModelConfig;
import org.meshemu.workloads.checkpoint.ModelWeights;
import org.meshemu.workloads.checkpoint.PhiMoeConfig;
import org.meshemu.workloads.checkpoint.PhiMoeWeights;
import org.meshemu.workloads.checkpoint.TensorSource;
import org.meshemu.workloads.checkpoint.WeightLayout;
import org.meshemu.workloads.fused.SoftmaxGate;
import org.meshemu.workloads.fused.Sparsemixer;
import org.meshemu.workloads.fused.TracedGate;
import org.meshemu.workloads.reference.PhiMoeReference;
import org.meshemu.workloads.reference.ReferenceModel;
import org.meshemu.workloads.reference.RetentionForm;

/**
 * Phi-3.5-MoE / GRIN-MoE decoding (docs/MODELS.md section 2): LayerNorm, biased GQA projections, RoPE
 * rotate_half, attention over the KV cache (with the sliding window) kept by KV head in its core's banks, then
 * the gate's routing on the lead core ({@code workload.gate}: sparsemixer top-2 by default, a softmax top-k or
 * threshold gate) and the chosen SwiGLU experts. Where the experts'
 * weights live is the scenario's {@link ExpertPlacement} ({@code workload.experts}): sliced over all
 * cores, or one expert per core group.
 *
 * <p>The family's registration ({@link ModelFamily}): its config {@link PhiMoeConfig}, checkpoint layout and
 * loader {@link PhiMoeWeights}, reference {@link PhiMoeReference}, and the graph below.
 */
public final class PhiMoeFamily implements ModelFamily {
    @Override public String name() { return PhiMoeConfig.MODEL_TYPE; }

    @Override public ModelConfig parseConfig(ConfigJson config) { return PhiMoeConfig.parse(config); }

    @Override public void layout(ModelConfig config, WeightLayout layout) { PhiMoeWeights.layout((PhiMoeConfig) config, layout); }

    @Override
    public ModelWeights load(ModelConfig config, TensorSource tensors, boolean values) {
        return PhiMoeWeights.load(tensors, (PhiMoeConfig) config, values);
    }

    @Override
    public boolean holdsWeightsAsStored() { return true; }

    @Override
    public ReferenceModel reference(ModelWeights weights, RetentionForm retentionForm, int chunkSize) {
        return new PhiMoeReference((PhiMoeWeights) weights);
    }

    @Override
    public ReferenceModel reference(ModelWeights weights, RetentionForm retentionForm, int chunkSize, GenerateSpec.Gate gate) {
        return new PhiMoeReference((PhiMoeWeights) weights, gate(gate, ((PhiMoeWeights) weights).config()));
    }

    /** Sparsemixer routes two experts; a softmax gate up to num_local_experts. Names the workload field and the config key. */
    @Override
    public void check(GenerateSpec spec, ModelConfig config) {
        PhiMoeConfig c = (PhiMoeConfig) config;
        GenerateSpec.Gate gate = spec.gate();
        switch (gate.kind()) {
            case "sparsemixer" -> {
                if (c.numExpertsPerTok() != 2) {
                    throw new FieldException("gate.kind", "'sparsemixer' with num_experts_per_tok " + c.numExpertsPerTok(),
                            "top-k or threshold: sparsemixer (GRIN's gate) is top-2 only, so the model's num_experts_per_tok must be 2");
                }
            }
            case "top-k" -> { } // num_experts_per_tok in [1, num_local_experts]: checked by the config
            default -> {
                if (gate.maxK() > c.numLocalExperts()) {
                    throw new FieldException("gate.maxK", gate.maxK(), "at most num_local_experts (" + c.numLocalExperts() + ")");
                }
            }
        }
    }

    /** The routing operator of {@code gate} (checked by {@link #check(GenerateSpec, ModelConfig)}). */
    static VectorOp.FusedDecision gate(GenerateSpec.Gate gate, PhiMoeConfig c) {
        return switch (gate.kind()) {
            case "sparsemixer" -> new Sparsemixer((float) c.routerJitterNoise());
            case "top-k" -> new SoftmaxGate(c.numExpertsPerTok(), 0f);
            default -> new SoftmaxGate(gate.maxK(), (float) gate.threshold());
        };
    }

    @Override
    public Forward forward(ModelWeights weights, boolean full, GenerateSpec spec, long seed) {
        PhiMoeConfig c = ((PhiMoeWeights) weights).config();
        // timing mode's routing trace; full payload always routes by the gate's values
        RoutingTrace trace = !full && spec.routing().traced() ? new RoutingTrace(seed, c.numLocalExperts(), spec.routing()) : null;
        return new PhiMoe((PhiMoeWeights) weights, spec.batch(), ExpertPlacements.named(spec.experts()).takesBlocks(), trace, gate(spec.gate(), c));
    }

    private static final class PhiMoe implements Forward {
        private final PhiMoeWeights w;
        private final int hidden, inter, qDim, kvDim, experts, vocab;
        private final float eps;
        private final boolean attentionBias;
        private final RopeAttentionBlock attention;
        private final Graph.Weight embed, lmHead;
        private final Map<String, Graph.Weight> stacked = new HashMap<>();
        private final int sequences;
        private final boolean expertBlocks;
        private final RoutingTrace trace;
        private final VectorOp.FusedDecision gate;
        private final String gateOp;
        private final boolean emptySlots;

        /**
         * {@code expertBlocks}: one experts node per block (the placement dispatches them together); {@code trace} null:
         * no trace; {@code gate} the routing operator.
         */
        PhiMoe(PhiMoeWeights w, int sequences, boolean expertBlocks, RoutingTrace trace, VectorOp.FusedDecision gate) {
            PhiMoeConfig c = w.config();
            this.w = w;
            this.sequences = sequences;
            this.expertBlocks = expertBlocks;
            this.trace = trace;
            this.gate = gate;
            gateOp = gate instanceof Sparsemixer ? "sparsemixer" : "gate";
            emptySlots = gate instanceof SoftmaxGate s && s.dynamic();
            hidden = c.hiddenSize();
            inter = c.intermediateSize();
            qDim = c.qDim();
            kvDim = c.kvDim();
            experts = c.numLocalExperts();
            vocab = c.vocabSize();
            eps = (float) c.rmsNormEps();
            attentionBias = c.attentionBias();
            attention = new RopeAttentionBlock(c, c.rope(), c.slidingWindow(), sequences);
            embed = Graph.Weight.stored("embed_tokens", vocab, hidden, DType.FP32, w.embedTokens());
            lmHead = Graph.Weight.stored("lm_head", vocab, hidden, DType.FP32, w.lmHead());
        }


        @Override
        public Graph.Val block(Graph g, List<Token> tokens, int pos, int callLength) {
            g.layer("embed");
            Graph.Val h = Token.embed(g, embed, tokens);                                                // [H, T]
            VectorOp.RotateHalf rot = attention.rotation(pos, callLength);
            for (int l = 0; l < w.layers().size(); l++) {
                PhiMoeWeights.Layer lw = w.layers().get(l);
                String p = "L" + l + ".";
                g.layer("L" + l);
                // attention block
                Graph.Val a = layerNorm(g, "input_layernorm", p, h, lw.inputLayernormWeight(), lw.inputLayernormBias());
                Graph.Val q = linear(g, "q_proj", p, Graph.Weight.stored(p + "q_proj", qDim, hidden, DType.FP32, lw.qProj()), attentionBias, lw.qBias(), a); // [heads hd]
                Graph.Val k = linear(g, "k_proj", p, Graph.Weight.stored(p + "k_proj", kvDim, hidden, DType.FP32, lw.kProj()), attentionBias, lw.kBias(), a); // [kv hd]
                Graph.Val v = linear(g, "v_proj", p, Graph.Weight.stored(p + "v_proj", kvDim, hidden, DType.FP32, lw.vProj()), attentionBias, lw.vBias(), a); // [kv hd]
                Graph.Val o = attention.attend(g, p, rot, pos, q, k, v);                                    // [heads hd, T]
                h = g.add("residual", h, linear(g, "o_proj", p, Graph.Weight.stored(p + "o_proj", hidden, qDim, DType.FP32, lw.oProj()), attentionBias, lw.oBias(), o));
                // mixture of experts: h += w_1 E_e1(m) + ... + w_K E_eK(m)
                Graph.Val m = layerNorm(g, "post_attention_layernorm", p, h, lw.postAttentionLayernormWeight(), lw.postAttentionLayernormBias());
                Graph.Val r = g.matvec("router", Graph.Weight.stored(p + "router", experts, hidden, DType.FP32, lw.router()), m);     // [E, T]
                Graph.Weight ew1 = stack(p + "w1", inter, hidden, lw, PhiMoeWeights.Expert::w1);                       // [E I, H]
                Graph.Weight ew3 = stack(p + "w3", inter, hidden, lw, PhiMoeWeights.Expert::w3);                       // [E I, H]
                Graph.Weight ew2 = stack(p + "w2", hidden, inter, lw, PhiMoeWeights.Expert::w2);                       // [E H, I]
                // each token routed on its own: E(x) = W2 (silu(W1 x) * (W3 x))
                int perSequence = tokens.size() / sequences;
                List<Graph.Val> routes = new ArrayList<>(), mixed = new ArrayList<>();
                for (int t = 0; t < tokens.size(); t++) {
                    VectorOp routing = trace == null ? gate : traced(l, t / perSequence, pos + t % perSequence);
                    Graph.Val route = g.vector(gateOp, routing, g.column("token", r, t));                          // [e_1 w_1 .. e_K w_K]
                    if (expertBlocks) routes.add(route);
                    else mixed.add(g.experts("moe_mix", ew1, ew3, ew2, g.column("token", m, t), route, emptySlots));
                }
                Graph.Val moe = expertBlocks ? g.experts("moe_mix", ew1, ew3, ew2, m, g.stack("route", routes), emptySlots)    // [H, T]
                        : g.stack("moe_mix", mixed);
                h = g.add("residual", h, moe);
            }
            return h;
        }

        /** The gate with the trace's decision for a token: a threshold gate's drawn probabilities, else K experts drawn in turn. */
        private TracedGate traced(int layer, int sequence, int position) {
            return new TracedGate(gate, java.util.Arrays.stream(trace.route(layer, sequence, position, gate)).boxed().toList());
        }

        /** All experts' matrices of one kind as one stacked weight [E * rows, cols] (views of the experts' own tensors), built once. */
        private Graph.Weight stack(String name, int rows, int cols, PhiMoeWeights.Layer lw, Function<PhiMoeWeights.Expert, Stored> part) {
            return stacked.computeIfAbsent(name, n -> Graph.Weight.stack(n, rows, cols, DType.FP32, experts,
                    w.hasValues() ? lw.experts().stream().map(part).toList() : null));
        }

        private Graph.Val layerNorm(Graph g, String op, String p, Graph.Val x, float[] weight, float[] bias) {
            return g.vector(op, new VectorOp.LayerNorm(eps), x, g.constant(p + op + ".weight", weight, hidden), g.constant(p + op + ".bias", bias, hidden));
        }

        /** W x (+ b when {@code biased}), the bias added after the whole dot product (as the reference). */
        private static Graph.Val linear(Graph g, String op, String p, Graph.Weight wt, boolean biased, float[] bias, Graph.Val x) {
            Graph.Val y = g.matvec(op, wt, x);
            return biased ? g.add(op, y, g.constant(p + op + ".bias", bias, wt.rows())) : y;
        }

        @Override
        public Graph.Val head(Graph g, Graph.Val hidden, int row) {
            g.layer("head");
            Graph.Val f = g.vector("norm", new VectorOp.LayerNorm(eps), hidden, g.constant("norm.weight", w.normWeight(), this.hidden),
                    g.constant("norm.bias", w.normBias(), this.hidden));
            return g.greedy("lm_head", lmHead, w.config().lmHeadBias() ? w.lmHeadBias() : null, f, "logits", row);             // logits [V], token
        }
    }
}
