package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.URL;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** A local engine's loader hides only the reference configuration of Pekko's modules beside the actor runtime. */
class LocalClassLoaderTest {

    private static URL in(String jar) throws Exception {
        return URI.create("jar:file:/home/u/.m2/repository/x/" + jar + "!/reference.conf").toURL();
    }

    @Test
    void hidesTheClusterAndRemotingModulesAndKeepsTheRuntimeAndEverythingElse() throws Exception {
        for (String jar : new String[] {"pekko-remote_2.13-1.7.0.jar", "pekko-cluster_2.13-1.7.0.jar", "pekko-cluster-typed_2.13-1.7.0.jar",
                "pekko-distributed-data_2.13-1.7.0.jar", "pekko-stream_2.13-1.7.0.jar", "pekko-http-core_2.13-1.3.0.jar"}) {
            assertTrue(LocalClassLoader.hidden(in(jar)), jar);
        }
        for (String jar : new String[] {"pekko-actor_2.13-1.7.0.jar", "pekko-actor-typed_2.13-1.7.0.jar", "pekko-slf4j_2.13-1.7.0.jar",
                "emulator-core-0.1.0-SNAPSHOT.jar", "ssl-config-core_2.13-0.7.1.jar", "meshemu.jar"}) {
            assertFalse(LocalClassLoader.hidden(in(jar)), jar);
        }
        assertFalse(LocalClassLoader.hidden(URI.create("file:/work/emulator-core/target/classes/reference.conf").toURL()), "a directory");
    }

    @Test
    void theLocalConfigurationIsTheRuntimesAndMeshemus() throws Exception {
        var found = Collections.list(LocalClassLoader.INSTANCE.getResources("reference.conf"));
        assertTrue(found.stream().anyMatch(u -> u.getPath().contains("pekko-actor_")), found.toString());
        assertTrue(found.stream().noneMatch(LocalClassLoader::hidden), found.toString());
        Config local = ConfigFactory.load(LocalClassLoader.INSTANCE);
        assertEquals(ConfigFactory.load().getDuration(NodeSync.STALL_TIMEOUT), local.getDuration(NodeSync.STALL_TIMEOUT));
        assertEquals("WARNING", local.getString("pekko.loglevel"), "meshemu's own Pekko settings");
        assertTrue(local.hasPath("pekko.actor.serializers.java"));
        // other resources pass unchanged
        assertEquals(Collections.list(Engine.class.getClassLoader().getResources("META-INF/MANIFEST.MF")),
                Collections.list(LocalClassLoader.INSTANCE.getResources("META-INF/MANIFEST.MF")));
    }
}
