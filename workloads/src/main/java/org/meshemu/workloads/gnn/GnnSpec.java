package org.meshemu.workloads.gnn;

import java.util.List;
import org.meshemu.scenario.Check;
import org.meshemu.scenario.FieldException;

/**
 * The {@code workload} section of {@code kind: gnn}.
 *
 * @param model         the network: its kind, layers and widths
 * @param graph         the graph: seeded R-MAT or an edge-list file
 * @param chunkVertices vertices per chunk; 0: the largest power of two whose working set fits the core's SRAM
 * @param placement     how vertex chunks go to cores: {@code contiguous} (chunk k on core floor(k P / K)) or
 *                      {@code hashed} (the same, after a seeded shuffle of the chunks)
 * @param inputs        null: seeded features and weights; else a directory (relative to the scenario's) holding
 *                      them as float32 NumPy files, {@code features.npy} [vertices x features] and one file per
 *                      weight ({@link #weightNames}), each [in x hidden]
 * @param streaming     how a source chunk reaches destination cores on other chips: {@code direct} (one message
 *                      per destination core) or {@code ring} (NGra's ring streaming: once around the chips in
 *                      chip order, each chip's relay core passing it on and handing it to the chip's cores)
 */
public record GnnSpec(Model model, GraphSpec graph, int chunkVertices, String placement, String inputs, String streaming) {
    public static final List<String> PLACEMENTS = List.of("contiguous", "hashed");
    public static final List<String> STREAMINGS = List.of("direct", "ring");

    public GnnSpec {
        Check.present("model", model);
        Check.present("graph", graph);
        Check.atLeast("chunkVertices", chunkVertices, 0);
        Check.oneOf("placement", placement, PLACEMENTS);
        Check.oneOf("streaming", streaming, STREAMINGS);
    }

    /** The weight files of an {@link #inputs} directory, in the reference's order. */
    public static List<String> weightNames(Model m) {
        if (m.kind().equals("ggnn")) return List.of("w_e.npy", "w_z.npy", "u_z.npy", "w_r.npy", "u_r.npy", "w_h.npy", "u_h.npy");
        return java.util.stream.IntStream.range(0, m.layers()).mapToObj(l -> "w" + l + ".npy").toList();
    }

    /**
     * The network. {@code gcn}: each layer H' = act(Â H W) with Â the symmetrically normalised adjacency
     * with self-loops (ReLU between layers, none after the last). {@code ggnn}: {@code layers} propagation
     * steps of a gated graph network sharing one set of weights (messages h_u W_e, a GRU update), so
     * {@code features} must equal {@code hidden}.
     */
    public record Model(String kind, int layers, int hidden, int features) {
        public static final List<String> KINDS = List.of("gcn", "ggnn");

        public Model {
            Check.oneOf("kind", kind, KINDS);
            Check.atLeast("layers", layers, 1);
            Check.atLeast("hidden", hidden, 1);
            Check.atLeast("features", features, 1);
            if (kind.equals("ggnn") && features != hidden) {
                throw new FieldException("features", features, "equal to hidden (" + hidden + ") for ggnn, whose state is its features");
            }
        }
    }

    /**
     * The graph: R-MAT over {@code vertices} with {@code edges} draws (quadrant probabilities a, b, c and
     * 1 - a - b - c), or, when {@code file} is given, the edge list in that file (relative to the scenario's
     * directory), whose vertices are 0 .. the largest id; the generator's fields then do not apply.
     */
    public record GraphSpec(String kind, int vertices, long edges, double a, double b, double c, String file) {
        public static final int MAX_VERTICES = 1 << 26;
        public static final long MAX_EDGES = 1L << 28;

        public GraphSpec {
            Check.oneOf("kind", kind, List.of("rmat"));
            Check.atLeast("vertices", vertices, 1);
            if (vertices > MAX_VERTICES) throw new FieldException("vertices", vertices, "<= " + MAX_VERTICES);
            Check.atLeast("edges", edges, 0);
            if (edges > MAX_EDGES) throw new FieldException("edges", edges, "<= " + MAX_EDGES);
            probability("a", a);
            probability("b", b);
            probability("c", c);
            if (a + b + c > 1 + 1e-12) throw new FieldException("c", c, "a + b + c <= 1 (d = 1 - a - b - c), got a + b + c = " + (a + b + c));
        }

        private static void probability(String field, double p) {
            if (!(p >= 0 && p <= 1)) throw new FieldException(field, p, "a probability in [0, 1]");
        }
    }
}
