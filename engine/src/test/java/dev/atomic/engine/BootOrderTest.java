package dev.atomic.engine;

import dev.atomic.component.Activation;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.ServiceRef;
import dev.atomic.component.SystemSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The boot's dependency-driven start order: who starts at once, who waits for whom, and cycles that wait for none. */
class BootOrderTest {
    private final List<Member> members = new ArrayList<>();

    private Member member(String id, Kernel kernel, List<String> provides, List<String> calls, boolean onDemand) {
        ComponentSpec spec = new ComponentSpec(id, kernel, kernel == Kernel.SERVICES ? "service" : "app", "x.Y",
                provides.stream().map(s -> ServiceRef.parse(s + "@1")).toList(),
                calls.stream().map(s -> ServiceRef.parse(s + "@1")).toList(), 1, 1, SystemSpec.DEFAULT_RATE);
        if (onDemand) {
            spec = spec.withActivation(Activation.onDemand(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        }
        Member m = new Member(members.size(), spec, null);
        members.add(m);
        return m;
    }

    private BootOrder order() {
        List<String> services = new ArrayList<>();
        List<Integer> providers = new ArrayList<>();
        for (Member m : members) {
            for (ServiceRef p : m.spec.provides()) {
                services.add(p.name());
                providers.add(m.slot);
            }
        }
        return new BootOrder(members.toArray(Member[]::new), services,
                providers.stream().mapToInt(Integer::intValue).toArray());
    }

    private static List<String> ids(List<Member> started) {
        return started.stream().map(m -> m.spec.id()).toList();
    }

    private static void ready(Member... ms) {
        Arrays.stream(ms).forEach(m -> m.state = Member.State.READY);
    }

    /** As the Engine sees a HELLO: the Sovereign started it (Supervisor.onSpawned), and it says hello at {@code now}. */
    private static boolean hello(BootOrder order, Member m, long pid, long now) {
        m.state = Member.State.STARTING;
        m.pid = pid;
        return order.holds(m, now);
    }

    @Test
    void everyComponentStartsAtOnceAndRunsOnceWhatItCallsIsUp() {
        Member console = member("console", Kernel.SERVICES, List.of("console"), List.of(), false);
        Member echo = member("echo", Kernel.SERVICES, List.of("echo"), List.of(), false);
        member("digest", Kernel.SERVICES, List.of("digest"), List.of(), true);
        Member app = member("demo-app", Kernel.DAK, List.of("input-events", "readings"),
                List.of("echo", "digest", "console"), false);
        Member fs = member("fs", Kernel.DAK, List.of(), List.of(), false);
        Member input = member("input", Kernel.DAK, List.of(), List.of("input-events"), false);
        Member sensor = member("sensor", Kernel.DAK, List.of("sensor"), List.of("readings"), false);
        BootOrder order = order();

        assertEquals(List.of("console", "echo", "demo-app", "fs", "input", "sensor"), ids(order.atBoot()),
                "all at once, whatever the kernel; the on-demand digest is not started");
        assertFalse(hello(order, fs, 10, 0), "fs calls nobody: welcomed at once");
        assertTrue(hello(order, input, 11, 0), "input's events go to demo-app, not up yet");
        assertTrue(hello(order, app, 12, 0));
        assertFalse(hello(order, echo, 13, 0));
        ready(echo, fs);
        assertEquals(List.of(), ids(order.released(1)), "demo-app also calls the console, which is not up");
        assertFalse(order.settled(Kernel.SERVICES));
        assertFalse(hello(order, console, 14, 1));
        ready(console);
        assertTrue(order.settled(Kernel.SERVICES), "digest rests on demand: its kernel is up without it");
        assertEquals(List.of("demo-app"), ids(order.released(2)), "the on-demand digest is never waited for");
        assertEquals(List.of(), ids(order.released(3)), "each held HELLO is answered once");
        assertTrue(hello(order, sensor, 15, 3));
        ready(app);
        assertEquals(List.of("input", "sensor"), ids(order.released(4)));
        ready(input, sensor);
        assertTrue(order.settled(Kernel.DAK));
        assertTrue(order.settled(null));
        assertEquals("console+echo", order.waited(app));
        assertEquals("", order.waited(fs));
        assertEquals("demo-app", order.waited(sensor));
    }

    @Test
    void aCycleOfCallsWaitsOnlyForWhatItCallsOutsideIt() {
        Member base = member("base", Kernel.SERVICES, List.of("base"), List.of(), false);
        Member a = member("a", Kernel.DAK, List.of("a"), List.of("b", "base"), false);
        Member b = member("b", Kernel.DAK, List.of("b"), List.of("c"), false);
        Member c = member("c", Kernel.DAK, List.of("c"), List.of("a"), false);
        Member d = member("d", Kernel.DAK, List.of(), List.of("a"), false);
        BootOrder order = order();

        assertFalse(hello(order, b, 1, 0), "b and c wait for nobody outside their cycle");
        assertFalse(hello(order, c, 2, 0));
        assertTrue(hello(order, a, 3, 0));
        assertTrue(hello(order, d, 4, 0));
        ready(base);
        assertEquals(List.of("a"), ids(order.released(1)));
        ready(a);
        assertEquals(List.of("d"), ids(order.released(2)));
        assertEquals("base", order.waited(a));
    }

    @Test
    void aProviderGivenUpOnNoLongerHoldsItsCallersBack() {
        Member flaky = member("flaky", Kernel.SERVICES, List.of("flaky"), List.of(), false);
        Member caller = member("caller", Kernel.DAK, List.of(), List.of("flaky"), false);
        BootOrder order = order();

        assertTrue(hello(order, caller, 7, 0));
        flaky.state = Member.State.STARTING;
        assertEquals(List.of(), ids(order.released(1)));
        flaky.state = Member.State.GAVE_UP;
        assertEquals(List.of("caller"), ids(order.released(2)));
        assertTrue(order.settled(Kernel.SERVICES));
    }

    @Test
    void aHelloHeldTooLongIsAnsweredAndOneFromADeadProcessIsDropped() {
        member("slow", Kernel.SERVICES, List.of("slow"), List.of(), false);
        Member patient = member("patient", Kernel.DAK, List.of(), List.of("slow"), false);
        Member doomed = member("doomed", Kernel.DAK, List.of(), List.of("slow"), false);
        BootOrder order = order();

        assertTrue(hello(order, patient, 20, 1000));
        assertTrue(hello(order, doomed, 21, 1000));
        assertEquals(List.of(), ids(order.released(1000 + BootOrder.MAX_HOLD_NANOS - 1)));
        doomed.state = Member.State.STOPPED; // it died while held: its restart says HELLO again
        assertEquals(List.of("patient"), ids(order.released(1000 + BootOrder.MAX_HOLD_NANOS)),
                "under the 10 s a host waits for its WELCOME");
        assertTrue(hello(order, doomed, 22, 2000), "its restart is held again");
        doomed.pid = 23; // and a HELLO held from a pid that is no longer its process is dropped
        assertEquals(List.of(), ids(order.released(2000 + BootOrder.MAX_HOLD_NANOS)));
    }
}
