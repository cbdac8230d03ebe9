package org.meshemu.tests.bench;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.meshemu.deploy.cluster.ClusterConfig;
import org.meshemu.kernel.NodeSync;
import org.meshemu.kernel.WindowRoot;

/**
 * The baseline of a cluster epoch: the round trip of one small message between two actor systems
 * over Artery on 127.0.0.1 (in one JVM, through the wire serializer), as the median and mean of N
 * sequential ping-pongs after a warm-up. An epoch across JVMs costs at least one one-way trip.
 * Prints one JSON line. Usage: PingBench [N, default 5000]
 */
public final class PingBench {
    private PingBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        // the pong side answers a Hosted (which carries the pinger's reference) with empty Peers
        ActorSystem<WindowRoot.Command> pong = ActorSystem.create(Behaviors.receiveMessage(m -> {
            if (m instanceof WindowRoot.Hosted h) h.sync().tell(new NodeSync.Peers(List.of()));
            return Behaviors.same();
        }), ClusterConfig.SYSTEM, remote());
        String pongPath = ActorRefResolver.get(pong).toSerializationFormat(pong);
        CompletableFuture<long[]> rtts = new CompletableFuture<>();
        ActorSystem<NodeSync.Command> ping = ActorSystem.create(Behaviors.setup(ctx -> {
            ActorRef<WindowRoot.Command> other = ActorRefResolver.get(ctx.getSystem()).resolveActorRef(pongPath);
            WindowRoot.Hosted message = new WindowRoot.Hosted(0, ctx.getSelf());
            long[] times = new long[2 * n];
            long[] sent = {System.nanoTime()};
            int[] k = {0};
            other.tell(message);
            return Behaviors.receiveMessage(m -> {
                times[k[0]++] = System.nanoTime() - sent[0];
                if (k[0] == times.length) {
                    rtts.complete(java.util.Arrays.copyOfRange(times, n, 2 * n)); // the second half: warm
                    return Behaviors.stopped();
                }
                sent[0] = System.nanoTime();
                other.tell(message);
                return Behaviors.same();
            });
        }), ClusterConfig.SYSTEM, remote());
        try {
            long[] t = rtts.get();
            java.util.Arrays.sort(t);
            double mean = java.util.Arrays.stream(t).average().orElse(0);
            System.out.printf(Locale.ROOT, "{\"bench\": \"ping\", \"roundTrips\": %d, \"medianRoundTripMicros\": %.1f, \"meanRoundTripMicros\": %.1f}%n",
                    n, t[n / 2] / 1e3, mean / 1e3);
        } finally {
            ping.terminate();
            pong.terminate();
        }
    }

    private static com.typesafe.config.Config remote() {
        return com.typesafe.config.ConfigFactory.parseString("pekko.actor.provider = remote")
                .withFallback(ClusterConfig.of("127.0.0.1", 0, List.of(), "bench", 1));
    }
}
