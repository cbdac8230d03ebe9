package org.meshemu.dashboards;

import java.util.ArrayList;
import java.util.List;
import org.meshemu.kernel.Assembly;
import org.meshemu.kernel.ComponentProbe;
import org.meshemu.kernel.PartitionSample;
import org.meshemu.kernel.Work;

/**
 * Reads one partition's components at a barrier into a {@link PartitionSample}, in one pass: the
 * busy time and bytes of every core, link and bank (summed by kind, and by component id into
 * arrays when the caller keeps them), and the workload's work done (read only from the components
 * of the kind that does it). Used by the launcher's
 * {@link LiveRun} and by the nodes of a cluster ({@link NodeSampler}).
 */
final class PartitionSampler {
    private static final Layer[] LAYERS = Layer.values();
    /** Component id -> the ordinal of the layer showing its kind, -1 for kinds no layer shows. */
    final byte[] layerOf;
    /** Component id -> whether it does the workload's work. */
    private final boolean[] works;

    /** {@code work}: the workload's length (null: unknown, no work is read). */
    PartitionSampler(Assembly assembly, Work work) {
        layerOf = new byte[assembly.size()];
        works = new boolean[assembly.size()];
        for (int id = 0; id < layerOf.length; id++) {
            String kind = assembly.kind(id);
            layerOf[id] = -1;
            for (Layer l : LAYERS) if (l.kind.equals(kind)) layerOf[id] = (byte) l.ordinal();
            works[id] = work != null && work.kind().equals(kind);
        }
    }

    /** The work done by the partition's components now. */
    long work(ComponentProbe probe) {
        long work = 0;
        for (int i = 0, n = probe.size(); i < n; i++) if (works[probe.id(i)]) work += probe.work(i);
        return work;
    }

    /**
     * The partition's figures now, as seen from {@code node}; with {@code busy} and {@code bytes}
     * not null, each core's, link's and bank's figures are also stored there by component id.
     */
    PartitionSample sample(ComponentProbe probe, String node, long[] busy, long[] bytes) {
        int[] count = new int[LAYERS.length];
        long[] busySum = new long[LAYERS.length], bytesSum = new long[LAYERS.length];
        long work = 0;
        for (int i = 0, n = probe.size(); i < n; i++) {
            int id = probe.id(i);
            if (works[id]) work += probe.work(i);
            int l = layerOf[id];
            if (l < 0) continue;
            long b = probe.busyPs(i), x = probe.bytes(i);
            count[l]++;
            busySum[l] += b;
            bytesSum[l] += x;
            if (busy != null) {
                busy[id] = b;
                bytes[id] = x;
            }
        }
        List<PartitionSample.Kind> kinds = new ArrayList<>();
        for (Layer l : LAYERS) if (count[l.ordinal()] > 0) kinds.add(new PartitionSample.Kind(l.kind, count[l.ordinal()], busySum[l.ordinal()], bytesSum[l.ordinal()]));
        return probe.sample(node, work, kinds);
    }
}
