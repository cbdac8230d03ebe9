package org.meshemu.deploy.cluster;

import com.esotericsoftware.kryo.Kryo;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.meshemu.dashboards.NodeSampler;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.Checkpointing;
import org.meshemu.kernel.NodeSync;
import org.meshemu.kernel.PartitionHost;
import org.meshemu.kernel.WindowRoot;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.ScenarioLoader;

/**
 * The guardian of a worker node: it registers with the receptionist and hosts the partitions a
 * launcher gives it. For each run it builds the scenario's system from the scenario text that came
 * with the request (so nodes need no shared copy of the file), spawns the NodeSyncs of its
 * partitions, and tells the run's root where they are. A run's actors stop when its partitions
 * have reported, or when the root's JVM goes away.
 */
public final class NodeHost {
    private NodeHost() {}

    /** How launchers find the nodes of a cluster. */
    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "meshemu-node");

    /** The protocol of a node. */
    public sealed interface Command permits Host {}

    /**
     * Host {@code partitions} (of {@code partitionCount}) of run {@code runId}: {@code scenario} is
     * the launcher's scenario as loaded (defaults, preset and overrides merged, as JSON), named
     * {@code source} in messages. {@code sampleNanos}: sample each partition for the launcher's
     * observer at most this often ({@link NodeSampler}), 0: never.
     */
    public record Host(String runId, String source, String scenario, int partitionCount, int[] partitions,
                       ActorRef<WindowRoot.Command> root, long sampleNanos) implements Command {}

    /**
     * Starts a worker node bound to {@code host:port} (port 0: any free one) that joins the cluster
     * of {@code seeds} ("host:port"), or starts a new cluster when there are none; {@code overrides}
     * take precedence over the cluster configuration (tests turn on serialize-messages).
     */
    public static ActorSystem<Command> start(String host, int port, List<String> seeds, int threads, Config overrides) {
        ActorSystem<Command> system = ActorSystem.create(create(), ClusterConfig.SYSTEM,
                overrides.withFallback(ClusterConfig.of(host, port, seeds, "worker", threads)));
        Cluster cluster = Cluster.get(system);
        if (seeds.isEmpty()) cluster.manager().tell(Join.create(cluster.selfMember().address()));
        return system;
    }

    /** "host:port" of a node, as other nodes name it in --seed. */
    public static String hostPort(ActorSystem<?> node) {
        var address = Cluster.get(node).selfMember().address();
        return address.getHost().get() + ":" + address.getPort().get();
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
            return Behaviors.receiveMessage(command -> {
                switch (command) {
                    case Host h -> ctx.spawn(run(h), "run-" + h.runId());
                }
                return Behaviors.same();
            });
        });
    }

    private static Behavior<Void> run(Host h) {
        return Behaviors.setup(ctx -> {
            PartitionHost host;
            org.meshemu.kernel.RunObserver observer = org.meshemu.kernel.RunObserver.NONE;
            try {
                LoadedScenario loaded = ScenarioLoader.parse(h.source(), h.scenario(), List.of());
                Runner.Prepared prepared = Runner.prepare(loaded);
                // the root takes the checkpoints; the partitions here need only know how often
                host = new PartitionHost(prepared.built().assembly(), Runner.placement(loaded, prepared, h.partitionCount(), 1),
                        new Checkpointing(loaded.scenario().run().checkpointEvery(), null, null));
                if (h.sampleNanos() > 0) {
                    observer = new NodeSampler(prepared.built().assembly(), prepared.plan().work(), ctx.getSystem().address().toString(), h.sampleNanos(),
                            sample -> h.root().tell(new WindowRoot.Sampled(sample)));
                }
            } catch (RuntimeException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                h.root().tell(new WindowRoot.PartitionFailed(h.partitions()[0], "node " + ctx.getSystem().address() + ": " + why, null));
                return Behaviors.stopped();
            }
            List<ActorRef<NodeSync.Command>> syncs = new ArrayList<>();
            for (int p : h.partitions()) {
                ActorRef<NodeSync.Command> sync = ctx.spawn(host.partition(p, h.root(), observer), "sync-" + p);
                ctx.watch(sync);
                syncs.add(sync);
                h.root().tell(new WindowRoot.Hosted(p, sync));
            }
            ctx.watch(h.root());
            return waiting(ctx, h.root(), syncs.size());
        });
    }

    /** Stops when every partition has stopped (it reported), or at once when the root is gone. */
    private static Behavior<Void> waiting(ActorContext<Void> ctx, ActorRef<WindowRoot.Command> root, int running) {
        return Behaviors.receive(Void.class).onSignal(Terminated.class, t -> {
            if (t.getRef().equals(root) || running == 1) return Behaviors.stopped();
            return waiting(ctx, root, running - 1);
        }).build();
    }

    /** The node protocol's wire registrations (ids 30..). */
    static void register(Kryo k, ActorRefResolver resolver) {
        k.register(Host.class, WireKryo.codec((out, h) -> {
            out.writeString(h.runId());
            out.writeString(h.source());
            out.writeString(h.scenario());
            out.writeVarInt(h.partitionCount(), true);
            out.writeVarInt(h.partitions().length, true);
            out.writeInts(h.partitions(), 0, h.partitions().length);
            out.writeString(resolver.toSerializationFormat(h.root()));
            out.writeVarLong(h.sampleNanos(), true);
        }, in -> {
            String runId = in.readString(), source = in.readString(), scenario = in.readString();
            int count = in.readVarInt(true);
            int[] partitions = in.readInts(in.readVarInt(true));
            return new Host(runId, source, scenario, count, partitions, resolver.resolveActorRef(in.readString()), in.readVarLong(true));
        }), 30);
    }
}
