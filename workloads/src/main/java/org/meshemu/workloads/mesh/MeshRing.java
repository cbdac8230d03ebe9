package org.meshemu.workloads.mesh;

/**
 * A logical ring of P positions laid on a line of P cores so that ring neighbours are at most two
 * hops apart (MeshGEMM's interleaving): even positions ascending, then odd ones descending, e.g.
 * 0 2 4 6 7 5 3 1 for P = 8. A plain ring would need a (P-1)-hop wrap-around link on a mesh.
 */
public final class MeshRing {
    private final int[] physical; // ring index -> physical position
    private final int[] logical;  // physical position -> ring index

    public MeshRing(int size) {
        if (size < 1) throw new IllegalArgumentException("ring size must be >= 1, got " + size);
        physical = new int[size];
        int i = 0;
        for (int p = 0; p < size; p += 2) physical[i++] = p;
        for (int p = size - 1 - (size % 2 == 0 ? 0 : 1); p >= 1; p -= 2) physical[i++] = p;
        logical = new int[size];
        for (int r = 0; r < size; r++) logical[physical[r]] = r;
    }

    /**
     * Nodes [0, n) of a row-major mesh {@code width} nodes wide (node = y * width + x), in ring order:
     * the ring above laid over the boustrophedon line (row 0 left to right, row 1 right to left, ...),
     * whose consecutive nodes are mesh neighbours, so ring neighbours are at most two hops apart (also
     * around a row's end). Only a partial last row after an odd number of full rows breaks this: it
     * starts at column 0 while the row before ended at the far side.
     */
    public static int[] onMesh(int width, int n) {
        if (width < 1) throw new IllegalArgumentException("mesh width must be >= 1, got " + width);
        int[] line = new int[n];
        for (int i = 0; i < n; i++) {
            int y = i / width, x = i % width;
            int rowEnd = Math.min(n, (y + 1) * width) - y * width;   // nodes of row y that are in [0, n)
            line[i] = y * width + (y % 2 == 0 ? x : rowEnd - 1 - x);
        }
        MeshRing ring = new MeshRing(n);
        int[] order = new int[n];
        for (int r = 0; r < n; r++) order[r] = line[ring.physical(r)];
        return order;
    }

    public int size() { return physical.length; }

    /** Physical position of ring index {@code r} (taken modulo the size). */
    public int physical(int r) { return physical[Math.floorMod(r, physical.length)]; }

    /** Ring index of physical position {@code p}. */
    public int logical(int p) { return logical[p]; }
}
