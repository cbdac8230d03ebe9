package org.meshemu.workloads.gnn;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.meshemu.kernel.SplitMix;
import org.meshemu.scenario.InputException;

/**
 * A directed graph without duplicate edges, stored by destination: the sources of vertex d's incoming
 * edges are {@code sources[offsets[d] .. offsets[d + 1])}, ascending. That order is the order Gather sums
 * in, on the chip and in the reference. A self-loop in the input is an edge like any other; a vertex may
 * have no edges at all.
 */
public record EdgeGraph(int vertices, int[] offsets, int[] sources) {

    public long edges() {
        return sources.length;
    }

    public int inDegree(int d) {
        return offsets[d + 1] - offsets[d];
    }

    /** The graph with one self-loop at every vertex (kept once where the input already has it): GCN's A + I. */
    public EdgeGraph withSelfLoops() {
        long[] keys = new long[sources.length + vertices];
        int n = 0;
        for (int d = 0; d < vertices; d++) {
            for (int e = offsets[d]; e < offsets[d + 1]; e++) keys[n++] = key(sources[e], d);
            keys[n++] = key(d, d);
        }
        return of(vertices, keys, n);
    }

    /**
     * R-MAT (Chakrabarti et al.): each of {@code draws} edges descends log2 of the next power of two of
     * {@code vertices} levels, choosing quadrant (src bit, dst bit) = (0, 0), (0, 1), (1, 0), (1, 1) with
     * probabilities a, b, c, 1 - a - b - c; a draw outside [0, vertices) is drawn again. Duplicates are
     * merged, so the graph has at most {@code draws} edges.
     */
    public static EdgeGraph rmat(long seed, int vertices, long draws, double a, double b, double c) {
        int levels = 32 - Integer.numberOfLeadingZeros(Math.max(1, vertices - 1));
        if (vertices == 1) levels = 0;
        SplittableRandom random = new SplittableRandom(SplitMix.streamState(seed, 0x6A09E667F3BCC909L));
        long[] keys = new long[Math.toIntExact(draws)];
        for (int i = 0; i < keys.length; i++) {
            int src, dst, tries = 0;
            do {
                if (++tries > 10_000) {
                    throw new InputException("workload.graph", "a=" + a + ", b=" + b + ", c=" + c,
                            "quadrant probabilities that reach vertex ids below " + vertices);
                }
                src = 0;
                dst = 0;
                for (int level = 0; level < levels; level++) {
                    double r = random.nextDouble();
                    int sb = r < a + b ? 0 : 1;
                    int db = r < a || (r >= a + b && r < a + b + c) ? 0 : 1;
                    src = src << 1 | sb;
                    dst = dst << 1 | db;
                }
            } while (src >= vertices || dst >= vertices);
            keys[i] = key(src, dst);
        }
        return of(vertices, keys, keys.length);
    }

    /**
     * Reads an edge list: one {@code src dst} pair of non-negative vertex ids per line, {@code #} starting a
     * comment, blank lines ignored. The vertices are 0 .. the largest id. A bad line fails naming the
     * scenario field ({@code field}, with the scenario file), the edge file and the line.
     */
    public static EdgeGraph read(Path file, String field) {
        long[] keys = new long[1024];
        int n = 0, maxId = -1, lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                int hash = line.indexOf('#');
                String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (text.isEmpty()) continue;
                String[] parts = text.split("\\s+");
                int src = parts.length == 2 ? id(parts[0]) : -1, dst = parts.length == 2 ? id(parts[1]) : -1;
                if (src < 0 || dst < 0) {
                    throw new InputException(field + ": " + file + ":" + lineNo, "'" + line.strip() + "'",
                            "'src dst', two vertex ids in [0, " + GnnSpec.GraphSpec.MAX_VERTICES + ") ('#' starts a comment)");
                }
                if (n == keys.length) {
                    if (n >= GnnSpec.GraphSpec.MAX_EDGES) throw new InputException(field + ": " + file + ":" + lineNo, "more than " + n + " edges", "at most " + n);
                    keys = Arrays.copyOf(keys, 2 * n);
                }
                keys[n++] = key(src, dst);
                maxId = Math.max(maxId, Math.max(src, dst));
            }
        } catch (NoSuchFileException e) {
            throw new InputException(field, "'" + file + "'", "an edge-list file (not found)");
        } catch (IOException e) {
            throw new InputException(field, "'" + file + "'", "a readable edge-list file (" + e.getMessage() + ")");
        }
        if (maxId < 0) throw new InputException(field, "'" + file + "'", "an edge-list file with at least one edge");
        return of(maxId + 1, keys, n);
    }

    /** A vertex id, or -1 if the text is not one. */
    private static int id(String text) {
        if (text.isEmpty() || text.length() > 9) return -1;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) < '0' || text.charAt(i) > '9') return -1;
        int v = Integer.parseInt(text);
        return v < GnnSpec.GraphSpec.MAX_VERTICES ? v : -1;
    }

    /** Sorted by destination, then source: the Gather order. */
    private static long key(int src, int dst) {
        return (long) dst << 32 | src;
    }

    private static EdgeGraph of(int vertices, long[] keys, int n) {
        long[] sorted = Arrays.copyOf(keys, n);
        Arrays.sort(sorted);
        int[] offsets = new int[vertices + 1];
        int[] sources = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && sorted[i] == sorted[i - 1]) continue;
            int dst = (int) (sorted[i] >>> 32);
            offsets[dst + 1]++;
            sources[m++] = (int) sorted[i];
        }
        for (int d = 0; d < vertices; d++) offsets[d + 1] += offsets[d];
        return new EdgeGraph(vertices, offsets, Arrays.copyOf(sources, m));
    }
}
