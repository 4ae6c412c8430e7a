package dev.atomic.component;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.atomic.component.SystemSpec.refs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SystemSpecTest {
    private static final long MIB = 1024 * 1024;

    /**
     * The default system as code built it before it had manifests, with the version its manifests give, and
     * demo-app's warm spare.
     */
    @Test
    void theDefaultSystemFromItsManifestsIsTheOneCodeBuiltBefore() {
        RestartPolicy d = RestartPolicy.DEFAULT;
        SystemSpec before = new SystemSpec("default", List.of(
                versioned(new ComponentSpec("echo", Kernel.SERVICES, "service", "dev.atomic.demo.EchoService",
                        refs("echo@1"), refs(), 192 * MIB, 64, SystemSpec.DEFAULT_RATE), d),
                versioned(new ComponentSpec("demo-app", Kernel.DAK, "app", "dev.atomic.demo.DemoApp",
                        refs(), refs("echo@1#1"), 192 * MIB, 64, SystemSpec.DEFAULT_RATE),
                        new RestartPolicy(d.mode(), d.limit(), d.window(), d.firstDelay(), d.maxDelay(), true))),
                List.of(new PoolSpec("demo-app", "echo", 8, 64 * 1024)));
        assertEquals(before, SystemSpec.builtIn("default"));
    }

    private static ComponentSpec versioned(ComponentSpec c, RestartPolicy restart) {
        return new ComponentSpec(c.id(), c.kernel(), c.kind(), c.image(), c.provides(), c.calls(), c.memoryMaxBytes(),
                c.pidsMax(), c.rateBudget(), c.cpuLimit(), c.cpuWeight(), "0.1.0", restart, c.state(), c.sandbox(),
                c.tier());
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
