package org.meshemu.noc;

/**
 * How a {@link VcRouter}'s virtual channels split into classes so that finite buffers cannot
 * deadlock (Dally and Towles, ch. 14): class k owns VCs floor(k V / C) .. floor((k+1) V / C) - 1
 * of every output, and a packet's class only ever grows along its route, so a cycle of waiting
 * would have to lie within one class, whose channel dependencies each rule keeps acyclic.
 * Outputs are the router's output numbers; input -1 is the local network interface, whose
 * packets start in class 0.
 */
sealed interface VcClasses {
    /** Classes C. */
    int count();

    /** The class a packet of class {@code current} that came in on {@code input} takes on output {@code output}. */
    int next(int input, int current, int output);

    /** One class: a mesh with dimension-order routing has no cyclic channel dependency. */
    VcClasses NONE = new One();

    record One() implements VcClasses {
        @Override public int count() { return 1; }

        @Override public int next(int input, int current, int output) { return 0; }
    }

    /**
     * Dateline classes of a torus chip ({@code wraps}: per output, whether its link closes its
     * ring): a packet takes class 0 until it crosses the wrap-around link of a dimension, class 1
     * from there to the end of that dimension (outputs 2d and 2d + 1 are dimension d's, as
     * {@link Grid2d#DIRECTIONS}); X and Y channels are distinct, so the two classes serve both.
     */
    record TorusDateline(boolean[] wraps) implements VcClasses {
        @Override public int count() { return 2; }

        @Override
        public int next(int input, int current, int output) {
            boolean straight = input >= 0 && input / 2 == output / 2;
            return wraps[output] || (straight && current == 1) ? 1 : 0;
        }
    }

    /**
     * Classes of chips joined in a grid (a ring, a mesh or a torus of mesh chips), for a route
     * that crosses chip links of the first chip dimension, then of the second: on-chip segments
     * of every chip are shared by packets in every phase of their routes, so the class names the
     * chip dimension the packet last crossed and, where the chips wrap around, whether it has
     * crossed that dimension's dateline: class = dimension x (wrapping ? 2 : 1) + (past the
     * dateline ? 1 : 0). A packet keeps its class on-chip (to its destination, too) and takes a
     * new one on a chip link. Per output, {@code dimension} is the chip dimension of a chip link
     * (-1 on-chip) and {@code wraps} whether it closes its ring of chips.
     */
    record ChipDateline(int[] dimension, boolean[] wraps, int dimensions, boolean wrapping) implements VcClasses {
        @Override public int count() { return dimensions * (wrapping ? 2 : 1); }

        @Override
        public int next(int input, int current, int output) {
            int d = dimension[output];
            if (d < 0) return current;
            if (!wrapping) return d;
            int low = 2 * d;
            return wraps[output] || current == low + 1 ? low + 1 : low;
        }
    }
}
