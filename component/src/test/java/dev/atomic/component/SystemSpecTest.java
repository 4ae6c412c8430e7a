package dev.atomic.component;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.atomic.component.SystemSpec.refs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SystemSpecTest {
    private static final long MIB = 1024 * 1024;

    /**
     * The default system: echo as before, the console service (observing everyone, granted inject into the others,
     * its faults checkpointed), an on-demand digest service, the fs, input and sensor drivers, and demo-app calling
     * the three services and receiving the two drivers' events, with its warm spare.
     */
    @Test
    void theDefaultSystemIsEchoTheConsoleAnOnDemandDigestAndDemoApp() {
        SystemSpec system = SystemSpec.builtIn("default");
        assertEquals(java.util.Set.of("echo", "console", "digest", "fs", "input", "sensor", "demo-app"),
                system.components().stream()
                .map(ComponentSpec::id).collect(java.util.stream.Collectors.toSet()));
        ComponentSpec echo = system.component("echo").orElseThrow();
        assertEquals(new ComponentSpec("echo", Kernel.SERVICES, "service", Image.java("dev.atomic.demo.EchoService"),
                refs("echo@1"), refs(), 192 * MIB, 64, SystemSpec.DEFAULT_RATE, 0, 0, "0.1.0", RestartPolicy.DEFAULT,
                StateKind.STATELESS, SandboxGrants.NONE, 2), echo);
        ComponentSpec console = system.component("console").orElseThrow();
        assertEquals(Kernel.SERVICES, console.kernel());
        assertEquals(StateKind.CHECKPOINTED, console.state());
        assertTrue(console.observes("demo-app") && console.observes("echo"));
        assertTrue(console.injects("demo-app") && console.injects("echo") && console.injects("digest"));
        assertFalse(console.injects("console"), "never itself");
        assertTrue(system.component("digest").orElseThrow().activation().onDemand());
        ComponentSpec app = system.component("demo-app").orElseThrow();
        assertEquals(refs("echo@1#1", "digest@1", "console@1#5"), app.calls());
        assertEquals(refs("input-events@1", "readings@1"), app.provides());
        assertEquals(List.of("fs"), app.sandbox().mounts(), "it writes files into the fs driver's mount");
        assertTrue(console.injects("fs") && console.injects("input") && console.injects("sensor"));
        assertEquals(5000, app.rateBudget());
        assertTrue(app.restart().spare());
        assertEquals(java.time.Duration.ofSeconds(3), app.watch().hangAfter());
        assertEquals(List.of(new PoolSpec("demo-app", "echo", 8, 64 * 1024)), system.pools());
    }

    private static final String ECHO = """
            id = "echo"
            kernel = "services"
            kind = "service"
            version = "1.0.0"
            [image]
            class = "x.Echo"
            [[provides]]
            service = "echo"
            version = 2
            """;
    private static final String APP = """
            id = "app"
            kernel = "dak"
            kind = "app"
            version = "1.0.0"
            [image]
            class = "x.App"
            [[calls]]
            service = "echo"
            version = 2
            pool = { buffers = 2, size = "4KiB" }
            """;

    @Test
    void anOnDemandServiceIsReachedThroughTheEngineOnly() {
        ComponentSpec lazy = new ComponentSpec("lazy", Kernel.SERVICES, "service", "x.Lazy", refs("lazy@1"), refs(),
                192 * MIB, 64, SystemSpec.DEFAULT_RATE).withActivation(Activation.onDemand(
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(2)));
        ComponentSpec app = new ComponentSpec("app", Kernel.DAK, "app", "x.App", refs(), refs("lazy@1"), 192 * MIB, 64,
                SystemSpec.DEFAULT_RATE);
        assertEquals(List.of(lazy, app), new SystemSpec("s", List.of(lazy, app)).components());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SystemSpec("s",
                List.of(lazy, app), List.of(), List.of(new FastPathSpec("app", "lazy", 0))));
        assertEquals("system 's': no fast path to 'lazy': lazy starts on demand, and the Engine must see every call to "
                + "it to start, thaw and keep it awake", e.getMessage());
    }

    @Test
    void aDirectoryOfManifestsIsASystemNamedAfterIt(@TempDir Path home) throws Exception {
        Path dir = Files.createDirectory(home.resolve("lab"));
        Files.writeString(dir.resolve("app.toml"), APP);
        Files.writeString(dir.resolve("echo.toml"), ECHO);
        Files.writeString(dir.resolve("README.md"), "not a manifest");
        SystemSpec system = SystemSpec.fromDirectory(dir);
        assertEquals("lab", system.name());
        assertEquals(List.of("echo", "app"), system.components().stream().map(ComponentSpec::id).toList(),
                "services kernel first, then drivers & apps");
        assertEquals(List.of(new PoolSpec("app", "echo", 2, 4096)), system.pools());
        assertEquals(ServiceRef.parse("echo@2"), system.component("app").orElseThrow().grant("echo"));
    }

    @Test
    void theErrorsOfEveryManifestAreReportedTogether(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("app.toml"), APP.replace("\"1.0.0\"", "\"1\""));
        Files.writeString(dir.resolve("echo.toml"), ECHO.replace("\"services\"", "\"kernel\""));
        Files.writeString(dir.resolve("other.toml"), ECHO.replace("[[provides]]\nservice = \"echo\"\nversion = 2\n", ""));
        assertEquals(List.of(
                "app.toml:4: a version is like 1.4.2 or 1.4.2-rc1, not \"1\"",
                "echo.toml:2: kernel must be \"services\" or \"dak\", found \"kernel\"",
                "other.toml: its component is 'echo': a manifest is named <id>.toml"),
                assertThrows(ManifestException.class, () -> SystemSpec.fromDirectory(dir)).errors());
    }

    @Test
    void whatNoSingleManifestCanSeeIsCheckedForTheSystem(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("app.toml"), APP);
        ManifestException e = assertThrows(ManifestException.class, () -> SystemSpec.fromDirectory(dir));
        assertEquals("system '" + dir.getFileName() + "': app calls 'echo', which no component provides",
                e.getMessage());
        Files.delete(dir.resolve("app.toml"));
        assertEquals(List.of(dir + ": no manifests (<id>.toml) in the directory"),
                assertThrows(ManifestException.class, () -> SystemSpec.fromDirectory(dir)).errors());
    }
}
