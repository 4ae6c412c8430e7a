package dev.atomic.component;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestTest {
    private static final long MIB = 1024 * 1024;

    /** Every field, each with a value other than its default. */
    private static final String FULL = """
            # a driver with everything said
            id = "key-input"
            kernel = "dak"
            kind = "driver"
            version = "2.1.0-rc1"
            tier = 1
            tier-earned = true
            state = "checkpointed"
            checkpoint-every = "500ms"

            [image]
            class = "com.example.keys.KeyInput"
            jar = "lib/keys.jar"

            [[provides]]
            service = "keys"
            version = 3

            [[calls]]
            service = "echo"
            version = 3
            oldest = 2
            methods = [1, 2]
            pool = { buffers = 4, size = "4KiB" }

            [[calls]]
            service = "log"
            version = 1

            [resources]
            cpu = 0.5
            cpu-weight = 1000
            memory = "96MiB"
            pids = 32
            rate = 5000

            [restart]
            policy = "never"
            limit = 2
            window = "2m"
            first-delay = "250ms"
            max-delay = "5s"
            spare = true

            [watch]
            health-every = "0s"
            hang-after = "2s"

            [sandbox]
            read = ["/usr/share/keymaps"]
            write = ["/var/lib/keys"]
            network = true
            state-size = "256MiB"
            """;

    private static final String MINIMAL = """
            id = "echo"
            kernel = "services"
            kind = "service"
            version = "1.0.0"
            [image]
            class = "x.Echo"
            """;

    @Test
    void everyFieldIsRead() {
        Manifest m = Manifest.parse("key-input.toml", FULL, Path.of("/opt/keys"));
        ComponentSpec expected = new ComponentSpec("key-input", Kernel.DAK, "driver",
                new Image(Image.Kind.JAVA, "com.example.keys.KeyInput", "/opt/keys/lib/keys.jar", List.of()),
                List.of(ServiceRef.parse("keys@3")),
                List.of(new ServiceRef("echo", 2, 3, Set.of(1, 2)), ServiceRef.parse("log@1")),
                96 * MIB, 32, 5000, 0.5, 1000, "2.1.0-rc1",
                new RestartPolicy(RestartPolicy.Mode.NEVER, 2, Duration.ofMinutes(2), Duration.ofMillis(250),
                        Duration.ofSeconds(5), true), StateKind.CHECKPOINTED,
                new SandboxGrants(List.of("/usr/share/keymaps"), List.of("/var/lib/keys"), true, 256 * MIB), 1,
                Activation.BOOT, List.of(), new Watch(Duration.ofMillis(500), Duration.ZERO, Duration.ofSeconds(2)),
                List.of(), true);
        assertEquals(expected, m.component());
        assertEquals(List.of(new PoolSpec("key-input", "echo", 4, 4096)), m.pools());
    }

    @Test
    void whatIsLeftOutTakesItsDefault() {
        Manifest m = Manifest.parse("echo.toml", MINIMAL, null);
        assertEquals(new ComponentSpec("echo", Kernel.SERVICES, "service", Image.java("x.Echo"), List.of(), List.of(),
                192 * MIB, 64, SystemSpec.DEFAULT_RATE, 0, 0, "1.0.0", RestartPolicy.DEFAULT, StateKind.STATELESS,
                SandboxGrants.NONE, 2), m.component());
        assertEquals(List.of(), m.pools());
    }

    @Test
    void anOnDemandServiceHasItsIdleTimeoutsOrTheDefaults() {
        String onDemand = "activation = \"on-demand\"\n" + MINIMAL + "[[provides]]\nservice = \"echo\"\nversion = 1\n";
        assertEquals(Activation.onDemand(Duration.ofMillis(1500), Duration.ofMinutes(2)),
                Manifest.parse("echo.toml", onDemand + "[idle]\nfreeze = \"1500ms\"\nstop = \"2m\"\n", null)
                        .component().activation());
        assertEquals(Activation.onDemand(Duration.ofSeconds(30), Duration.ofMinutes(10)),
                Manifest.parse("echo.toml", onDemand, null).component().activation());
        assertEquals(Activation.BOOT, Manifest.parse("echo.toml", MINIMAL, null).component().activation());
        assertEquals(Activation.BOOT, Manifest.parse("echo.toml", "activation = \"boot\"\n" + MINIMAL, null)
                .component().activation());
    }

    @Test
    void aStateSizeIsAFileSystemsSize() {
        assertEquals(List.of("echo.toml:8: state-size: a state size is 4MiB to 1TiB (a file system of its own), not "
                + "1048576 bytes"), errors(MINIMAL + "[sandbox]\nstate-size = \"1MiB\"\n"));
        assertEquals(List.of("echo.toml:8: state-size must be like 64MiB, found \"big\""),
                errors(MINIMAL + "[sandbox]\nstate-size = \"big\"\n"));
        assertEquals(SandboxGrants.DEFAULT_STATE_BYTES,
                Manifest.parse("echo.toml", MINIMAL, Path.of("/")).component().sandbox().stateBytes());
    }

    @Test
    void aDriverMayAskForAFuseMount() {
        String driver = MINIMAL.replace("services", "dak").replace("kind = \"service\"", "kind = \"driver\"");
        assertEquals("fs", Manifest.parse("echo.toml", driver + "[sandbox]\nfuse-mount = \"fs\"\n", null).component()
                .sandbox().fuseMount());
        assertEquals("/run/atomic/fs", Manifest.parse("echo.toml", driver + "[sandbox]\nfuse-mount = \"/run/atomic/fs\"\n",
                null).component().sandbox().fuseMount());
        assertEquals("", Manifest.parse("echo.toml", driver, null).component().sandbox().fuseMount(), "none by default");
        assertEquals(List.of("echo.toml:8: fuse-mount: a FUSE mount point is an absolute, normalised path other than "
                + "\"/\", or a name (1-40 of a-z, 0-9, '.', '-') under the instance's mnt directory, not \"../fs\""),
                errors(driver + "[sandbox]\nfuse-mount = \"../fs\"\n"));
        assertEquals(List.of("echo.toml:8: fuse-mount: only a driver is given a FUSE mount, not a service"),
                errors(MINIMAL + "[sandbox]\nfuse-mount = \"fs\"\n"));
        assertEquals(List.of("echo.toml:10: fuse-mount: a driver with a FUSE mount has no warm spare (restart.spare): "
                + "one process at a time serves the session"),
                errors(driver + "[restart]\nspare = true\n[sandbox]\nfuse-mount = \"fs\"\n"));
    }

    @Test
    void aComponentMayUseAnotherDriversFuseMount() {
        String user = MINIMAL + "[sandbox]\nmounts = [\"fs\"]\n";
        ComponentSpec app = Manifest.parse("echo.toml", user, null).component();
        assertEquals(List.of("fs"), app.sandbox().mounts());
        assertEquals(List.of(), Manifest.parse("echo.toml", MINIMAL, null).component().sandbox().mounts(),
                "none by default");
        assertEquals(List.of("echo.toml:8: mounts: component id 'Fs' must be 1-40 characters of a-z, 0-9 and '-', "
                + "starting with a letter"), errors(MINIMAL + "[sandbox]\nmounts = [\"Fs\"]\n"));
        assertEquals(List.of("echo.toml:8: mounts: 'fs' is named twice"),
                errors(MINIMAL + "[sandbox]\nmounts = [\"fs\", \"fs\"]\n"));
        String driver = MINIMAL.replace("services", "dak").replace("kind = \"service\"", "kind = \"driver\"")
                .replace("id = \"echo\"", "id = \"fs\"").replace("service = \"echo\"", "service = \"files\"");
        ComponentSpec fs = Manifest.parse("fs.toml", driver + "[sandbox]\nfuse-mount = \"fs\"\n", null).component();
        assertEquals(List.of("fs"), new SystemSpec("s", List.of(app, fs)).component("echo").orElseThrow().sandbox()
                .mounts());
        ComponentSpec plain = Manifest.parse("fs.toml", driver, null).component();
        assertEquals("system 's': echo uses the FUSE mount of 'fs', which is not a driver with a FUSE mount "
                + "([sandbox] fuse-mount)", assertThrows(IllegalArgumentException.class,
                () -> new SystemSpec("s", List.of(app, plain))).getMessage());
        assertEquals("system 's': echo uses the FUSE mount of 'ghost', which is not a driver with a FUSE mount "
                + "([sandbox] fuse-mount)", assertThrows(IllegalArgumentException.class, () -> new SystemSpec("s",
                List.of(Manifest.parse("echo.toml", MINIMAL + "[sandbox]\nmounts = [\"ghost\"]\n", null)
                        .component()))).getMessage());
    }

    @Test
    void aGrantedMountIsWhereTheSovereignSaysAndNowhereElse() {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        GrantedMounts.put(env, java.util.Map.of());
        assertEquals(java.util.Map.of(), env, "nothing said when nothing is granted");
        java.util.Map<String, Path> mounts = new java.util.LinkedHashMap<>();
        mounts.put("fs", Path.of("/mnt/fs"));
        mounts.put("media", Path.of("/srv/a=b"));
        GrantedMounts.put(env, mounts);
        String told = env.get(GrantedMounts.ENV);
        assertEquals(java.util.Optional.of(Path.of("/mnt/fs")), GrantedMounts.in(told, "fs"));
        assertEquals(java.util.Optional.of(Path.of("/srv/a=b")), GrantedMounts.in(told, "media"));
        assertEquals(java.util.Optional.empty(), GrantedMounts.in(told, "f"));
        assertEquals(java.util.Optional.empty(), GrantedMounts.in(null, "fs"));
    }

    @Test
    void activationErrorsNameTheirLines() {
        String provides = "[[provides]]\nservice = \"echo\"\nversion = 1\n";
        String onDemand = "activation = \"on-demand\"\n" + MINIMAL + provides; // [[provides]] on lines 8-10
        assertEquals(List.of("echo.toml:1: activation must be \"boot\" or \"on-demand\", found \"lazy\""),
                errors("activation = \"lazy\"\n" + MINIMAL));
        assertEquals(List.of("echo.toml:1: activation: an on-demand service must provide a service: no request could "
                + "ever start it"), errors("activation = \"on-demand\"\n" + MINIMAL));
        assertEquals(List.of("echo.toml:1: activation: only a service is started on demand; a driver starts at boot"),
                errors(onDemand.replace("services", "dak").replace("\"service\"\nversion = \"", "\"driver\"\nversion = \"")));
        assertEquals(List.of("echo.toml:7: [idle] is for an on-demand service: add activation = \"on-demand\", or "
                + "remove it"), errors(MINIMAL + "[idle]\nfreeze = \"1s\"\n"));
        assertEquals(List.of("echo.toml:12: freeze must be like 30s, 2m or 500ms, found \"soon\""),
                errors(onDemand + "[idle]\nfreeze = \"soon\"\n"));
        assertEquals(List.of("echo.toml:12: freeze: an idle freeze timeout is 100ms to 24h, not 50ms"),
                errors(onDemand + "[idle]\nfreeze = \"50ms\"\n"));
        assertEquals(List.of("echo.toml:12: stop must be a duration like 30s, found 5"),
                errors(onDemand + "[idle]\nstop = 5\n"));
        assertEquals(List.of("echo.toml:13: the stop timeout (1000ms) must be longer than the freeze timeout (2000ms): "
                + "a service is frozen first, stopped later"), errors(onDemand + "[idle]\nfreeze = \"2s\"\nstop = \"1s\"\n"));
        assertEquals(List.of("echo.toml:12: unknown key 'thaw' in [idle] (known: freeze, stop)"),
                errors(onDemand + "[idle]\nthaw = \"1s\"\n"));
    }

    @Test
    void anExecutableImageIsFoundFromTheManifestsDirectory() {
        String text = MINIMAL.replace("class = \"x.Echo\"", "exec = \"bin/../bin/echo\"\nargs = [\"--fast\", \"-v\"]");
        Image image = Manifest.parse("echo.toml", text, Path.of("/opt/echo")).component().image();
        assertEquals(Image.exec("/opt/echo/bin/echo", List.of("--fast", "-v")), image);
        assertEquals(List.of("echo.toml:6: exec: a relative path (\"bin/../bin/echo\") needs a manifest file to be "
                + "relative to"), errors(text));
    }

    @Test
    void theObserveCapabilityNamesComponentsOrEveryOtherOne() {
        ComponentSpec all = Manifest.parse("echo.toml", MINIMAL.replace("[image]", "observe = [\"*\"]\n[image]"), null)
                .component();
        assertEquals(List.of("*"), all.observe());
        assertTrue(all.observes("clerk") && !all.observes("echo"), "every other component, not itself");
        ComponentSpec one = Manifest.parse("echo.toml", MINIMAL.replace("[image]", "observe = [\"clerk\"]\n[image]"),
                null).component();
        assertTrue(one.observes("clerk") && !one.observes("disk"));
        assertEquals(List.of(), Manifest.parse("echo.toml", MINIMAL, null).component().observe(), "nobody by default");
        assertEquals(List.of("echo.toml:5: observe: observe names component ids, or \"*\" for every other component, "
                + "not \"Disk\""), errors(MINIMAL.replace("[image]", "observe = [\"Disk\"]\n[image]")));
        ComponentSpec ghost = new ComponentSpec("echo", Kernel.SERVICES, "service", Image.java("x.Echo"), List.of(),
                List.of(), MIB, 1, 1, 0, 0, "1.0.0", RestartPolicy.DEFAULT, StateKind.STATELESS, SandboxGrants.NONE, 2,
                Activation.BOOT, List.of("ghost"));
        assertEquals("system 's': echo observes 'ghost', which is not a component",
                assertThrows(IllegalArgumentException.class, () -> new SystemSpec("s", List.of(ghost))).getMessage());
    }

    /** The errors of a manifest that must be refused. */
    private static List<String> errors(String text) {
        return assertThrows(ManifestException.class, () -> Manifest.parse("echo.toml", text, null)).errors();
    }

    /** MINIMAL with one more line at its end (line 7). */
    private static String plus(String lines) {
        return MINIMAL + lines + "\n";
    }

    @Test
    void eachFieldsErrorNamesItsLine() {
        record Case(String manifest, String error) {
        }
        List<Case> cases = List.of(
                new Case(MINIMAL.replace("\"echo\"", "\"Echo\""),
                        "echo.toml:1: component id 'Echo' must be 1-40 characters of a-z, 0-9 and '-', starting with a letter"),
                new Case(MINIMAL.replace("\"services\"", "\"kernel1\""),
                        "echo.toml:2: kernel must be \"services\" or \"dak\", found \"kernel1\""),
                new Case(MINIMAL.replace("\"services\"", "5"), "echo.toml:2: kernel must be a string, found 5"),
                new Case(MINIMAL.replace("kind = \"service\"", "kind = \"daemon\""),
                        "echo.toml:3: kind must be \"driver\", \"app\" or \"service\", found \"daemon\""),
                new Case(MINIMAL.replace("kind = \"service\"", "kind = \"app\""),
                        "echo.toml:3: a app runs in the dak kernel (drivers & apps), not in services"),
                new Case(MINIMAL.replace("\"1.0.0\"", "\"one\""),
                        "echo.toml:4: a version is like 1.4.2 or 1.4.2-rc1, not \"one\""),
                new Case(MINIMAL.replace("\"x.Echo\"", "\"x Echo\""),
                        "echo.toml:6: a Java image names a class like com.example.Echo, not \"x Echo\""),
                new Case(plus("jar = \"/opt/echo.zip\""),
                        "echo.toml:7: a jar is an absolute, normalised path ending in .jar, not \"/opt/echo.zip\""),
                new Case(plus("exec = \"/bin/echo\""), "echo.toml:7: [image] has both 'class' and 'exec': it is one or the other"),
                new Case(plus("args = [\"-v\"]"), "echo.toml:7: a Java image takes no 'args'"),
                new Case(MINIMAL.replace("class = \"x.Echo\"", "exec = \"/bin/echo\"\njar = \"/x.jar\""),
                        "echo.toml:7: an executable image has no 'jar'"),
                new Case("tier = 1\n" + MINIMAL.replace("class = \"x.Echo\"", "exec = \"/bin/echo\""),
                        "echo.toml:1: tier: an executable image runs in a process of its own: tier 1 is for Java "
                                + "components, which share a partition host's JVM"),
                new Case(MINIMAL.replace("class = \"x.Echo\"", "exec = \"/bin/echo\"") + "[restart]\nspare = true",
                        "echo.toml:8: spare: a warm spare is a component host's JVM waiting to become the "
                                + "component; an executable image has no JVM to keep warm"),
                new Case(MINIMAL.replace("class = \"x.Echo\"", "exec = \"/bin/../echo\""),
                        "echo.toml:6: an executable is an absolute, normalised path, not \"/bin/../echo\""),
                new Case(plus("[resources]\nmemory = \"lots\""), "echo.toml:8: memory must be like 64MiB, found \"lots\""),
                new Case(plus("[resources]\nmemory = 64"), "echo.toml:8: memory must be a size like 64MiB, found 64"),
                new Case(plus("[resources]\nmemory = \"2048GiB\""), "echo.toml:8: memory is at most 1TiB, found \"2048GiB\""),
                new Case(plus("[resources]\ncpu = -1"), "echo.toml:8: cpu: a CPU limit is 0 (none) or a positive number of CPUs"),
                new Case(plus("[resources]\ncpu = \"half\""), "echo.toml:8: cpu must be a number of CPUs, found \"half\""),
                new Case(plus("[resources]\ncpu-weight = 20000"),
                        "echo.toml:8: cpu-weight: a CPU weight is 1 to 10000, or 0 for the default (100)"),
                new Case(plus("[resources]\npids = 0"),
                        "echo.toml:8: pids: a pids limit is 1 to 4194304 (the kernel's pid_max), not 0"),
                new Case(plus("[resources]\nrate = 0"), "echo.toml:8: rate: rate budget must be at least 1 frame per second"),
                new Case("tier = 3\n" + MINIMAL, "echo.toml:1: tier: a tier is 1 or 2, not 3"),
                new Case("tier-earned = true\n" + MINIMAL,
                        "echo.toml:1: tier-earned: tier-earned needs tier = 1: the tier it may earn"),
                new Case("tier = 1\ntier-earned = 1\n" + MINIMAL, "echo.toml:2: tier-earned must be true or false, "
                        + "found 1"),
                new Case("state = \"saved\"\n" + MINIMAL,
                        "echo.toml:1: state must be \"stateless\" or \"checkpointed\", found \"saved\""),
                new Case(plus("[restart]\npolicy = \"always\""),
                        "echo.toml:8: policy must be \"on-failure\" or \"never\", found \"always\""),
                new Case(plus("[restart]\nlimit = 5000"), "echo.toml:8: limit: a restart limit is 0 to 1000, not 5000"),
                new Case(plus("[restart]\nwindow = \"soon\""), "echo.toml:8: window must be like 30s, 2m or 500ms, found \"soon\""),
                new Case(plus("[restart]\nspare = \"yes\""), "echo.toml:8: spare must be true or false, found \"yes\""),
                new Case(plus("[restart]\nwindow = \"2h\""), "echo.toml:8: window: a restart window is 1s to 1h, not 7200000ms"),
                new Case("checkpoint-every = \"1s\"\n" + MINIMAL,
                        "echo.toml:1: checkpoint-every is for a component whose state is \"checkpointed\""),
                new Case(plus("[watch]\nhang-after = \"5ms\""), "echo.toml:8: hang-after: 0 (off) or 100ms to 1h, not 5ms"),
                new Case(plus("[restart]\nfirst-delay = \"later\""),
                        "echo.toml:8: first-delay must be like 30s, 2m or 500ms, found \"later\""),
                new Case(plus("[restart]\nfirst-delay = \"1h\""), "echo.toml:8: first-delay: a first delay is 0 to 10m, not 3600000ms"),
                new Case(plus("[restart]\nfirst-delay = \"2s\"\nmax-delay = \"1s\""),
                        "echo.toml:9: max-delay: the maximum delay (1000ms) is shorter than the first (2000ms)"),
                new Case(plus("[sandbox]\nread = [\"/\"]"),
                        "echo.toml:8: read: granting \"/\" would show the component the whole host: grant the paths it needs"),
                new Case(plus("[sandbox]\nwrite = [\"var/x\"]"),
                        "echo.toml:8: write: a granted path is absolute and normalised (no '.', '..', '//' or trailing '/'), not \"var/x\""),
                new Case(plus("[sandbox]\nread = [\"/a\"]\nwrite = [\"/a\"]"),
                        "echo.toml:9: write: \"/a\" is already granted in read"),
                new Case(plus("[sandbox]\nread = [\"/a\", 7]"), "echo.toml:8: read holds strings, found 7"),
                new Case(plus("[sandbox]\nnetwork = \"yes\""), "echo.toml:8: network must be true or false, found \"yes\""),
                new Case(plus("[[provides]]\nservice = \"Echo\"\nversion = 1"),
                        "echo.toml:8: a service name is 1-48 characters of a-z, 0-9, '.' and '-', starting with a letter, not \"Echo\""),
                new Case(plus("[[provides]]\nservice = \"echo\"\nversion = 0"),
                        "echo.toml:9: provides[1].version: interface versions are 1 to 9999, not 0"),
                new Case(plus("[[provides]]\nservice = \"echo\""),
                        "echo.toml:7: provides[1].version is missing: the newest interface version it implements"),
                new Case(plus("[[provides]]\nservice = \"echo\"\nversion = 1\n[[provides]]\nservice = \"echo\"\nversion = 2"),
                        "echo.toml:11: 'echo' is named twice in provides"),
                new Case(plus("[[calls]]\nversion = 1"), "echo.toml:7: calls[1].service is missing: the name of the service"),
                new Case(plus("[[calls]]\nservice = \"log\"\nversion = 1\noldest = 2"),
                        "echo.toml:10: calls[1].oldest (2) is newer than its version (1)"),
                new Case(plus("[[calls]]\nservice = \"log\"\nversion = 1\nmethods = [1, 70000]"),
                        "echo.toml:10: calls[1].methods holds method ids from 1 to 65535, found 70000"),
                new Case(plus("[[calls]]\nservice = \"log\"\nversion = 1\nmethods = []"),
                        "echo.toml:10: calls[1].methods is empty: leave it out to grant every method"),
                new Case(plus("[[calls]]\nservice = \"log\"\nversion = 1\npool = { buffers = 8, size = \"100B\" }"),
                        "echo.toml:10: calls[1].pool: pool buffers are a power of two from 64 B to 64 MiB, not 100"),
                new Case(plus("[[calls]]\nservice = \"log\"\nversion = 1\npool = { buffers = 8 }"),
                        "echo.toml:10: calls[1].pool needs 'buffers' and 'size'"),
                new Case("calls = \"log@1\"\n" + MINIMAL,
                        "echo.toml:1: calls must be an array of tables ([[calls]]), found \"log@1\""),
                new Case("calls = [\"log@1\"]\n" + MINIMAL, "echo.toml:1: calls holds tables, found \"log@1\""));
        for (Case c : cases) {
            assertEquals(List.of(c.error()), errors(c.manifest()), c.manifest());
        }
    }

    @Test
    void missingFieldsAreNamed() {
        assertEquals(List.of(
                "echo.toml: id is missing: every component has one",
                "echo.toml: kernel is missing: it is \"services\" or \"dak\"",
                "echo.toml: kind is missing: it is \"driver\", \"app\" or \"service\"",
                "echo.toml: version is missing: the component's own version, like 1.0.0",
                "echo.toml: image is missing: a Java class ([image] class = \"…\") or an executable ([image] exec = \"…\")"),
                errors("# nothing\n"));
        assertEquals(List.of("echo.toml:5: [image] needs 'class' (a Java component) or 'exec' (an executable)"),
                errors(MINIMAL.replace("class = \"x.Echo\"", "")));
    }

    @Test
    void unknownKeysAreErrorsNotIgnored() {
        assertEquals(List.of(
                "echo.toml:1: unknown key 'name' (known: activation, calls, checkpoint-every, id, idle, image, inject, "
                        + "kernel, kind, observe, provides, resources, restart, sandbox, state, tier, tier-earned, version, "
                        + "watch)",
                "echo.toml:9: unknown key 'memroy' in [resources] (known: cpu, cpu-weight, memory, pids, rate)",
                "echo.toml:12: unknown key 'method' in calls[1] (known: methods, oldest, pool, service, version)"),
                errors("name = \"echo\"\n" + MINIMAL + "[resources]\nmemroy = \"64MiB\"\n[[calls]]\nservice = \"log\"\n"
                        + "method = [1]\nversion = 1\n"));
    }

    @Test
    void everyErrorIsReportedAtOnceSyntaxAndMeaningAlike() {
        String text = """
                id = "echo"
                kernel = "services"
                kind = "service"
                version = "1.0"
                [image]
                class = "x.Echo
                [resources]
                memory = "lots"
                pids = [1,
                  2
                [restart]
                window = "soon"
                limit = 3 4
                """;
        assertEquals(List.of(
                "echo.toml:4: a version is like 1.4.2 or 1.4.2-rc1, not \"1.0\"",
                "echo.toml:5: [image] needs 'class' (a Java component) or 'exec' (an executable)",
                "echo.toml:6: a string is not closed on its line",
                "echo.toml:8: memory must be like 64MiB, found \"lots\"",
                "echo.toml:9: the array is not closed: expected ',' or ']' before '[restart]' on line 11",
                "echo.toml:12: window must be like 30s, 2m or 500ms, found \"soon\"",
                "echo.toml:13: expected the end of the line, found '4'"), errors(text));
    }

    @Test
    void aManifestOver64KiBIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
        String padding = ("#" + "x".repeat(99) + "\n").repeat(Manifest.MAX_BYTES / 100);
        Path fits = dir.resolve("fits.toml");
        String text = MINIMAL + padding.substring(0, Manifest.MAX_BYTES - MINIMAL.length());
        Files.writeString(fits, text);
        assertEquals(Manifest.MAX_BYTES, Files.size(fits));
        assertEquals("echo", Manifest.read(fits).component().id());
        Path big = dir.resolve("big.toml");
        Files.writeString(big, text + "\n");
        assertEquals(List.of("big.toml: 65537 bytes, more than a manifest may hold (64 KiB)"),
                assertThrows(ManifestException.class, () -> Manifest.read(big)).errors());
        Files.write(big, new byte[]{'#', (byte) 0xff, '\n'});
        assertEquals(List.of("big.toml: not UTF-8 text"),
                assertThrows(ManifestException.class, () -> Manifest.read(big)).errors());
    }
}
