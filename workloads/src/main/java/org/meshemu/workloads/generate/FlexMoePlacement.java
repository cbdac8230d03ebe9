package org.meshemu.workloads.generate;

import java.util.ArrayList;
import java.util.List;

/**
 * Dynamic placement in the spirit of FlexMoE (Nie et al., SIGMOD 2023): experts start on their
 * {@link LinearPlacement linear} homes; before every {@code every}-th decode step each layer looks at the tokens
 * each expert received so far, the blocks before each earlier rebalance counting half as much (an exponential
 * average that follows a drifting ranking and does not churn on a steady one), and fills the groups' spare slots ({@code slots} per group, homes
 * included) with replicas of the hottest experts, greedily: the expert with the most tokens per replica gains a
 * replica on the least loaded group with a free slot that does not hold it (a group that held it before first:
 * nothing to copy), as long as that group stays below the busiest of the expert's holders. Replicas that the new
 * plan drops are freed (FlexMoE's shrink); new ones are copied from a holder on the target's chip if there is one,
 * else from the home (expand and migrate), as {@link ExpertMap.Move}s that the lowering turns into real weight
 * traffic. Homes never move, so every expert always has a copy.
 */
public final class FlexMoePlacement implements PlacementPolicy {
    @Override public String name() { return "flexmoe"; }

    @Override
    public String[] unfit(Problem p) {
        if (p.slots() <= p.homesPerGroup()) {
            return new String[] {"slots", "more expert slots per group than the " + p.homesPerGroup() + " homes " + p.experts() + " experts need on "
                    + p.groups() + " groups (flexmoe replicates into the spare ones)"};
        }
        return null;
    }

    @Override
    public List<ExpertMap> place(Problem p, List<Block> blocks) {
        int experts = p.experts(), every = p.spec().every();
        int[] home = new int[experts];
        for (int e = 0; e < experts; e++) home[e] = LinearPlacement.home(e, experts, p.groups());
        int[][] current = ExpertMap.homes("", p.groups(), home).replicas();
        double[] load = new double[experts];
        List<ExpertMap> maps = new ArrayList<>();
        for (Block b : blocks) {
            List<ExpertMap.Move> moves = List.of();
            if (b.decodeStep() > 0 && b.decodeStep() % every == 0) {
                int[][] next = rebalance(p, home, current, load);
                moves = moves(p, home, current, next);
                current = next;
                for (int e = 0; e < experts; e++) load[e] /= 2;                  // older blocks count half as much at each rebalance
            }
            maps.add(new ExpertMap(b.label(), p.groups(), current, moves));
            for (int[] route : b.routes()) for (int e : route) load[e]++;    // seen after the block ran: only the past decides
        }
        return maps;
    }

    /** The greedy replica plan for the loads since the last rebalance (see the class comment). */
    private static int[][] rebalance(Problem p, int[] home, int[][] previous, double[] load) {
        int experts = p.experts(), groups = p.groups();
        List<List<Integer>> replicas = new ArrayList<>();
        int[] used = new int[groups];
        double[] groupLoad = new double[groups];
        for (int e = 0; e < experts; e++) {
            replicas.add(new ArrayList<>(List.of(home[e])));
            used[home[e]]++;
            groupLoad[home[e]] += load[e];
        }
        boolean[] settled = new boolean[experts];
        for (int spare = groups * p.slots() - experts; spare > 0; ) {
            int hot = -1;
            for (int e = 0; e < experts; e++) {
                if (!settled[e] && load[e] > 0 && (hot < 0 || share(load, replicas, e) > share(load, replicas, hot))) hot = e;
            }
            if (hot < 0) break;
            List<Integer> holders = replicas.get(hot);
            int target = -1;
            for (int g = 0; g < groups; g++) {
                if (used[g] >= p.slots() || holders.contains(g)) continue;
                if (target < 0 || better(g, target, held(previous[hot], g), held(previous[hot], target), groupLoad)) target = g;
            }
            double before = share(load, replicas, hot), after = load[hot] / (holders.size() + 1);
            double busiest = holders.stream().mapToDouble(g -> groupLoad[g]).max().orElseThrow();
            if (target < 0 || groupLoad[target] + after >= busiest) {
                settled[hot] = true;
                continue;
            }
            for (int g : holders) groupLoad[g] -= before - after;
            holders.add(target);
            groupLoad[target] += after;
            used[target]++;
            spare--;
        }
        int[][] plan = new int[experts][];
        for (int e = 0; e < experts; e++) plan[e] = replicas.get(e).stream().mapToInt(Integer::intValue).toArray();
        return plan;
    }

    private static double share(double[] load, List<List<Integer>> replicas, int e) {
        return (double) load[e] / replicas.get(e).size();
    }

    /** Group a before b as a replica's target: a former holder first (no copy), then the lighter, then the lower index. */
    private static boolean better(int a, int b, boolean heldA, boolean heldB, double[] groupLoad) {
        if (heldA != heldB) return heldA;
        if (groupLoad[a] != groupLoad[b]) return groupLoad[a] < groupLoad[b];
        return a < b;
    }

    private static boolean held(int[] holders, int g) {
        for (int h : holders) if (h == g) return true;
        return false;
    }

    /** The copies that turn {@code previous} into {@code next}: each new replica from a holder on its chip, else the home. */
    private static List<ExpertMap.Move> moves(Problem p, int[] home, int[][] previous, int[][] next) {
        List<ExpertMap.Move> moves = new ArrayList<>();
        for (int e = 0; e < next.length; e++) {
            for (int g : next[e]) {
                if (held(previous[e], g)) continue;
                int from = home[e];
                for (int h : previous[e]) {
                    if (p.chipOfGroup()[h] == p.chipOfGroup()[g]) {
                        from = h;
                        break;
                    }
                }
                moves.add(new ExpertMap.Move(e, from, g));
            }
        }
        return moves;
    }
}
