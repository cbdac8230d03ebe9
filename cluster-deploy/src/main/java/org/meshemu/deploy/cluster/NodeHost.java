package org.meshemu.deploy.cluster;

import com.esotericsoftware.kryo.Kryo;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.meshemu.dashboards.NodeSampler;
import org.meshemu.deploy.RunCheckpoints;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.Checkpointing;
import org.meshemu.kernel.NodeSync;
import org.meshemu.kernel.PartitionHost;
import org.meshemu.kernel.Placement;
import org.meshemu.kernel.WindowRoot;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.ScenarioLoader;
import org.meshemu.workloads.Workload;

/**
 * The guardian of a worker node: it registers with the receptionist and hosts the partitions a
 * launcher gives it. For each run it fetches the files the scenario reads (a checkpoint) into a
 * temporary directory of the run ({@link FileTransfer}), builds the scenario's system from the
 * scenario text that came with the request, its file fields pointing at those copies (so nodes need
 * no shared copy of any file), maps the spans of the checkpoint its banks hold (and tells the launcher
 * how many bytes: {@link Mapped}), spawns the NodeSyncs of its partitions, and tells the run's root where
 * they are. A run's actors stop when its root has stopped (it has every partition's report, or the
 * run failed), when its root's JVM goes away, or when all its partitions have stopped (each stops
 * on a fault of its own); the run's directory is deleted then.
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
     * observer at most this often ({@link NodeSampler}), 0: never. {@code files} (null: none) offers
     * the files it reads, named as {@link #offered} names them, and the run checkpoint to resume
     * from ({@link #RESUME_FILE}). {@code mapped} hears what the node mapped of them before its partitions start.
     */
    public record Host(String runId, String source, String scenario, int partitionCount, int[] partitions,
                       ActorRef<WindowRoot.Command> root, long sampleNanos, FileTransfer.Offer files, ActorRef<Mapped> mapped) implements Command {}

    /**
     * The bytes of checkpoint files node {@code address} mapped for the weight tiles of the banks it hosts
     * ({@link Runner#mapWeights}): its share of the weights, for the report's {@code cluster.placement}.
     */
    public record Mapped(String address, long weightsBytes) {}

    /** The name under which a resumed run's checkpoint travels: not a scenario field's file. */
    public static final String RESUME_FILE = "resume.ckpt";

    /**
     * The files a run offers its nodes: a directory's input files named {@code FIELD/NAME}, a
     * field's one file {@code FIELD#NAME}, so that a node knows which scenario field to point at its
     * copy, and whether at the directory or at the file ({@link #pointedAt}).
     */
    public static List<FileTransfer.Source> offered(List<Workload.InputFiles> inputs) {
        List<FileTransfer.Source> sources = new ArrayList<>();
        for (Workload.InputFiles in : inputs) {
            for (String name : in.names()) {
                sources.add(new FileTransfer.Source(in.field() + (in.file() ? FILE : DIRECTORY) + name, in.directory().resolve(name)));
            }
        }
        return sources;
    }

    private static final String DIRECTORY = "/", FILE = "#";

    /** The scenario overrides pointing each field of {@link #offered} files at its copy under {@code directory}. */
    static List<String> pointedAt(FileTransfer.Offer offer, Path directory) {
        List<String> overrides = new ArrayList<>();
        for (FileTransfer.FileInfo f : offer.files()) {
            int file = f.name().indexOf(FILE), inDirectory = f.name().indexOf(DIRECTORY);
            String override;
            if (file > 0 && (inDirectory < 0 || file < inDirectory)) override = f.name().substring(0, file) + "=" + quoted(directory.resolve(f.name()));
            else if (inDirectory > 0) override = f.name().substring(0, inDirectory) + "=" + quoted(directory.resolve(f.name().substring(0, inDirectory)));
            else continue; // not a scenario field's (the resumed run's checkpoint)
            if (!overrides.contains(override)) overrides.add(override);
        }
        return overrides;
    }

    /** A path as one YAML string. */
    private static String quoted(Path p) {
        return TextNode.valueOf(p.toString()).toString();
    }

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

    /** A run: fetching its files (if any), then hosting its partitions; its directory of files is deleted when it stops. */
    private static Behavior<FileTransfer.Outcome> run(Host h) {
        return Behaviors.setup(ctx -> {
            if (h.files() == null) return host(ctx, h, List.of(), null);
            Path directory;
            try {
                directory = Files.createTempDirectory("meshemu-run-");
            } catch (java.io.IOException e) {
                return failed(ctx, h, "cannot create a directory for the run's files: " + e);
            }
            ctx.spawn(FileTransfer.receiver(h.files(), directory, ctx.getSelf()), "files");
            ctx.watch(h.root());
            return Behaviors.receive(FileTransfer.Outcome.class)
                    .onMessage(FileTransfer.Received.class, r -> host(ctx, h, pointedAt(h.files(), directory), directory))
                    .onMessage(FileTransfer.Failed.class, f -> failed(ctx, h, f.message()))
                    .onSignal(Terminated.class, t -> Behaviors.stopped())
                    .onSignal(PostStop.class, s -> deleted(directory))
                    .build();
        });
    }

    private static Behavior<FileTransfer.Outcome> deleted(Path directory) {
        if (directory != null) FileTransfer.delete(directory);
        return Behaviors.same();
    }

    private static Behavior<FileTransfer.Outcome> failed(ActorContext<FileTransfer.Outcome> ctx, Host h, String why) {
        tellFailed(h, ctx.getSystem(), why);
        return Behaviors.stopped();
    }

    /** Fails the run of {@code h} at its root, naming this node (safe from any thread). */
    private static void tellFailed(Host h, ActorSystem<?> node, String why) {
        h.root().tell(new WindowRoot.PartitionFailed(h.partitions()[0], "node " + node.address() + ": " + why, null));
    }

    /**
     * Builds the system (with {@code overrides} pointing file fields at this node's copies in
     * {@code directory}, null if none) and spawns the partitions' NodeSyncs.
     */
    private static Behavior<FileTransfer.Outcome> host(ActorContext<FileTransfer.Outcome> ctx, Host h, List<String> overrides, Path directory) {
        PartitionHost host;
        org.meshemu.kernel.RunObserver observer = org.meshemu.kernel.RunObserver.NONE;
        try {
            LoadedScenario loaded = ScenarioLoader.parse(h.source(), h.scenario(), overrides);
            Runner.Prepared prepared = Runner.prepare(loaded);
            Placement placement = Runner.placement(loaded, prepared, h.partitionCount(), 1);
            Path resume = directory == null ? null : directory.resolve(RESUME_FILE);
            // the root takes the checkpoints; the partitions here need only know how often, and what to resume from
            Checkpointing checkpointing = new Checkpointing(loaded.scenario().run().checkpointEvery(), null,
                    resume == null || !Files.exists(resume) ? null : RunCheckpoints.read(resume, id -> hosts(h, placement, id)).resume());
            // only the tensors (or the spans of them) this node's banks hold
            h.mapped().tell(new Mapped(ctx.getSystem().address().toString(), Runner.mapWeights(prepared, checkpointing, id -> hosts(h, placement, id))));
            host = new PartitionHost(prepared.built().assembly(), placement, checkpointing);
            if (h.sampleNanos() > 0) {
                observer = new NodeSampler(prepared.built().assembly(), prepared.plan().work(), ctx.getSystem().address().toString(), h.sampleNanos(),
                        sample -> h.root().tell(new WindowRoot.Sampled(sample)));
            }
        } catch (RuntimeException e) {
            return failed(ctx, h, e.getMessage() == null ? e.toString() : e.getMessage());
        }
        List<ActorRef<NodeSync.Command>> syncs = new ArrayList<>();
        for (int p : h.partitions()) {
            ActorRef<NodeSync.Command> sync = host.spawn(ctx, p, h.root(), observer);
            ctx.watch(sync);
            syncs.add(sync);
            h.root().tell(new WindowRoot.Hosted(p, sync));
        }
        ctx.watch(h.root());
        // the partitions' own stall checks run on their threads: this one sees those threads stop
        ActorSystem<?> node = ctx.getSystem();
        AutoCloseable watchdog = host.watch(node, why -> tellFailed(h, node, why));
        return waiting(h.root(), syncs.size(), directory, watchdog);
    }

    /** Whether component {@code id} is in one of the partitions this node hosts for {@code h}. */
    private static boolean hosts(Host h, Placement placement, int id) {
        int p = placement.partitionOf()[id];
        for (int q : h.partitions()) if (q == p) return true;
        return false;
    }

    /**
     * Stops when the root is gone, or when every partition has stopped (a fault); then stops
     * {@code watchdog} and deletes {@code directory}.
     */
    private static Behavior<FileTransfer.Outcome> waiting(ActorRef<WindowRoot.Command> root, int running, Path directory,
                                                          AutoCloseable watchdog) {
        return Behaviors.receive(FileTransfer.Outcome.class).onSignal(Terminated.class, t -> {
            if (t.getRef().equals(root) || running == 1) return Behaviors.stopped();
            return waiting(root, running - 1, directory, watchdog);
        }).onSignal(PostStop.class, s -> {
            watchdog.close();
            return deleted(directory);
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
            out.writeBoolean(h.files() != null);
            if (h.files() != null) FileTransfer.writeOffer(out, h.files(), resolver);
            out.writeString(resolver.toSerializationFormat(h.mapped()));
        }, in -> {
            String runId = in.readString(), source = in.readString(), scenario = in.readString();
            int count = in.readVarInt(true);
            int[] partitions = in.readInts(in.readVarInt(true));
            ActorRef<WindowRoot.Command> root = resolver.resolveActorRef(in.readString());
            long sampleNanos = in.readVarLong(true);
            FileTransfer.Offer files = in.readBoolean() ? FileTransfer.readOffer(in, resolver) : null;
            return new Host(runId, source, scenario, count, partitions, root, sampleNanos, files, resolver.resolveActorRef(in.readString()));
        }), 30);
        k.register(Mapped.class, WireKryo.codec((out, m) -> {
            out.writeString(m.address());
            out.writeVarLong(m.weightsBytes(), true);
        }, in -> new Mapped(in.readString(), in.readVarLong(true))), 31);
    }
}
