package org.meshemu.workloads.gnn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.meshemu.aicore.CoreSpec;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.Program;
import org.meshemu.aicore.VectorMath;
import org.meshemu.aicore.VectorOp;
import org.meshemu.dram.DramSpec;
import org.meshemu.kernel.SplitMix;
import org.meshemu.noc.Fabric;
import org.meshemu.scenario.InputException;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.Scenario;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tensor;
import org.meshemu.tensor.Tile;
import org.meshemu.workloads.Inputs;
import org.meshemu.workloads.Plan;
import org.meshemu.workloads.Workload;

/**
 * {@code kind: gnn}: a GNN layer as NGra's SAGA-NN in tile dataflow. Vertices are cut into chunks of
 * {@code chunkVertices} consecutive ids; chunk k's features live in the banks of its core (placement). An
 * edge chunk (D, S), the edges from source chunk S into destination chunk D, is a dense |D| x |S| tile of
 * edge weights (GCN's normalisation, 1 for ggnn) in the banks of D's core; only non-empty ones exist.
 * Per layer, every core runs, in program order:
 * <ol>
 *   <li>Scatter: for each of its chunks S, load h_S (ggnn: ApplyEdge h_S W_e on the matrix unit, once per
 *       source since the product depends on the source only) and send it, one tile message per edge chunk
 *       (D, S) whose D is on another core;</li>
 *   <li>Gather, destination-stationary (NGra's streaming): for each of its chunks D, for each source chunk S
 *       ascending, receive (or, when S is its own, load) h_S, load the edge chunk and accumulate
 *       A_DS . h_S on the matrix unit, so each vertex sums its sources in ascending id order whatever the
 *       messages' timing;</li>
 *   <li>ApplyVertex on the matrix and vector units (GCN: . W then ReLU; ggnn: a GRU), and store h'_D.</li>
 * </ol>
 * A core holds one edge chunk, one source chunk and one accumulator at a time (plus the weights), so the
 * graph may be far larger than SRAM. Sends never block, and a layer's Scatter needs only the previous
 * layer's results, so the programs cannot deadlock.
 */
public final class GnnWorkload implements Workload {
    static final String SECTION = "gnn";

    // weight slots (GCN uses W0 for its layer's weight), then the working tiles
    static final int W0 = 0, SOURCE = 7, MESSAGE = 8, RECEIVED = 9, EDGES = 10, ACC = 11, OUT = 12, STATE = 13, Z = 14, R = 15,
            TEMP = 16, CANDIDATE = 17;

    @Override public String name() { return "gnn"; }

    /**
     * The graph and the plan's per-edge-chunk bookkeeping (up to {@value #BYTES_PER_EDGE} bytes an edge: the
     * graph, an edge chunk's address and instructions), in any mode; in full payload also the features per
     * layer (tiles and reference), the dense edge chunks and the reference's messages.
     */
    @Override
    public Footprint footprint(LoadedScenario loaded) {
        GnnSpec spec = loaded.bindWorkload(GnnSpec.class);
        GnnSpec.Model m = spec.model();
        // an edge file is read here already, so that a bad one fails before the heap estimate
        EdgeGraph file = spec.graph().file() == null ? null : graph(loaded, spec);
        long n = file == null ? spec.graph().vertices() : file.vertices();
        long edges = (file == null ? spec.graph().edges() : file.edges()) + n;
        long plan = BYTES_PER_EDGE * edges + 16 * n;
        if (!loaded.scenario().run().fullPayload()) return new Footprint("core", true, plan);
        long c = spec.chunkVertices() > 0 ? Math.min(spec.chunkVertices(), n) : Math.max(1, n / Fabric.of(loaded.scenario().hardware()).endpoints());
        long chunks = (n + c - 1) / c;
        long width = Math.max(m.features(), m.hidden());
        long floats = 2 * n * width * (m.layers() + 1) + Math.min(edges, chunks * chunks) * c * c + edges * width;
        return new Footprint("core", true, plan + DType.FP32.bytes(floats));
    }

    static final long BYTES_PER_EDGE = 256;

    @Override
    public Plan plan(LoadedScenario loaded) {
        Scenario s = loaded.scenario();
        GnnSpec spec = loaded.bindWorkload(GnnSpec.class);
        GnnSpec.Model model = spec.model();
        EdgeGraph graph = graph(loaded, spec);
        boolean gcn = model.kind().equals("gcn"), full = s.run().fullPayload();
        EdgeGraph g = gcn ? graph.withSelfLoops() : graph;
        int cores = Fabric.of(s.hardware()).endpoints();
        int chunk = spec.chunkVertices() > 0 ? Math.min(spec.chunkVertices(), g.vertices())
                : chosenChunk(model, g.vertices(), cores, s.hardware().get(CoreSpec.class).sramBytes());
        Chunks chunks = new Chunks(g, chunk, cores, spec.placement(), s.seed());
        int chips = Fabric.of(s.hardware()).chips().count();
        // a message's tag is (layer, D, S), a relayed one's (layer, chip, S) after those
        if ((long) model.layers() * chunks.count * (chunks.count + chips) > Integer.MAX_VALUE) {
            throw new InputException(loaded.source() + ": workload.chunkVertices", chunk,
                    "larger: " + model.layers() + " layers x " + chunks.count + "^2 chunk pairs do not fit the message tags");
        }
        GnnReference.Parameters params = !full ? null
                : spec.inputs() == null ? parameters(s.seed(), model, g.vertices()) : read(loaded, spec, g.vertices());
        Mapping mapping = new Mapping(s, model, g, chunks, params, spec.streaming().equals("ring"));
        Plan.Output out = new Plan.Output("h", new int[] {g.vertices(), model.hidden()}, g.vertices(), model.hidden(), mapping.outputs);
        boolean[] active = new boolean[cores];
        for (int k = 0; k < chunks.count; k++) active[chunks.owner[k]] = true;
        long blocks = chunks.blocks();
        return new Plan(mapping.programs, mapping.contents, List.of(out),
                full ? () -> List.of(Tensor.ofFloats("h", new int[] {g.vertices(), model.hidden()}, GnnReference.run(model, graph, params))) : null)
                .withSection(new Plan.Section(SECTION, (reports, simulatedPs) ->
                        GnnReport.of(spec, g, chunk, chunks.count, blocks, active, mapping.planned, reports, simulatedPs)));
    }

    /** The edge-list file and the {@code inputs} directory's features and weights. */
    @Override
    public List<InputFiles> inputFiles(LoadedScenario loaded) {
        GnnSpec spec = loaded.bindWorkload(GnnSpec.class);
        List<InputFiles> files = new ArrayList<>();
        if (spec.graph().file() != null) files.add(InputFiles.file("workload.graph.file", resolve(loaded, spec.graph().file())));
        if (spec.inputs() != null) {
            List<String> names = new ArrayList<>(List.of(FEATURES));
            names.addAll(GnnSpec.weightNames(spec.model()));
            files.add(InputFiles.inDirectory("workload.inputs", inputsDirectory(loaded, spec), names));
        }
        return files;
    }

    static final String FEATURES = "features.npy";

    private static Path inputsDirectory(LoadedScenario loaded, GnnSpec spec) {
        Path dir = resolve(loaded, spec.inputs());
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw new InputException(loaded.source() + ": workload.inputs", "'" + dir + "'", "a directory holding " + FEATURES + " and "
                    + GnnSpec.weightNames(spec.model()));
        }
        return dir;
    }

    /** Features and weights from the {@code inputs} directory, each checked against the shape the model needs. */
    static GnnReference.Parameters read(LoadedScenario loaded, GnnSpec spec, int vertices) {
        Path dir = inputsDirectory(loaded, spec);
        GnnSpec.Model m = spec.model();
        float[] features = npy(loaded, dir.resolve(FEATURES), vertices, m.features());
        List<float[]> weights = new ArrayList<>();
        List<String> names = GnnSpec.weightNames(m);
        for (int i = 0; i < names.size(); i++) {
            weights.add(npy(loaded, dir.resolve(names.get(i)), m.kind().equals("gcn") && i == 0 ? m.features() : m.hidden(), m.hidden()));
        }
        return new GnnReference.Parameters(features, weights);
    }

    private static float[] npy(LoadedScenario loaded, Path file, int rows, int cols) {
        String where = loaded.source() + ": workload.inputs: " + file;
        Tensor t;
        try {
            t = Tensor.readNpyFloats(file.getFileName().toString(), java.nio.file.Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InputException(where, "missing; the inputs directory needs it");
        } catch (java.io.IOException e) {
            throw new InputException(where, "cannot be read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new InputException(where, e.getMessage());
        }
        if (t.shape().length != 2 || t.shape()[0] != rows || t.shape()[1] != cols) {
            throw new InputException(where, Arrays.toString(t.shape()), "of shape [" + rows + ", " + cols + "]");
        }
        return t.f32();
    }

    /** The scenario's graph: the edge-list file (relative to the scenario's directory), or R-MAT from the scenario seed. */
    static EdgeGraph graph(LoadedScenario loaded, GnnSpec spec) {
        GnnSpec.GraphSpec gs = spec.graph();
        if (gs.file() != null) return EdgeGraph.read(resolve(loaded, gs.file()), loaded.source() + ": workload.graph.file");
        return EdgeGraph.rmat(loaded.scenario().seed(), gs.vertices(), gs.edges(), gs.a(), gs.b(), gs.c());
    }

    private static Path resolve(LoadedScenario loaded, String file) {
        Path p = Path.of(file);
        Path base = Path.of(loaded.source()).toAbsolutePath().getParent();
        return p.isAbsolute() || base == null || loaded.source().startsWith("embedded ") ? p : base.resolve(p).normalize();
    }

    /**
     * The largest power of two that leaves no core without a chunk (at most ceil(vertices / cores)) and whose
     * Gather and ApplyVertex working set fits SRAM: an edge chunk C x C, the source chunk, the accumulator and
     * the result (ggnn: its GRU's five more C x hidden tiles), and the weights.
     */
    static int chosenChunk(GnnSpec.Model m, int vertices, int cores, long sramBytes) {
        long width = Math.max(m.features(), m.hidden());
        boolean gcn = m.kind().equals("gcn");
        long weights = gcn ? width * m.hidden() : (long) GnnReference.GGNN_WEIGHTS * m.hidden() * m.hidden();
        long perVertexTiles = gcn ? 3 * width + m.hidden() : 9L * m.hidden();
        for (long c = Long.highestOneBit((vertices + cores - 1) / cores); c > 1; c >>= 1) {
            if (DType.FP32.bytes(c * c + c * perVertexTiles + weights) <= sramBytes) return (int) Math.min(c, vertices);
        }
        return 1;
    }

    /** Seeded features [vertices x features] in [-1, 1) and weights uniform in [-1, 1) / sqrt(fan-in). */
    static GnnReference.Parameters parameters(long seed, GnnSpec.Model m, int vertices) {
        float[] features = Inputs.uniform(seed, 0, vertices, m.features());
        List<float[]> weights = new ArrayList<>();
        boolean gcn = m.kind().equals("gcn");
        int count = gcn ? m.layers() : GnnReference.GGNN_WEIGHTS;
        for (int i = 0; i < count; i++) {
            int in = gcn && i == 0 ? m.features() : m.hidden();
            float[] w = Inputs.uniform(seed, 1 + i, in, m.hidden());
            float scale = (float) (1 / Math.sqrt(in));
            for (int j = 0; j < w.length; j++) w[j] *= scale;
            weights.add(w);
        }
        return new GnnReference.Parameters(features, weights);
    }

    /** Vertex chunks, the cores they sit on, and the non-empty edge chunks by destination and by source. */
    static final class Chunks {
        final int size, count;
        final int[] owner;
        final int[][] sourcesOf;      // destination chunk -> source chunks with edges into it, ascending
        final int[][] destinationsOf; // source chunk -> destination chunks it has edges into, ascending

        Chunks(EdgeGraph g, int size, int cores, String placement, long seed) {
            this.size = size;
            this.count = (g.vertices() + size - 1) / size;
            int[] order = new int[count];
            for (int k = 0; k < count; k++) order[k] = k;
            if (placement.equals("hashed")) {
                SplittableRandom r = new SplittableRandom(SplitMix.streamState(seed, 0x3C6EF372FE94F82BL));
                for (int i = count - 1; i > 0; i--) {
                    int j = r.nextInt(i + 1), t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
            }
            owner = new int[count];
            for (int k = 0; k < count; k++) owner[k] = (int) ((long) order[k] * cores / count);
            sourcesOf = new int[count][];
            int[] outCount = new int[count];
            boolean[] seen = new boolean[count];
            int[] list = new int[count];
            for (int d = 0; d < count; d++) {
                int n = 0;
                for (int v = start(d); v < end(d, g.vertices()); v++) {
                    for (int e = g.offsets()[v]; e < g.offsets()[v + 1]; e++) {
                        int sc = g.sources()[e] / size;
                        if (!seen[sc]) {
                            seen[sc] = true;
                            list[n++] = sc;
                        }
                    }
                }
                int[] srcs = Arrays.copyOf(list, n);
                Arrays.sort(srcs);
                for (int sc : srcs) {
                    seen[sc] = false;
                    outCount[sc]++;
                }
                sourcesOf[d] = srcs;
            }
            destinationsOf = new int[count][];
            for (int k = 0; k < count; k++) destinationsOf[k] = new int[outCount[k]];
            int[] fill = new int[count];
            for (int d = 0; d < count; d++) for (int sc : sourcesOf[d]) destinationsOf[sc][fill[sc]++] = d;
        }

        int start(int k) { return k * size; }

        int end(int k, int vertices) { return Math.min(vertices, (k + 1) * size); }

        long blocks() {
            long b = 0;
            for (int[] srcs : sourcesOf) b += srcs.length;
            return b;
        }
    }

    /** A place in a core's banks. */
    record Address(int bank, long address) {}

    /** Tiles bump-allocated over each core's banks, round robin, with what is resident before the run. */
    static final class Banks {
        final int perCore;
        final long[] next;
        final int[] turn;
        final List<Map<Long, Tile>> contents = new ArrayList<>();

        Banks(int cores, int perCore) {
            this.perCore = perCore;
            this.next = new long[cores * perCore];
            this.turn = new int[cores];
            for (int i = 0; i < cores * perCore; i++) contents.add(new HashMap<>());
        }

        /** Room for a rows x cols fp32 tile in one of {@code core}'s banks; {@code resident}, if given, is there before the run. */
        Address place(int core, int rows, int cols, Tile resident) {
            int bank = core * perCore + turn[core]++ % perCore;
            long at = next[bank];
            next[bank] += DType.FP32.bytes((long) rows * cols);
            if (resident != null) contents.get(bank).put(at, resident);
            return new Address(bank, at);
        }
    }

    /** The per-core programs, the banks' contents, where the result is, and each layer's planned figures. */
    static final class Mapping {
        final List<Program> programs = new ArrayList<>();
        final List<Map<Long, Tile>> contents;
        final List<Plan.Placed> outputs = new ArrayList<>();
        final List<GnnReport.Planned> planned = new ArrayList<>();

        private final GnnSpec.Model model;
        private final EdgeGraph g;
        private final Chunks chunks;
        private final boolean gcn, full;
        private final int banksPerCore;
        private final Address[][] features;   // [layer][chunk]: h^layer of the chunk, layers 0 .. L
        private final Address[] messages;      // ggnn: h_S W_e of a chunk its own core gathers from
        private final Map<Long, Address> edgeChunks = new HashMap<>();
        private final Address[][] weights;    // [core][weight]
        private final int nodesPerChip, chips;
        private final Relays relays;          // ring streaming across chips, else null
        // per layer figures
        private long scatterMessages, scatterBytes, crossChipMessages, dramBytes;
        private long[] chunkDram;

        Mapping(Scenario s, GnnSpec.Model model, EdgeGraph g, Chunks chunks, GnnReference.Parameters p, boolean ring) {
            this.model = model;
            this.g = g;
            this.chunks = chunks;
            this.gcn = model.kind().equals("gcn");
            this.full = p != null;
            Fabric fabric = Fabric.of(s.hardware());
            int cores = fabric.endpoints();
            this.nodesPerChip = fabric.noc().nodes();
            this.chips = fabric.chips().count();
            this.banksPerCore = s.hardware().get(DramSpec.class).banksPerCore();
            Banks banks = new Banks(cores, banksPerCore);
            int layers = model.layers(), k = chunks.count;
            boolean[] active = new boolean[cores];
            for (int c = 0; c < k; c++) active[chunks.owner[c]] = true;
            weights = new Address[cores][];
            int count = gcn ? layers : GnnReference.GGNN_WEIGHTS;
            for (int core = 0; core < cores; core++) {
                if (!active[core]) continue;
                weights[core] = new Address[count];
                for (int w = 0; w < count; w++) {
                    int in = gcn && w == 0 ? model.features() : model.hidden();
                    weights[core][w] = banks.place(core, in, model.hidden(), full ? Tile.fp32(in, model.hidden(), p.weights().get(w)) : Tile.shape(in, model.hidden(), DType.FP32));
                }
            }
            features = new Address[layers + 1][k];
            messages = new Address[k];
            for (int c = 0; c < k; c++) {
                int rows = rows(c), core = chunks.owner[c];
                features[0][c] = banks.place(core, rows, model.features(),
                        Inputs.block(full ? p.features() : null, model.features(), chunks.start(c), 0, rows, model.features(), full));
                for (int l = 1; l <= layers; l++) features[l][c] = banks.place(core, rows, model.hidden(), null);
                if (!gcn && Arrays.stream(chunks.destinationsOf[c]).anyMatch(d -> chunks.owner[d] == core)) {
                    messages[c] = banks.place(core, rows, model.hidden(), null);
                }
                Address result = features[layers][c];
                outputs.add(new Plan.Placed(result.bank(), result.address(), chunks.start(c), 0));
            }
            for (int d = 0; d < k; d++) {
                for (int sc : chunks.sourcesOf[d]) edgeChunks.put(key(d, sc), banks.place(chunks.owner[d], rows(d), rows(sc), edgeTile(d, sc)));
            }
            this.relays = ring && chips > 1 ? new Relays(banks) : null;
            this.contents = banks.contents;
            List<List<Instruction>> code = new ArrayList<>();
            for (int core = 0; core < cores; core++) code.add(new ArrayList<>());
            for (int l = 0; l < layers; l++) {
                scatterMessages = scatterBytes = crossChipMessages = dramBytes = 0;
                chunkDram = new long[k];
                for (int core = 0; core < cores; core++) layer(core, l, code.get(core), active[core]);
                planned.add(new GnnReport.Planned(scatterMessages, scatterBytes, crossChipMessages, dramBytes, chunkDram));
            }
            for (List<Instruction> c : code) programs.add(Program.of(c));
        }

        private int rows(int chunk) {
            return chunks.end(chunk, g.vertices()) - chunks.start(chunk);
        }

        private static long key(int d, int s) {
            return (long) d << 32 | s;
        }

        /** The dense |D| x |S| edge chunk: GCN's normalisation, or 1, at (d, s) for each edge s -> d. */
        private Tile edgeTile(int d, int sc) {
            int rows = rows(d), cols = rows(sc);
            if (!full) return Tile.shape(rows, cols, DType.FP32);
            float[] a = new float[rows * cols];
            for (int v = chunks.start(d); v < chunks.end(d, g.vertices()); v++) {
                for (int e = g.offsets()[v]; e < g.offsets()[v + 1]; e++) {
                    int src = g.sources()[e];
                    if (src / chunks.size != sc) continue;
                    a[(v - chunks.start(d)) * cols + src - chunks.start(sc)] = gcn ? GnnReference.gcnCoefficient(g, src, v) : 1f;
                }
            }
            return Tile.fp32(rows, cols, a);
        }

        private int tag(int layer, int d, int s) {
            return (int) (((long) layer * chunks.count + d) * chunks.count + s);
        }

        /** The tag of source chunk {@code s} relayed to chip {@code chip}'s relay in layer {@code layer}: after every (layer, D, S). */
        private int relayTag(int layer, int chip, int s) {
            return (int) ((long) model.layers() * chunks.count * chunks.count + ((long) layer * chips + chip) * chunks.count + s);
        }

        private int chipOf(int core) { return core / nodesPerChip; }

        /**
         * NGra's ring streaming across chips: a source chunk goes once around the chips in chip order,
         * from its core's chip as far as the last chip that needs it; on each chip it passes a relay core
         * receives it, keeps a copy in its banks when the chip needs it, hands it to the chip's other
         * destination cores and passes it on. A chip's relay for chunk S is the core of its first
         * destination chunk of S, or its first core when it only passes S on.
         */
        final class Relays {
            final int[][] relay;   // [source chunk][chip]: the relay core, -1 when S does not pass the chip
            final int[] farthest;  // [source chunk]: ring steps from its chip to the last chip that needs it
            final Address[][] copy; // [source chunk][chip]: the relay's copy, when the chip needs S
            final List<List<int[]>> byCore = new ArrayList<>(); // [core]: the (ring step, source chunk) it relays, in program order

            Relays(Banks banks) {
                int k = chunks.count, width = Math.max(model.features(), model.hidden());
                relay = new int[k][chips];
                farthest = new int[k];
                copy = new Address[k][chips];
                for (int sc = 0; sc < k; sc++) {
                    int home = chipOf(chunks.owner[sc]);
                    Arrays.fill(relay[sc], -1);
                    for (int d : chunks.destinationsOf[sc]) {   // ascending: the first destination chunk on a chip is its relay
                        int chip = chipOf(chunks.owner[d]);
                        if (chip == home) continue;
                        if (relay[sc][chip] < 0) relay[sc][chip] = chunks.owner[d];
                        farthest[sc] = Math.max(farthest[sc], (chip - home + chips) % chips);
                    }
                    for (int step = 1; step <= farthest[sc]; step++) {
                        int chip = (home + step) % chips;
                        if (relay[sc][chip] >= 0) copy[sc][chip] = banks.place(relay[sc][chip], rows(sc), width, null);
                        else relay[sc][chip] = chip * nodesPerChip;   // passes it on only
                    }
                }
                for (int core = 0; core < chips * nodesPerChip; core++) byCore.add(new ArrayList<>());
                for (int step = 1; step < chips; step++) {   // step by step, chunks in id order: see relay()
                    for (int sc = 0; sc < k; sc++) {
                        if (step <= farthest[sc]) byCore.get(relay[sc][(chipOf(chunks.owner[sc]) + step) % chips]).add(new int[] {step, sc});
                    }
                }
            }

            /** The core that sends source chunk {@code sc} to the relay at ring step {@code step} (the chunk's own core at step 1). */
            int from(int sc, int step) {
                return step == 1 ? chunks.owner[sc] : relay[sc][(chipOf(chunks.owner[sc]) + step - 1) % chips];
            }

            /** Whether a destination core on {@code chip} receives {@code sc} from the chip's relay. */
            boolean relayed(int sc, int chip) {
                return chip != chipOf(chunks.owner[sc]) && relay[sc][chip] >= 0;
            }
        }

        private void send(List<Instruction> code, int slot, int from, int to, int tag, long bytes) {
            code.add(new Instruction.Send(slot, to, tag));
            scatterMessages++;
            scatterBytes += bytes;
            if (chipOf(from) != chipOf(to)) crossChipMessages++;
        }

        private void load(List<Instruction> code, int slot, Address at, int rows, int cols, int chunk) {
            code.add(new Instruction.Load(slot, at.bank() % banksPerCore, at.address(), rows, cols, DType.FP32));
            count(rows, cols, chunk);
        }

        private void store(List<Instruction> code, int slot, Address at, int rows, int cols, int chunk) {
            code.add(new Instruction.Store(slot, at.bank() % banksPerCore, at.address()));
            count(rows, cols, chunk);
        }

        private void count(int rows, int cols, int chunk) {
            long bytes = DType.FP32.bytes((long) rows * cols);
            dramBytes += bytes;
            if (chunk >= 0) chunkDram[chunk] += bytes;
        }

        /** One layer of {@code core}'s program: Scatter, then Gather and ApplyVertex per destination chunk. */
        private void layer(int core, int l, List<Instruction> code, boolean active) {
            int in = l == 0 ? model.features() : model.hidden(), h = model.hidden(), width = gcn ? in : h;
            if (active && !gcn && l == 0) {
                for (int w = 0; w < GnnReference.GGNN_WEIGHTS; w++) load(code, W0 + w, weights[core][w], h, h, -1);
            }
            for (int sc = 0; sc < chunks.count; sc++) {
                if (chunks.owner[sc] != core) continue;
                boolean remote = Arrays.stream(chunks.destinationsOf[sc]).anyMatch(d -> chunks.owner[d] != core);
                if (!remote && messages[sc] == null) continue;
                load(code, SOURCE, features[l][sc], rows(sc), in, sc);
                int sent = SOURCE;
                if (!gcn) {
                    code.add(new Instruction.Gemm(SOURCE, W0 + GnnReference.WE, MESSAGE, false));   // ApplyEdge
                    sent = MESSAGE;
                    if (messages[sc] != null) store(code, MESSAGE, messages[sc], rows(sc), h, sc);
                }
                long bytes = DType.FP32.bytes((long) rows(sc) * width);
                for (int d : chunks.destinationsOf[sc]) {
                    if (chunks.owner[d] == core || relays != null && relays.relayed(sc, chipOf(chunks.owner[d]))) continue;
                    send(code, sent, core, chunks.owner[d], tag(l, d, sc), bytes);
                }
                if (relays != null && relays.farthest[sc] > 0) {
                    int next = (chipOf(core) + 1) % chips;
                    send(code, sent, core, relays.relay[sc][next], relayTag(l, next, sc), bytes);
                }
            }
            if (relays != null) relay(core, l, width, code);
            code.add(new Instruction.Mark(GnnReport.scatterMark(l)));
            if (active && gcn) load(code, W0, weights[core][l], in, h, -1);
            for (int d = 0; d < chunks.count; d++) {
                if (chunks.owner[d] != core) continue;
                int[] srcs = chunks.sourcesOf[d];
                if (srcs.length == 0) {   // ggnn only (GCN has self-loops): nothing arrives, the sum is 0
                    load(code, STATE, features[l][d], rows(d), h, d);
                    code.add(new Instruction.Vector(new VectorOp.Scale(0f), ACC, STATE));
                }
                for (int i = 0; i < srcs.length; i++) {
                    int sc = srcs[i];
                    if (chunks.owner[sc] == core) load(code, RECEIVED, gcn ? features[l][sc] : messages[sc], rows(sc), width, d);
                    else if (relays != null && relays.relayed(sc, chipOf(core))) {
                        int relay = relays.relay[sc][chipOf(core)];
                        if (relay == core) load(code, RECEIVED, relays.copy[sc][chipOf(core)], rows(sc), width, d);
                        else code.add(new Instruction.Recv(RECEIVED, relay, tag(l, d, sc), rows(sc), width, DType.FP32));
                    } else code.add(new Instruction.Recv(RECEIVED, chunks.owner[sc], tag(l, d, sc), rows(sc), width, DType.FP32));
                    load(code, EDGES, edgeChunks.get(key(d, sc)), rows(d), rows(sc), d);
                    code.add(new Instruction.Gemm(EDGES, RECEIVED, ACC, i > 0));
                }
                code.add(new Instruction.Mark(GnnReport.gatherMark(l)));
                if (gcn) {
                    code.add(new Instruction.Gemm(ACC, W0, OUT, false));
                    if (l < model.layers() - 1) code.add(new Instruction.Vector(new VectorOp.Activation(VectorMath.Activation.RELU), OUT, OUT));
                } else {
                    gru(code, d, l, srcs.length > 0);
                }
                store(code, OUT, features[l + 1][d], rows(d), h, d);
                code.add(new Instruction.Mark(GnnReport.applyMark(l)));
            }
            code.add(new Instruction.Mark(GnnReport.endMark(l)));
        }

        /**
         * The relaying {@code core} does in layer {@code l}'s Scatter, ring step by ring step, chunks in id order
         * within a step: receive a source chunk from the previous chip, keep a copy when its chip needs it, hand
         * it to the chip's other destination cores and pass it on. A receive at step j waits only for sends of
         * step j - 1 (or Scatter's own), so the relays cannot deadlock.
         */
        private void relay(int core, int l, int width, List<Instruction> code) {
            int chip = chipOf(core);
            for (int[] job : relays.byCore.get(core)) {
                int step = job[0], sc = job[1];
                code.add(new Instruction.Recv(RECEIVED, relays.from(sc, step), relayTag(l, chip, sc), rows(sc), width, DType.FP32));
                long bytes = DType.FP32.bytes((long) rows(sc) * width);
                Address copy = relays.copy[sc][chip];
                if (copy != null) store(code, RECEIVED, copy, rows(sc), width, sc);
                for (int d : chunks.destinationsOf[sc]) {
                    int to = chunks.owner[d];
                    if (chipOf(to) == chip && to != core) send(code, RECEIVED, core, to, tag(l, d, sc), bytes);
                }
                if (step < relays.farthest[sc]) {
                    int next = (chip + 1) % chips;
                    send(code, RECEIVED, core, relays.relay[sc][next], relayTag(l, next, sc), bytes);
                }
            }
        }

        /** GGNN's ApplyVertex, as {@link GnnReference#applyVertexGgnn}: h' = h + z * (c - h). */
        private void gru(List<Instruction> code, int d, int l, boolean loadState) {
            if (loadState) load(code, STATE, features[l][d], rows(d), model.hidden(), d);
            VectorOp sigmoid = new VectorOp.Activation(VectorMath.Activation.SIGMOID), tanh = new VectorOp.Activation(VectorMath.Activation.TANH);
            code.add(new Instruction.Gemm(ACC, W0 + GnnReference.WZ, Z, false));
            code.add(new Instruction.Gemm(STATE, W0 + GnnReference.UZ, Z, true));
            code.add(new Instruction.Vector(sigmoid, Z, Z));
            code.add(new Instruction.Gemm(ACC, W0 + GnnReference.WR, R, false));
            code.add(new Instruction.Gemm(STATE, W0 + GnnReference.UR, R, true));
            code.add(new Instruction.Vector(sigmoid, R, R));
            code.add(new Instruction.Elementwise(Instruction.Op.MUL, R, STATE, TEMP));               // r * h
            code.add(new Instruction.Gemm(ACC, W0 + GnnReference.WH, CANDIDATE, false));
            code.add(new Instruction.Gemm(TEMP, W0 + GnnReference.UH, CANDIDATE, true));
            code.add(new Instruction.Vector(tanh, CANDIDATE, CANDIDATE));
            code.add(new Instruction.Vector(new VectorOp.Scale(-1f), TEMP, STATE));                   // -h, exact
            code.add(new Instruction.Elementwise(Instruction.Op.ADD, CANDIDATE, TEMP, CANDIDATE));    // c - h
            code.add(new Instruction.Elementwise(Instruction.Op.MUL, Z, CANDIDATE, CANDIDATE));       // z * (c - h)
            code.add(new Instruction.Elementwise(Instruction.Op.ADD, STATE, CANDIDATE, OUT));         // h + z * (c - h)
        }
    }
}
