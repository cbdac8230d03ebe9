package org.meshemu.kernel;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of an actor system confined to this JVM ({@link Engine}): the application's,
 * except that it hides the reference configuration of Pekko's modules other than the actor
 * runtime (remoting, cluster, distributed data, streams, HTTP).
 *
 * <p>Pekko merges every {@code reference.conf} its class loader finds, and creates at start every
 * serializer they name, so an actor system that never serialises a message would build the
 * cluster's protobuf serializers and spin their lambdas (about 120 classes, a tenth of the default
 * run's processor time with the JIT work they bring, docs/PERFORMANCE.md). A configuration cannot
 * drop another module's keys, only the loader can. Classes and every other resource come from the
 * application's loader unchanged. The cluster's nodes keep the whole configuration.
 */
final class LocalClassLoader extends ClassLoader {
    /** Pekko's modules an actor system in one JVM runs on (its logging bridge included). */
    private static final List<String> RUNTIME = List.of("pekko-actor_", "pekko-actor-typed_", "pekko-slf4j_");

    static final LocalClassLoader INSTANCE = new LocalClassLoader(Engine.class.getClassLoader());

    private LocalClassLoader(ClassLoader application) {
        super(application);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        Enumeration<URL> all = super.getResources(name);
        if (!name.equals("reference.conf")) return all;
        List<URL> kept = new ArrayList<>();
        for (URL url : Collections.list(all)) if (!hidden(url)) kept.add(url);
        return Collections.enumeration(kept);
    }

    /** Whether {@code url} is the reference configuration of a Pekko module beside the runtime (by its jar's name). */
    static boolean hidden(URL url) {
        String path = url.getPath();
        int end = path.lastIndexOf(".jar!");
        if (end < 0) return false; // a directory or a merged jar: kept, at the cost of its serializers
        String jar = path.substring(path.lastIndexOf('/', end) + 1);
        return jar.startsWith("pekko-") && RUNTIME.stream().noneMatch(jar::startsWith);
    }
}
