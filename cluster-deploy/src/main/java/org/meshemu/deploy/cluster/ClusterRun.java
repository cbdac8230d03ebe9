package org.meshemu.deploy.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.Leave;
import org.apache.pekko.cluster.typed.Subscribe;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.Assembly;
import org.meshemu.kernel.Checkpointing;
import org.meshemu.kernel.EmulationException;
import org.meshemu.kernel.Engine;
import org.meshemu.kernel.PartitionStats;
import org.meshemu.kernel.Placement;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.RunResult;
import org.meshemu.kernel.WindowRoot;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.workloads.Workloads;

/**
 * One run spread over the worker nodes of a Pekko cluster. The launching JVM joins the cluster
 * (starting local workers first when asked to), finds the nodes by the receptionist, places
 * contiguous blocks of partitions on them, and hosts the {@link WindowRoot}; the nodes host the
 * partitions ({@link NodeHost}). The protocol is the one of a single JVM: only the transport of its
 * messages changes, so results are bit-identical.
 */
public final class ClusterRun {
    private ClusterRun() {}

    /** Where the nodes come from. */
    public sealed interface Nodes permits Spawn, Existing {}

    /** Start {@code count} worker JVMs on 127.0.0.1, children of this one, for this run only. */
    public record Spawn(int count) implements Nodes {}

    /** Run on the nodes of the existing cluster that {@code seed} ("host:port") belongs to, binding this JVM to {@code host}. */
    public record Existing(String seed, String host) implements Nodes {}

    private static final long NODES_TIMEOUT_SECONDS = 120;

    /** The execution of a run on {@code nodes}. */
    public static Runner.Execution on(Nodes nodes) {
        return threads -> (loaded, prepared, partitions, observer, checkpointing) ->
                run(loaded, prepared, nodes, partitions, threads, observer, checkpointing);
    }

    private static Runner.Execution.Executed run(LoadedScenario loaded, Runner.Prepared prepared, Nodes nodes, int partitions,
                                                 int threads, RunObserver observer, Checkpointing checkpointing) {
        String host = nodes instanceof Existing e ? e.host() : "127.0.0.1";
        List<String> seeds = nodes instanceof Existing e ? List.of(e.seed()) : List.of();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ClusterConfig.SYSTEM,
                ClusterConfig.of(host, 0, seeds, "launcher", threads));
        Cluster cluster = Cluster.get(system);
        WorkerProcesses workers = null;
        try {
            int wanted = 1;
            if (nodes instanceof Spawn s) {
                cluster.manager().tell(Join.create(cluster.selfMember().address()));
                Address self = cluster.selfMember().address();
                observer.status("starting " + s.count() + " worker JVMs on 127.0.0.1");
                workers = WorkerProcesses.start(s.count(), self.getHost().get() + ":" + self.getPort().get());
                wanted = s.count();
            } else {
                observer.status("joining the cluster at " + seeds.get(0));
            }
            long waitStart = System.nanoTime();
            List<ActorRef<NodeHost.Command>> hosts = awaitNodes(system, wanted, nodes instanceof Existing, workers);
            observer.status(String.format("%d nodes ready after %.1f s", hosts.size(), (System.nanoTime() - waitStart) / 1e9));
            return runOn(system, hosts, loaded, prepared, Math.max(partitions, hosts.size()), threads, observer, workers, checkpointing);
        } finally {
            if (nodes instanceof Existing) cluster.manager().tell(Leave.create(cluster.selfMember().address()));
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException ignored) {
                // the run is over either way
            }
            if (workers != null) workers.stop();
        }
    }

    /**
     * The nodes registered with the receptionist, in address order: {@code wanted} of them, or with
     * an existing cluster every worker member (a node still joining included) once the listing has
     * been stable for a second.
     */
    private static List<ActorRef<NodeHost.Command>> awaitNodes(ActorSystem<Void> system, int wanted, boolean settle,
                                                               WorkerProcesses workers) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(NODES_TIMEOUT_SECONDS);
        Set<ActorRef<NodeHost.Command>> last = Set.of();
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (workers != null) workers.checkAlive();
            Set<ActorRef<NodeHost.Command>> listed = find(system);
            if (!listed.equals(last)) {
                last = listed;
                stableSince = System.nanoTime();
            }
            // an existing cluster: every worker member (joining ones too) must be listed, not only those the registry has reached yet
            boolean enough = listed.size() >= (settle ? Math.max(wanted, workerMembers(system)) : wanted)
                    && (!settle || System.nanoTime() - stableSince > 1_000_000_000L);
            if (enough) {
                return listed.stream().sorted(Comparator.comparing(r -> r.path().address().toString())).toList();
            }
            sleep(200);
        }
        throw new EmulationException("only " + last.size() + " of " + wanted + " meshemu nodes joined within "
                + NODES_TIMEOUT_SECONDS + " s" + (workers == null ? "" : "; node logs: " + workers.logs()), null);
    }

    /** Members of the cluster with the worker role that are joining or up, as this JVM sees them. */
    private static long workerMembers(ActorSystem<Void> system) {
        return java.util.stream.StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
                .filter(m -> m.hasRole("worker"))
                .filter(m -> m.status() == MemberStatus.up() || m.status() == MemberStatus.joining() || m.status() == MemberStatus.weaklyUp())
                .count();
    }

    private static Set<ActorRef<NodeHost.Command>> find(ActorSystem<Void> system) {
        try {
            Receptionist.Listing listing = AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
                    reply -> Receptionist.find(NodeHost.KEY, reply), java.time.Duration.ofSeconds(5), system.scheduler())
                    .toCompletableFuture().get();
            return listing.getServiceInstances(NodeHost.KEY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmulationException("interrupted while waiting for nodes", e);
        } catch (ExecutionException e) {
            return Set.of();
        }
    }

    private static Runner.Execution.Executed runOn(ActorSystem<Void> system, List<ActorRef<NodeHost.Command>> hosts, LoadedScenario loaded,
                                 Runner.Prepared prepared, int partitions, int threads, RunObserver observer, WorkerProcesses workers,
                                 Checkpointing checkpointing) {
        Assembly assembly = prepared.built().assembly();
        Placement placement = Runner.placement(loaded, prepared, partitions, 1); // partitions >= 1: the threads do not matter
        int n = hosts.size();
        CompletableFuture<RunResult> result = new CompletableFuture<>();
        ActorRef<WindowRoot.Command> root = system.systemActorOf(WindowRoot.awaitingHosts(assembly, placement, result, observer, checkpointing),
                ClusterConfig.ROOT, Props.empty());
        Set<Address> hosting = hosts.stream().map(h -> h.path().address()).collect(Collectors.toSet());
        system.systemActorOf(watch(hosting, root), "meshemu-host-watch", Props.empty());
        if (workers != null) workers.onExit(why -> root.tell(new WindowRoot.HostLost(why)));
        String runId = UUID.randomUUID().toString();
        String scenario = loaded.tree().toString();
        FileTransfer.Offer files = offerFiles(system, loaded, observer, checkpointing.resume());
        java.util.concurrent.ConcurrentHashMap<String, Long> mapped = new java.util.concurrent.ConcurrentHashMap<>();
        CompletableFuture<Void> allMapped = new CompletableFuture<>();
        ActorRef<NodeHost.Mapped> mappedTo = system.systemActorOf(Behaviors.receiveMessage(m -> {
            mapped.put(m.address(), m.weightsBytes());
            if (mapped.size() < n) return Behaviors.same();
            allMapped.complete(null);
            return Behaviors.stopped(); // one collector per run: a launcher running many keeps none
        }), "meshemu-mapped-" + runId, Props.empty());
        for (int i = 0; i < n; i++) {
            hosts.get(i).tell(new NodeHost.Host(runId, loaded.source(), scenario, partitions, partitionsOf(i, n, partitions), root,
                    observer.remoteSampleNanos(), files, mappedTo));
        }
        RunResult r;
        try {
            r = Engine.await(result);
        } finally {
            if (workers != null) workers.onExit(why -> {});
        }
        // every node told it before its partitions started; the run ending proves they started, not that the message is in
        try {
            allMapped.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new EmulationException("the nodes' weight mappings did not arrive within 30 s of the run's end", e);
        }
        RunReport.Cluster summary = summary(hosts, assembly, placement, r, mapped);
        return new Runner.Execution.Executed(r, placement, threads, summary, mapped.values().stream().mapToLong(Long::longValue).sum());
    }

    /**
     * The files the scenario reads and the checkpoint a resumed run starts from, served to the nodes by
     * an actor of this JVM for as long as it runs; null if none.
     */
    private static FileTransfer.Offer offerFiles(ActorSystem<Void> system, LoadedScenario loaded, RunObserver observer,
                                                 Checkpointing.Resume resume) {
        List<FileTransfer.Source> sources = new ArrayList<>(NodeHost.offered(Workloads.inputFiles(loaded)));
        if (resume != null) sources.add(new FileTransfer.Source(NodeHost.RESUME_FILE, java.nio.file.Path.of(resume.origin())));
        if (sources.isEmpty()) return null;
        ActorRef<FileTransfer.SourceCommand> source = system.systemActorOf(FileTransfer.source(sources, FileTransfer.CHUNK_BYTES),
                "meshemu-files", Props.empty());
        FileTransfer.Offer offer = FileTransfer.offer(sources, source);
        observer.status(String.format("sending %d files (%.1f MiB) to each node", sources.size(), offer.bytes() / 1048576.0));
        return offer;
    }

    /** Partitions of node {@code i} of {@code n}: a contiguous block, so neighbouring partitions share a node. */
    static int[] partitionsOf(int i, int n, int partitions) {
        return java.util.stream.IntStream.range(0, partitions).filter(p -> (long) p * n / partitions == i).toArray();
    }

    /** Tells the root when a node hosting partitions becomes unreachable or leaves. */
    private static Behavior<ClusterEvent.ClusterDomainEvent> watch(Set<Address> hosting, ActorRef<WindowRoot.Command> root) {
        return Behaviors.setup(ctx -> {
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(ctx.getSelf(), ClusterEvent.ClusterDomainEvent.class));
            return Behaviors.receiveMessage(event -> {
                if (event instanceof ClusterEvent.UnreachableMember u && hosting.contains(u.member().address())) {
                    root.tell(new WindowRoot.HostLost("node " + u.member().address() + " (unreachable)"));
                } else if (event instanceof ClusterEvent.MemberRemoved m && hosting.contains(m.member().address())) {
                    root.tell(new WindowRoot.HostLost("node " + m.member().address() + " (left the cluster)"));
                }
                return Behaviors.same();
            });
        });
    }

    private static RunReport.Cluster summary(List<ActorRef<NodeHost.Command>> hosts, Assembly assembly, Placement placement, RunResult r,
                                             java.util.Map<String, Long> mapped) {
        int n = hosts.size();
        int[] nodeOf = new int[placement.partitions()];
        for (int i = 0; i < n; i++) for (int p : partitionsOf(i, n, placement.partitions())) nodeOf[p] = i;
        long[] components = new long[n], weight = new long[n], events = new long[n];
        long[] partitionComponents = placement.components(), partitionWeight = placement.weights(assembly);
        for (int p = 0; p < placement.partitions(); p++) {
            components[nodeOf[p]] += partitionComponents[p];
            weight[nodeOf[p]] += partitionWeight[p];
        }
        long crossEvents = 0, crossBytes = 0;
        double[] wait = new double[n];
        for (PartitionStats s : r.partitions()) {
            for (int q = 0; q < s.eventsSentTo().length; q++) if (nodeOf[q] != nodeOf[s.partition()]) crossEvents += s.eventsSentTo()[q];
            crossBytes += s.wireBytesReceived();
            wait[nodeOf[s.partition()]] += s.batchesWaitNanos() / 1e9;
            events[nodeOf[s.partition()]] += s.events();
        }
        List<RunReport.Cluster.Node> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String address = hosts.get(i).path().address().toString();
            nodes.add(new RunReport.Cluster.Node(address, java.util.Arrays.stream(partitionsOf(i, n, placement.partitions())).boxed().toList(),
                    components[i], weight[i], events[i], wait[i], mapped.getOrDefault(address, 0L)));
        }
        return new RunReport.Cluster(n, nodes, crossEvents, crossBytes);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmulationException("interrupted while waiting for nodes", e);
        }
    }
}
