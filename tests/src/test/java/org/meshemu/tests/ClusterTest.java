package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshemu.deploy.RunCheckpoints;
import org.meshemu.deploy.RunDirectory;
import org.meshemu.deploy.Runner;
import org.meshemu.deploy.cluster.ClusterRun;
import org.meshemu.deploy.cluster.FileTransfer;
import org.meshemu.deploy.cluster.NodeHost;
import org.meshemu.kernel.RunObserver;
import org.meshemu.report.RunReport;
import org.meshemu.scenario.LoadedScenario;
import org.meshemu.scenario.ScenarioLoader;
import org.meshemu.workloads.checkpoint.Checkpoint;
import org.meshemu.workloads.checkpoint.RandomCheckpoint;

/**
 * A cluster inside this JVM: two worker actor systems joined over Artery on 127.0.0.1, with
 * {@code serialize-messages = on}, so every message between partitions, even two on one node, goes
 * through the wire serializer. A run over them equals the run in one JVM, bit for bit, also one
 * whose checkpoint travels to the nodes; {@link FileTransfer} moves files whole or fails naming one.
 */
class ClusterTest {
    static final List<ActorSystem<NodeHost.Command>> workers = new ArrayList<>();
    static String seed;

    @BeforeAll
    static void startWorkers() throws InterruptedException {
        seed = start(workers, 2, ConfigFactory.parseString("pekko.actor.serialize-messages = on"));
    }

    /**
     * Starts {@code count} worker nodes into {@code workers}, joined into one cluster, and returns the
     * seed's "host:port" once every one is up in every one's view (a launcher that joins earlier could
     * find fewer nodes and place every partition on them).
     */
    static String start(List<ActorSystem<NodeHost.Command>> workers, int count, com.typesafe.config.Config config) throws InterruptedException {
        String seed = null;
        for (int i = 0; i < count; i++) {
            ActorSystem<NodeHost.Command> w = NodeHost.start("127.0.0.1", 0, seed == null ? List.of() : List.of(seed), 1, config);
            if (seed == null) seed = NodeHost.hostPort(w);
            workers.add(w);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (ActorSystem<NodeHost.Command> w : workers) {
            while (java.util.stream.StreamSupport.stream(org.apache.pekko.cluster.typed.Cluster.get(w).state().getMembers().spliterator(), false)
                    .filter(m -> m.status() == org.apache.pekko.cluster.MemberStatus.up()).count() < count) {
                assertTrue(System.nanoTime() < deadline, "the workers joined within 60 s");
                Thread.sleep(100);
            }
        }
        return seed;
    }

    @AfterAll
    static void stopWorkers() {
        workers.forEach(ActorSystem::terminate);
    }

    /** Same as one JVM: time, events, outputs, utilisation and NoC figures. */
    static void assertSameRun(RunReport one, RunReport cluster, String what) {
        assertEquals(one.simulatedTimePs(), cluster.simulatedTimePs(), what);
        assertEquals(one.events(), cluster.events(), what);
        assertEquals(one.outputDigest(), cluster.outputDigest(), what);
        assertEquals(one.utilisation(), cluster.utilisation(), what);
        assertEquals(one.noc(), cluster.noc(), what);
        assertEquals(one.generation(), cluster.generation(), what);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gemm-cannon-8x8", "noc-uniform-8x8", "retnet-tiny-mesh", "retnet-tiny-cluster"})
    void aRunOverTwoNodesEqualsOneJvm(String scenario, @TempDir Path out) {
        String[] shorter = scenario.equals("noc-uniform-8x8") ? new String[] {"workload.warmupCycles=100", "workload.measureCycles=300"} : new String[0];
        RunReport one = Scenarios.run(scenario, out.resolve("one"), shorter);
        // four partitions on two nodes: batches cross nodes and stay inside them
        var loaded = Scenarios.shipped(scenario, Scenarios.concat(shorter, "run.partitions=4"));
        RunReport cluster = Runner.run(loaded, out.resolve("cluster"), RunObserver.NONE,
                ClusterRun.on(new ClusterRun.Existing(seed, "127.0.0.1"))).report();
        assertSameRun(one, cluster, scenario);
        RunReport.Cluster c = cluster.cluster();
        assertEquals(2, c.nodes());
        assertEquals(List.of(List.of(0, 1), List.of(2, 3)), c.placement().stream().map(RunReport.Cluster.Node::partitions).toList());
        assertEquals(one.components().values().stream().mapToLong(Long::longValue).sum(),
                c.placement().stream().mapToLong(RunReport.Cluster.Node::components).sum());
        assertTrue(c.crossNodeEvents() > 0, "events crossed nodes");
        assertTrue(c.crossNodeBytes() > c.crossNodeEvents(), "and took bytes on the wire: " + c.crossNodeBytes());
    }

    /**
     * Experts placed whole on two chips and replicated by flexmoe, their all-to-all over the chip link, over two nodes:
     * the real gate in full payload and a skewed routing trace in timing mode give one JVM's outputs, times and
     * {@code moe} section.
     */
    @ParameterizedTest
    @ValueSource(strings = {"run.payload=full", "run.payload=timing"})
    void expertParallelMoeOverTwoNodesEqualsOneJvm(String payload, @TempDir Path out) {
        // flexmoe: its weight copies cross nodes too
        String[] moe = {"hardware.chips.count=2", "hardware.chips.topology=mesh2d", "hardware.noc.width=2", "hardware.noc.height=2",
            "hardware.chips.link.bandwidthGBps=100", "hardware.chips.link.latencyNs=500", "workload.experts=expert-parallel", "workload.batch=2",
            "workload.decodeSteps=4", "workload.routing.kind=zipf", "workload.routing.exponent=1.2", "workload.placementPolicy.kind=flexmoe",
            "workload.placementPolicy.slots=2", "workload.placementPolicy.every=2", payload};
        RunReport one = Scenarios.run("phimoe-tiny-mesh", out.resolve("one"), moe);
        var loaded = Scenarios.shipped("phimoe-tiny-mesh", Scenarios.concat(moe, "run.partitions=4"));
        RunReport cluster = Runner.run(loaded, out.resolve("cluster"), RunObserver.NONE,
                ClusterRun.on(new ClusterRun.Existing(seed, "127.0.0.1"))).report();
        assertSameRun(one, cluster, payload);
        assertEquals(one.workloadSectionsByName().get("moe"), cluster.workloadSectionsByName().get("moe"), payload);
        assertTrue(cluster.cluster().crossNodeEvents() > 0, "the all-to-all crossed nodes");
        assertTrue(((org.meshemu.workloads.generate.MoeReport) one.workloadSectionsByName().get("moe")).placementPolicy().copies() > 0, "flexmoe copied experts");
    }

    /** Checkpoints taken on the nodes are written by the launcher, and a resume in one JVM ends as the run did. */
    @Test
    void aClusterRunsCheckpointsResumeInOneJvm(@TempDir Path out) {
        String[] shorter = {"workload.warmupCycles=100", "workload.measureCycles=300"};
        RunReport one = Scenarios.run("noc-uniform-8x8", out.resolve("one"), shorter);
        var loaded = Scenarios.shipped("noc-uniform-8x8", Scenarios.concat(shorter, "run.partitions=4", "run.checkpointEvery=60"));
        Path dir = out.resolve("cluster");
        RunReport cluster = Runner.run(loaded, dir, RunObserver.NONE, ClusterRun.on(new ClusterRun.Existing(seed, "127.0.0.1"))).report();
        assertSameRun(one, cluster, "checkpointed on the cluster");
        RunCheckpoints.Loaded checkpoint = RunCheckpoints.newest(dir, line -> {});
        assertTrue(checkpoint.resume().soFar().events() > 0 && checkpoint.resume().soFar().events() < one.events());
        var again = ScenarioLoader.parse(checkpoint.source(), checkpoint.scenarioJson(), List.of("run.checkpointEvery=0"));
        RunReport resumed = Runner.run(again, RunDirectory.open(again.scenario(), dir, true), RunObserver.NONE,
                org.meshemu.dashboards.Watch.picturesOnly(), Runner.Execution.THIS_JVM, checkpoint).report();
        assertSameRun(one, resumed, "resumed in one JVM");
        // and on the cluster, on another number of partitions: the checkpoint travels to the nodes
        var onNodes = ScenarioLoader.parse(checkpoint.source(), checkpoint.scenarioJson(), List.of("run.checkpointEvery=0", "run.partitions=3"));
        RunReport resumedOnNodes = Runner.run(onNodes, RunDirectory.open(onNodes.scenario(), dir, true), RunObserver.NONE,
                org.meshemu.dashboards.Watch.picturesOnly(), ClusterRun.on(new ClusterRun.Existing(seed, "127.0.0.1")), checkpoint).report();
        assertSameRun(one, resumedOnNodes, "resumed on the nodes");
    }

    /** A scenario reading a safetensors checkpoint (RetNet, 2 layers) by a path relative to itself. */
    static LoadedScenario fromCheckpoint(Path dir, String... overrides) throws Exception {
        RandomCheckpoint.write(Checkpoint.parseConfig("retnet", new ObjectMapper().readTree("""
                {"decoder_embed_dim": 32, "decoder_value_embed_dim": 64, "decoder_retention_heads": 2,
                 "decoder_ffn_embed_dim": 64, "decoder_layers": 2, "vocab_size": 64, "activation_fn": "swish"}"""), "config.json"),
                7, dir.resolve("ckpt"));
        Files.writeString(dir.resolve("s.yaml"), """
                name: from-checkpoint
                hardware: {noc: {width: 4, height: 2}}
                model: {family: retnet, checkpoint: ckpt}
                workload: {kind: generate, prompt: [1, 2, 3], decodeSteps: 4}
                """);
        return ScenarioLoader.load(dir.resolve("s.yaml"), List.of(overrides));
    }

    @Test
    void aRunReadingACheckpointEqualsOneJvm(@TempDir Path dir) throws Exception {
        RunReport one = Scenarios.run(fromCheckpoint(dir), dir.resolve("one"));
        RunReport cluster = Runner.run(fromCheckpoint(dir, "run.partitions=2"), dir.resolve("cluster"), RunObserver.NONE,
                ClusterRun.on(new ClusterRun.Existing(seed, "127.0.0.1"))).report();
        assertTrue(one.outputDigest() != null && Boolean.TRUE.equals(one.reference().tokensMatch()), "a full-payload run checked against its reference");
        assertSameRun(one, cluster, "from a checkpoint");
    }

    /**
     * A bf16 checkpoint (Phi-3 shape, 2 layers) on two chips, one a node: the run equals one JVM's, outputs and times,
     * and each node maps only the spans of the tensors its chip's banks hold (every projection split by rows over all
     * cores, so each node holds half of each), which together are exactly what one JVM maps.
     */
    @Test
    void eachNodeMapsOnlyTheWeightsOfItsChips(@TempDir Path dir) throws Exception {
        Path ckpt = RandomCheckpoint.write(Checkpoint.parseConfig("phi3", new ObjectMapper().readTree("""
                {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
                 "num_key_value_heads": 4, "vocab_size": 256, "tie_word_embeddings": false}"""), "config.json"),
                5, dir.resolve("ckpt"), org.meshemu.tensor.DType.BF16);
        String yaml = """
                name: weights-over-nodes
                hardware:
                  noc: {width: 2, height: 2}
                  chips: {count: 2, topology: mesh2d, link: {bandwidthGBps: 100, latencyNs: 500}}
                model: {family: phi3, checkpoint: '%s'}
                workload: {kind: generate, prompt: [1, 2, 3], decodeSteps: 3, mapping: row-split}
                """.formatted(ckpt.toAbsolutePath());
        RunReport one = Scenarios.run(Scenarios.inline(yaml), dir.resolve("one"));
        RunReport cluster = Runner.run(Scenarios.inline(yaml, "run.partitions=2"), dir.resolve("cluster"), RunObserver.NONE,
                ClusterRun.on(new ClusterRun.Existing(seed, "127.0.0.1"))).report();
        assertTrue(Boolean.TRUE.equals(one.reference().tokensMatch()) && one.reference().maxAbsError() == 0, "one JVM computes the reference's numbers");
        assertSameRun(one, cluster, "weights mapped per node");

        long parameterBytes = 2 * RandomCheckpoint.elements(Checkpoint.readConfig(ckpt));
        long all = one.weights().mappedBytes();
        assertTrue(all > parameterBytes * 9 / 10 && all <= parameterBytes, "one JVM maps every matrix: " + all + " of " + parameterBytes + " bytes");
        List<Long> perNode = cluster.cluster().placement().stream().map(RunReport.Cluster.Node::weightsMappedBytes).toList();
        assertEquals(all, cluster.weights().mappedBytes());
        assertEquals(all, perNode.stream().mapToLong(Long::longValue).sum(), "no byte mapped twice: " + perNode);
        for (long node : perNode) assertTrue(node > all / 4 && node < all * 3 / 4, "each node maps its share: " + perNode + " of " + all);
    }

    /** A GNN on an edge list named relative to the scenario: the file travels and each node reads its copy. */
    @Test
    void aGnnReadingAnEdgeListEqualsOneJvm(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ring.edges"), "# a ring of 12 vertices and two chords\n"
                + java.util.stream.IntStream.range(0, 12).mapToObj(v -> v + " " + (v + 1) % 12 + "\n").collect(java.util.stream.Collectors.joining())
                + "0 6\n3 9\n");
        Files.writeString(dir.resolve("s.yaml"), """
                name: gnn-edges
                hardware: {noc: {width: 4, height: 1}}
                workload:
                  kind: gnn
                  model: {kind: gcn, layers: 2, hidden: 8, features: 8}
                  graph: {file: ring.edges}
                  chunkVertices: 3
                """);
        RunReport one = Scenarios.run(ScenarioLoader.load(dir.resolve("s.yaml"), List.of()), dir.resolve("one"));
        RunReport cluster = Runner.run(ScenarioLoader.load(dir.resolve("s.yaml"), List.of("run.partitions=2")), dir.resolve("cluster"), RunObserver.NONE,
                ClusterRun.on(new ClusterRun.Existing(seed, "127.0.0.1"))).report();
        assertTrue(one.outputDigest() != null && one.reference().maxRelError() <= 1e-5, "a full-payload run checked against its reference");
        assertSameRun(one, cluster, "from an edge list");
    }

    // FileTransfer between the two workers: a source on one, a receiver on the other, chunks of 64 KiB
    // (below Artery's ordinary frames: these actors live under /system, not at a large-message destination)

    static final int SMALL_CHUNKS = 64 << 10;

    /** A transfer of {@code files} as offered now, started after {@code meanwhile} changed them: its outcome (the source stays until the workers stop). */
    static FileTransfer.Outcome transfer(List<FileTransfer.Source> files, Runnable meanwhile, Path into) throws Exception {
        String id = UUID.randomUUID().toString();
        ActorRef<FileTransfer.SourceCommand> local = workers.get(0).systemActorOf(FileTransfer.source(files, SMALL_CHUNKS), "source-" + id, Props.empty());
        // the source as the receiver's system names it: a remote actor, reached over Artery
        ActorRef<FileTransfer.SourceCommand> source = ActorRefResolver.get(workers.get(1))
                .resolveActorRef(ActorRefResolver.get(workers.get(0)).toSerializationFormat(local));
        FileTransfer.Offer offer = FileTransfer.offer(files, source, SMALL_CHUNKS);
        meanwhile.run();
        CompletableFuture<FileTransfer.Outcome> outcome = new CompletableFuture<>();
        ActorRef<FileTransfer.Outcome> parent = workers.get(1).systemActorOf(Behaviors.receiveMessage(o -> {
            outcome.complete(o);
            return Behaviors.stopped();
        }), "parent-" + id, Props.empty());
        workers.get(1).systemActorOf(FileTransfer.receiver(offer, into, parent), "receiver-" + id, Props.empty());
        return outcome.get(60, TimeUnit.SECONDS);
    }

    static byte[] seeded(int length, long seed) {
        byte[] b = new byte[length];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Three files (several chunks and windows, empty, one in a subdirectory) arrive whole. */
    @Test
    void filesTravelInChunksAndArriveWhole(@TempDir Path dir) throws Exception {
        Path a = Files.write(dir.resolve("a.bin"), seeded(SMALL_CHUNKS * 11 + 123, 1));
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        Path c = Files.write(dir.resolve("c.bin"), seeded(SMALL_CHUNKS, 2));
        List<FileTransfer.Source> files = List.of(new FileTransfer.Source("a.bin", a), new FileTransfer.Source("empty", empty),
                new FileTransfer.Source("sub/c.bin", c));
        Path into = dir.resolve("into");
        assertEquals(new FileTransfer.Received(into), transfer(files, () -> {}, into));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(into.resolve("a.bin")));
        assertEquals(0, Files.size(into.resolve("empty")));
        assertArrayEquals(Files.readAllBytes(c), Files.readAllBytes(into.resolve("sub/c.bin")));
    }

    /** A file changed after it was offered fails the transfer, naming it, by its checksum or its length. */
    @Test
    void aChangedOrShortenedFileFailsNamingIt(@TempDir Path dir) throws Exception {
        Path a = Files.write(dir.resolve("a.bin"), seeded(SMALL_CHUNKS * 3, 3));
        Path b = Files.write(dir.resolve("b.bin"), seeded(SMALL_CHUNKS * 3, 4));
        List<FileTransfer.Source> files = List.of(new FileTransfer.Source("a.bin", a), new FileTransfer.Source("weights/b.bin", b));
        FileTransfer.Outcome flipped = transfer(files, () -> {
            byte[] bytes = seeded(SMALL_CHUNKS * 3, 4);
            bytes[SMALL_CHUNKS + 5] ^= 1;
            write(b, bytes);
        }, dir.resolve("x"));
        assertTrue(flipped instanceof FileTransfer.Failed f && f.message().contains("weights/b.bin") && f.message().contains("CRC32C"), flipped.toString());
        FileTransfer.Outcome shortened = transfer(files, () -> write(a, seeded(SMALL_CHUNKS, 3)), dir.resolve("y"));
        assertTrue(shortened instanceof FileTransfer.Failed f && f.message().contains("a.bin") && f.message().contains("ends at byte " + SMALL_CHUNKS),
                shortened.toString());
    }

    static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
