package org.meshemu.dashboards;

import static org.apache.pekko.http.javadsl.server.Directives.completeOK;
import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResourceDirectory;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.pathSingleSlash;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The HTTP side of a run (Pekko HTTP, in an actor system of its own with two threads, apart from
 * the emulation's): {@code /metrics} (Prometheus text format), {@code /api/status} (JSON),
 * {@code /api/heatmap?layer=K} (JSON), {@code /api/events?layer=K} (server-sent events, one update
 * every {@link #UPDATE_PERIOD}), and the live page {@code /} with its plain files.
 */
public final class DashboardServer implements AutoCloseable {
    /** Server-sent updates are this far apart, whatever the run does. */
    static final Duration UPDATE_PERIOD = Duration.ofMillis(500);
    private static final String PAGE = "org/meshemu/dashboards/live";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ActorSystem<Void> system;
    private final ServerBinding binding;

    /** What the live page receives: the run's status, the layers it can show and the one it asked for. */
    public record Update(LiveRun.Status status, List<LayerName> layers, Heatmap heatmap) {}

    /** A layer the system has. */
    public record LayerName(String key, String title) {}

    private DashboardServer(ActorSystem<Void> system, ServerBinding binding) {
        this.system = system;
        this.binding = binding;
    }

    /** Binds {@code address:port} (port 0: any free port) and serves {@code run} until closed. */
    public static DashboardServer start(LiveRun run, Metrics metrics, String address, int port) {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "meshemu-dashboard", ConfigFactory.parseString("""
                pekko.actor.default-dispatcher.fork-join-executor { parallelism-min = 2, parallelism-max = 2 }
                pekko.loglevel = WARNING
                """).withFallback(ConfigFactory.load()));
        try {
            ServerBinding binding = Http.get(system).newServerAt(address, port).bind(routes(run, metrics))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new DashboardServer(system, binding);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            system.terminate();
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new IllegalStateException("cannot serve on " + address + ":" + port + ": " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }

    /** The bound address (the real port when 0 was asked for). */
    public InetSocketAddress address() { return binding.localAddress(); }

    static Update update(LiveRun run, Layer layer) {
        return new Update(run.status(), run.layers().stream().map(l -> new LayerName(l.key, l.title)).toList(), Heatmap.of(run.geometry, layer, run.values(layer)));
    }

    private static Route routes(LiveRun run, Metrics metrics) {
        return get(() -> concat(
                path("metrics", () -> complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, metrics.scrape()))),
                pathPrefix("api", () -> concat(
                        path("status", () -> json(run.status())),
                        path("heatmap", () -> withLayer(run, layer -> json(Heatmap.of(run.geometry, layer, run.values(layer))))),
                        path("events", () -> withLayer(run, layer -> {
                            Source<ServerSentEvent, NotUsed> events = Source.tick(Duration.ZERO, UPDATE_PERIOD, "tick")
                                    .map(t -> ServerSentEvent.create(text(update(run, layer)))).mapMaterializedValue(c -> NotUsed.getInstance());
                            return completeOK(events, EventStreamMarshalling.toEventStream());
                        })))),
                pathSingleSlash(() -> getFromResource(PAGE + "/index.html")),
                getFromResourceDirectory(PAGE)));
    }

    /** The {@code layer} query parameter, by default the first layer the system has. */
    private static Route withLayer(LiveRun run, java.util.function.Function<Layer, Route> inner) {
        return parameterOptional("layer", key -> {
            List<Layer> layers = run.layers();
            Layer layer = key.flatMap(k -> layers.stream().filter(l -> l.key.equals(k)).findFirst())
                    .orElse(layers.isEmpty() ? Layer.CORE_UTILISATION : layers.get(0));
            return inner.apply(layer);
        });
    }

    private static Route json(Object value) {
        return complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, text(value)));
    }

    private static String text(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    @Override
    public void close() {
        try {
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException ignored) {
            // shutting down: the actor system's end closes what is left
        }
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException ignored) {
            // nothing left to report
        }
    }
}
