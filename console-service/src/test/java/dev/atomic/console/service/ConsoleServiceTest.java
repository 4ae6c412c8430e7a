package dev.atomic.console.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atomic.component.CallFailedException;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.EventHandler;
import dev.atomic.component.Injection;
import dev.atomic.component.Observation;
import dev.atomic.component.ServiceClient;
import dev.atomic.component.ServiceHandler;
import dev.atomic.component.ServiceStateListener;
import dev.atomic.component.SystemSpec;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the console makes of the Engine's observations, in the default system, without a boot. */
class ConsoleServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The context of a console in the default system, or another: the observations are the test's to send. */
    private static final class Context implements ComponentContext {
        final SystemSpec system;
        Consumer<Observation> observer;
        final List<String> injected = new ArrayList<>();
        String refusal;

        @Override
        public String id() {
            return "console";
        }

        Context() {
            this(SystemSpec.builtIn("default"));
        }

        Context(SystemSpec system) {
            this.system = system;
        }

        @Override
        public SystemSpec system() {
            return system;
        }

        @Override
        public void provide(String service, ServiceHandler handler) {
        }

        @Override
        public void provideInline(String service, ServiceHandler handler) {
        }

        @Override
        public void onEvent(String service, EventHandler handler) {
        }

        @Override
        public void observe(Consumer<Observation> handler) {
            observer = handler;
        }

        @Override
        public String inject(String component, Injection kind) throws CallFailedException {
            if (refusal != null) {
                throw new CallFailedException(refusal);
            }
            injected.add(component + " " + kind.word());
            return "the Engine killed " + component;
        }

        @Override
        public void onServiceState(ServiceStateListener listener) {
        }

        @Override
        public ServiceClient client(String service) {
            throw new IllegalArgumentException("no grants here");
        }

        @Override
        public ComponentSpec spec() {
            return system.component("console").orElseThrow();
        }

        @Override
        public PrintStream log() {
            return new PrintStream(OutputStream.nullOutputStream());
        }

        @Override
        public void exit(String why) {
            throw new IllegalStateException(why);
        }
    }

    private static Observation seen(String event, String component, String kernel, Map<String, String> facts) {
        return new Observation(event, component, kernel, facts);
    }

    private static JsonNode component(JsonNode status, String id) {
        for (JsonNode kernel : status.path("kernels")) {
            for (JsonNode c : kernel.path("components")) {
                if (c.path("id").asText().equals(id)) {
                    return c;
                }
            }
        }
        return null;
    }

    @Test
    void everyComponentIsListedByKernel_withItsLatestSampleAndRates() throws Exception {
        Context context = new Context();
        ConsoleService console = new ConsoleService();
        console.init(context);
        JsonNode before = JSON.readTree(console.status());
        assertEquals("not seen yet", component(before, "demo-app").path("state").asText());
        assertTrue(component(before, "console").path("rssBytes").asLong() > 0, "its own line, from /proc/self");

        context.observer.accept(seen("telemetry", "demo-app", "dak", Map.of("state", "ready", "pid", "41",
                "restarts", "0", "callsMade", "100", "callsAnswered", "0", "cpuMillis", "1000", "rssBytes", "1048576",
                "tier", "2")));
        Thread.sleep(20);
        context.observer.accept(seen("telemetry", "demo-app", "dak", Map.of("state", "ready", "pid", "41",
                "restarts", "0", "callsMade", "150", "callsAnswered", "0", "cpuMillis", "1000", "rssBytes", "2097152",
                "tier", "2")));
        context.observer.accept(seen("telemetry", "digest", "services", Map.of("state", "ready", "pid", "42",
                "idle", "frozen", "tier", "2")));
        JsonNode status = JSON.readTree(console.status());
        List<String> kernels = new ArrayList<>();
        status.path("kernels").forEach(k -> kernels.add(k.path("kernel").asText()));
        assertEquals(List.of("services", "dak"), kernels);
        JsonNode app = component(status, "demo-app");
        assertEquals(41, app.path("pid").asLong());
        assertEquals(2097152, app.path("rssBytes").asLong());
        assertEquals(201326592, app.path("memoryLimitBytes").asLong(), "its manifest's limit");
        assertTrue(app.path("callsPerSecond").asDouble() > 0, app.toString());
        assertEquals("on demand, frozen", component(status, "digest").path("state").asText());
        assertEquals(SystemSpec.builtIn("default").components().size(),
                JSON.readTree(console.top()).path("components").size());
    }

    @Test
    void aConsoleInASystemOfItsOwnListsThatSystemsComponents() throws Exception {
        ComponentSpec own = dev.atomic.component.Manifest.parse("console.toml", """
                id = "console"
                kernel = "services"
                kind = "service"
                version = "1.0.0"
                state = "checkpointed"
                observe = ["*"]
                inject = ["*"]
                [image]
                class = "dev.atomic.console.service.ConsoleService"
                [[provides]]
                service = "console"
                version = 1
                """, null).component();
        SystemSpec mine = new SystemSpec("mine", List.of(own, new ComponentSpec("clerk",
                dev.atomic.component.Kernel.DAK, "app", "x.Clerk", List.of(), List.of(), 64 << 20, 16,
                SystemSpec.DEFAULT_RATE)));
        ConsoleService console = new ConsoleService();
        console.init(new Context(mine));
        List<String> listed = new ArrayList<>();
        JSON.readTree(console.top()).path("components").forEach(c -> listed.add(c.path("id").asText()));
        assertEquals(List.of("console", "clerk"), listed);
    }

    @Test
    void aFaultIsKept_becomesACrashOnceItsExitIsKnown_andIsBackWhenItsComponentStarts() throws Exception {
        Context context = new Context();
        ConsoleService console = new ConsoleService();
        console.init(context);
        JsonNode inject = JSON.readTree(console.inject("demo-app crash"));
        assertTrue(inject.path("done").asBoolean(), inject.toString());
        assertEquals(List.of("demo-app crash"), context.injected);

        context.observer.accept(seen("fault", "demo-app", "dak", Map.of("kind", "exit", "evidence",
                "process 41 is gone", "action", "restarting now")));
        context.observer.accept(seen("exit", "demo-app", "dak", Map.of("kind", "crash", "evidence",
                "process 41 is gone (killed by signal 9 (SIGKILL))", "action", "restarting now")));
        JsonNode open = JSON.readTree(console.faults()).path("faults").get(0);
        assertEquals("CRASH", open.path("kind").asText());
        assertEquals("crash", open.path("injected").asText(), "asked for by atomic inject");
        assertFalse(open.path("back").asBoolean());

        context.observer.accept(seen("started", "demo-app", "dak", Map.of("pid", "43", "restarts", "1")));
        JsonNode back = JSON.readTree(console.faults()).path("faults").get(0);
        assertTrue(back.path("back").asBoolean());
        assertEquals(43, back.path("pidAfter").asLong());
        assertTrue(console.summary().endsWith("1 fault(s) seen, 1 recovered; last: demo-app CRASH, back"),
                console.summary());

        ConsoleService restarted = new ConsoleService();
        restarted.init(new Context());
        byte[] checkpoint = console.checkpoint();
        assertNotNull(checkpoint);
        restarted.restore(checkpoint);
        assertEquals(console.faults(), restarted.faults(), "a restarted console keeps the faults it saw");
    }

    @Test
    void aRefusedInjectSaysWhy_andTheFaultsAnswerFitsOneFrame() throws Exception {
        Context context = new Context();
        context.refusal = "inject crash into echo refused: console's manifest does not grant it";
        ConsoleService console = new ConsoleService();
        console.init(context);
        JsonNode refused = JSON.readTree(console.inject("echo crash"));
        assertFalse(refused.path("done").asBoolean());
        assertEquals(context.refusal, refused.path("message").asText());
        assertFalse(JSON.readTree(console.inject("echo explode")).path("done").asBoolean());

        for (int i = 0; i < 60; i++) {
            context.observer.accept(seen("fault", "echo", "services", Map.of("kind", "storm", "evidence",
                    "x".repeat(200) + i, "action", "cut off")));
        }
        String answer = console.faults();
        assertTrue(answer.length() <= ConsoleService.ANSWER_BYTES, answer.length() + " bytes");
        JsonNode faults = JSON.readTree(answer);
        int shown = faults.path("faults").size();
        assertEquals(ConsoleService.FAULTS_KEPT - shown, faults.path("omitted").asInt());
        assertTrue(faults.path("faults").get(shown - 1).path("evidence").asText().endsWith("59"), "newest kept");
    }
}
