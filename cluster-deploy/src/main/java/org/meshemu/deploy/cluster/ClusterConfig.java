package org.meshemu.deploy.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.stream.Collectors;
import org.meshemu.kernel.Engine;

/**
 * The Pekko configuration of a cluster member (a worker node or a launcher). docs/CLUSTER.md gives
 * the reasons for each setting; in short: every message that crosses nodes goes through
 * {@link WireSerializer} and Java serialisation is off; partitions' batches, the root's reports and
 * the chunks of a run's files (to a node's run actor, {@code /user/*}{@code /*}) go over Artery's
 * large-message channel; a member is unreachable only after 10 s without
 * heartbeats (GC pauses of a few seconds are normal at wafer scale), and the split-brain resolver
 * then removes the smaller side.
 */
public final class ClusterConfig {
    /** Every JVM of a cluster names its actor system alike: Pekko only joins systems of one name. */
    public static final String SYSTEM = "meshemu";
    /** The launcher's root actor, spawned under /system. */
    static final String ROOT = "meshemu-root";

    private ClusterConfig() {}

    /** A member bound to {@code host:port} (port 0: any free one) joining {@code seeds} ("host:port"). */
    public static Config of(String host, int port, List<String> seeds, String role, int threads) {
        String seedList = seeds.stream().map(s -> "\"pekko://" + SYSTEM + "@" + s + "\"").collect(Collectors.joining(", "));
        return ConfigFactory.parseString("""
                pekko {
                  loglevel = WARNING
                  actor {
                    provider = cluster
                    allow-java-serialization = off
                    serializers.meshemu-wire = "org.meshemu.deploy.cluster.WireSerializer"
                    serialization-bindings {
                      "org.meshemu.kernel.NodeSync$Command" = meshemu-wire
                      "org.meshemu.kernel.WindowRoot$Command" = meshemu-wire
                      "org.meshemu.deploy.cluster.NodeHost$Command" = meshemu-wire
                      "org.meshemu.deploy.cluster.NodeHost$Mapped" = meshemu-wire
                      "org.meshemu.deploy.cluster.FileTransfer$SourceCommand" = meshemu-wire
                      "org.meshemu.deploy.cluster.FileTransfer$ReceiverCommand" = meshemu-wire
                    }
                  }
                  remote.artery {
                    canonical.hostname = "%s"
                    canonical.port = %d
                    large-message-destinations = ["/user/*/*", "/system/%s"]
                    advanced.maximum-large-frame-size = 32 MiB
                  }
                  cluster {
                    seed-nodes = [%s]
                    roles = [%s]
                    failure-detector.acceptable-heartbeat-pause = 10 s
                    downing-provider-class = "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider"
                    split-brain-resolver.stable-after = 7 s
                    # launchers come and go: one that stops before its removal completes is seen
                    # unreachable while leaving, and must never make the resolver down every member
                    split-brain-resolver.down-all-when-unstable = off
                    jmx.enabled = off
                    log-info = off
                  }
                  coordinated-shutdown.exit-jvm = off
                  # nothing is handed over when a member leaves (no sharding, no singletons), but its removal
                  # takes a few gossip rounds; stopping earlier leaves it unreachable to the others
                  coordinated-shutdown.phases.cluster-exiting.timeout = 5 s
                }
                """.formatted(host, port, ROOT, seedList, role)).withFallback(Engine.config(threads));
    }
}
