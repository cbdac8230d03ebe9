package org.meshemu.workloads.traffic;

/** The shipped {@link TrafficPattern}s, as BookSim's patterns of the same names. */
public final class TrafficPatterns {
    private TrafficPatterns() {}

    /** Every endpoint, itself included, equally likely. */
    public static final class Uniform implements TrafficPattern {
        @Override public String name() { return "uniform"; }

        @Override public Destinations over(Params p) { return (s, r) -> r.nextInt(p.nodes()); }
    }

    /** (x, y) to (y, x); needs a square grid; diagonal endpoints send to themselves. */
    public static final class Transpose implements TrafficPattern {
        @Override public String name() { return "transpose"; }

        @Override public Destinations over(Params p) { return (s, r) -> (s % p.width()) * p.width() + s / p.width(); }
    }

    /** (x, y) to (width-1-x, height-1-y): the complement of every address bit when width and height are powers of two. */
    public static final class BitComplement implements TrafficPattern {
        @Override public String name() { return "bit-complement"; }

        @Override public Destinations over(Params p) { return (s, r) -> p.nodes() - 1 - s; }
    }

    /** A hotspot (uniformly among them) with probability hotspotFraction, else uniform. */
    public static final class Hotspot implements TrafficPattern {
        @Override public String name() { return "hotspot"; }

        @Override public Destinations over(Params p) {
            return (s, r) -> r.nextDouble() < p.hotspotFraction() ? p.hotspots().get(r.nextInt(p.hotspots().size())) : r.nextInt(p.nodes());
        }
    }

    /** (x, y) to (x+1, y+1), wrapping. */
    public static final class Neighbor implements TrafficPattern {
        @Override public String name() { return "neighbor"; }

        @Override public Destinations over(Params p) {
            return (s, r) -> ((s / p.width() + 1) % p.height()) * p.width() + (s % p.width() + 1) % p.width();
        }
    }
}
