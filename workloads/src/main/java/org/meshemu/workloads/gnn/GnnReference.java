package org.meshemu.workloads.gnn;

import java.util.List;
import org.meshemu.aicore.VectorMath;

/**
 * The plain-Java GNN: each layer is NGra's SAGA-NN written straight, one method per stage, over the
 * whole graph at once, independently of chunks, cores and placement. Vertex data are rows: h is
 * [vertices x width], row-major. Gather sums each destination's incoming edges in ascending source
 * order, from 0, in fp32, which is the order the chip's accumulating products follow.
 */
public final class GnnReference {
    private GnnReference() {}

    /** The model's parameters: the input features [vertices x features] and the weights, each [in x out] row-major. */
    public record Parameters(float[] features, List<float[]> weights) {}

    /** GGNN's weights, in {@link Parameters#weights} order: message, then update, reset and candidate (input, state). */
    public static final int WE = 0, WZ = 1, UZ = 2, WR = 3, UR = 4, WH = 5, UH = 6, GGNN_WEIGHTS = 7;

    /** The final vertex features [vertices x hidden]. */
    public static float[] run(GnnSpec.Model model, EdgeGraph graph, Parameters p) {
        boolean gcn = model.kind().equals("gcn");
        EdgeGraph g = gcn ? graph.withSelfLoops() : graph;
        float[] h = p.features();
        int width = model.features();
        for (int layer = 0; layer < model.layers(); layer++) {
            float[][] messages = scatter(g, h, width);
            if (gcn) applyEdgeGcn(g, messages);
            else messages = applyEdgeGgnn(messages, p.weights().get(WE), width);
            float[] gathered = gather(g, messages, width);
            h = gcn ? applyVertexGcn(gathered, p.weights().get(layer), g.vertices(), width, model.hidden(), layer < model.layers() - 1)
                    : applyVertexGgnn(gathered, h, p.weights(), g.vertices(), width);
            width = model.hidden();
        }
        return h;
    }

    /** Scatter: each edge (in Gather order) carries a copy of its source's row. */
    static float[][] scatter(EdgeGraph g, float[] h, int width) {
        float[][] m = new float[(int) g.edges()][];
        for (int e = 0; e < m.length; e++) {
            int s = g.sources()[e];
            m[e] = java.util.Arrays.copyOfRange(h, s * width, (s + 1) * width);
        }
        return m;
    }

    /** GCN's ApplyEdge: the message times the edge's normalisation 1 / sqrt(deg(d) deg(s)) (degrees of A + I). */
    static void applyEdgeGcn(EdgeGraph g, float[][] m) {
        for (int d = 0; d < g.vertices(); d++) {
            for (int e = g.offsets()[d]; e < g.offsets()[d + 1]; e++) {
                float c = gcnCoefficient(g, g.sources()[e], d);
                for (int f = 0; f < m[e].length; f++) m[e][f] = c * m[e][f];
            }
        }
    }

    /** GGNN's ApplyEdge: a matrix product per edge, m_e = h_src . W_e. */
    static float[][] applyEdgeGgnn(float[][] m, float[] we, int width) {
        float[][] out = new float[m.length][];
        for (int e = 0; e < m.length; e++) out[e] = matmul(m[e], we, 1, width, width, null);
        return out;
    }

    /** Gather: each destination's sum of its incoming messages, in ascending source order, from 0. */
    static float[] gather(EdgeGraph g, float[][] m, int width) {
        float[] acc = new float[g.vertices() * width];
        for (int d = 0; d < g.vertices(); d++) {
            for (int e = g.offsets()[d]; e < g.offsets()[d + 1]; e++) {
                for (int f = 0; f < width; f++) acc[d * width + f] += m[e][f];
            }
        }
        return acc;
    }

    /** GCN's ApplyVertex: a W, then ReLU unless it is the last layer. */
    static float[] applyVertexGcn(float[] a, float[] w, int vertices, int in, int out, boolean relu) {
        float[] h = matmul(a, w, vertices, in, out, null);
        if (relu) for (int i = 0; i < h.length; i++) h[i] = VectorMath.Activation.RELU.apply(h[i]);
        return h;
    }

    /**
     * GGNN's ApplyVertex, a GRU: z = sigmoid(a Wz + h Uz), r = sigmoid(a Wr + h Ur),
     * c = tanh(a Wh + (r * h) Uh), h' = h + z * (c - h).
     */
    static float[] applyVertexGgnn(float[] a, float[] h, List<float[]> w, int vertices, int width) {
        float[] z = matmul(h, w.get(UZ), vertices, width, width, matmul(a, w.get(WZ), vertices, width, width, null));
        float[] r = matmul(h, w.get(UR), vertices, width, width, matmul(a, w.get(WR), vertices, width, width, null));
        float[] rh = new float[h.length];
        for (int i = 0; i < h.length; i++) {
            z[i] = VectorMath.Activation.SIGMOID.apply(z[i]);
            rh[i] = VectorMath.Activation.SIGMOID.apply(r[i]) * h[i];
        }
        float[] c = matmul(rh, w.get(UH), vertices, width, width, matmul(a, w.get(WH), vertices, width, width, null));
        float[] out = new float[h.length];
        for (int i = 0; i < h.length; i++) out[i] = h[i] + z[i] * (VectorMath.Activation.TANH.apply(c[i]) - h[i]);
        return out;
    }

    /** GCN's edge weight for the edge s -> d of a graph with self-loops: 1 / sqrt(in-degree(d) in-degree(s)). */
    public static float gcnCoefficient(EdgeGraph withLoops, int s, int d) {
        return (float) (1.0 / Math.sqrt((double) withLoops.inDegree(d) * withLoops.inDegree(s)));
    }

    /** (acc == null ? 0 : acc) + x[m x k] . w[k x n], each element summed over k ascending. */
    static float[] matmul(float[] x, float[] w, int m, int k, int n, float[] acc) {
        float[] y = acc == null ? new float[m * n] : acc;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = y[i * n + j];
                for (int p = 0; p < k; p++) s += x[i * k + p] * w[p * n + j];
                y[i * n + j] = s;
            }
        }
        return y;
    }
}
