package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.Lane;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.bridge.Priority;
import dev.atomic.component.Activation;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Image;
import dev.atomic.component.Injection;
import dev.atomic.component.Kernel;
import dev.atomic.component.RestartPolicy;
import dev.atomic.component.SandboxGrants;
import dev.atomic.component.ServiceRef;
import dev.atomic.component.StateKind;
import dev.atomic.component.Watch;
import dev.atomic.system.PidFd;
import dev.atomic.system.SharedMemory;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's ways through the Engine against real lanes and real processes: an inject reaches only what the
 * console's manifest grants, a crash is the Engine's own SIGKILL, another kind is asked of the target's hook, each
 * audited; the Sovereign's request reaches the console and its answer the Sovereign.
 */
class ConsoleOrdersTest {
    private static final int CAPACITY = 16 * 1024;
    private final List<Member> members = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<String> audited = new ArrayList<>();
    private ControlRegion control;

    @AfterEach
    void tearDown() {
        processes.forEach(p -> p.toHandle().destroyForcibly());
        members.forEach(m -> {
            m.closePidFd();
            m.segment.close();
        });
        if (control != null) {
            control.close();
        }
    }

    private Member member(String id, Kernel kernel, List<String> provides, List<String> inject) throws Exception {
        ComponentSpec spec = new ComponentSpec(id, kernel, kernel == Kernel.SERVICES ? "service" : "app",
                Image.java("x"), provides.stream().map(ServiceRef::parse).toList(), List.of(), 1, 1, 1000, 0, 0,
                "1.0.0", RestartPolicy.DEFAULT, StateKind.STATELESS, SandboxGrants.NONE, 2, Activation.BOOT, List.of(),
                Watch.DEFAULT, inject);
        Member m = new Member(members.size(), spec, LaneSegment.format(SharedMemory.create("console-orders-test",
                LaneSegment.sizeFor(CAPACITY)), members.size(), CAPACITY));
        Process p = new ProcessBuilder("sleep", "60").start();
        processes.add(p);
        m.pid = p.pid();
        m.pidFd = PidFd.open(p.pid());
        m.state = Member.State.READY;
        members.add(m);
        return m;
    }

    private ConsoleOrders orders(Member console) {
        control = ControlRegion.format(SharedMemory.create("console-orders-test-control",
                ControlRegion.sizeFor(members.size(), 0, 0, 4096)), members.size(), 0, 0, 4096, 1);
        return new ConsoleOrders(members.toArray(Member[]::new), 0, console, control, new ConsoleOrders.Listener() {
            @Override
            public void audit(Member m, String kind, String what) {
                audited.add(m.spec.id() + " " + kind + ": " + what);
            }

            @Override
            public void file(Member m, String kind, String what) {
                audited.add(m.spec.id() + " " + kind + " (filed): " + what);
            }
        });
    }

    /** A frame as it arrives on a component's critical request lane, handed to {@code to}. */
    private static void arrive(Member from, int type, int target, int status, long correlation, String text,
                               MessageHandler to) {
        Lane lane = from.segment.requests().lane(Priority.CRITICAL);
        UnsafeBuffer payload = new UnsafeBuffer(Frame.utf8(text));
        assertTrue(lane.offer(type, 0, from.slot, target, 0, status, correlation, 0, payload, 0, payload.capacity()));
        assertEquals(1, lane.poll(to, 1));
    }

    private record Seen(int type, int source, int status, long correlation, String text) {
    }

    private static List<Seen> delivered(Member m, Priority p) {
        List<Seen> seen = new ArrayList<>();
        m.segment.deliveries().lane(p).poll((t, b, i, l) -> seen.add(new Seen(t, Frame.source(b, i),
                Frame.status(b, i), Frame.correlation(b, i), Frame.payloadText(b, i))), 100);
        return seen;
    }

    @Test
    void anInjectReachesOnlyWhatTheManifestGrants_andACrashIsTheEnginesOwnKill() throws Exception {
        Member console = member("console", Kernel.SERVICES, List.of("console@1"), List.of("victim"));
        Member victim = member("victim", Kernel.DAK, List.of(), List.of());
        Member bystander = member("bystander", Kernel.DAK, List.of(), List.of());
        ConsoleOrders orders = orders(console);

        arrive(console, FrameType.INJECT, 0, 0, 7, "bystander crash", (t, b, i, l) -> orders.inject(console, b, i, 0));
        Seen refused = delivered(console, Priority.CRITICAL).getFirst();
        assertEquals(FrameType.ERROR, refused.type());
        assertEquals(7, refused.correlation());
        assertTrue(refused.text().contains("console's manifest does not grant it (inject = [victim])"), refused.text());
        assertTrue(audited.getLast().startsWith("console inject-refused: inject crash into bystander refused"),
                audited.toString());
        assertFalse(processes.get(2).waitFor(200, TimeUnit.MILLISECONDS), "the bystander was touched");

        arrive(console, FrameType.INJECT, 0, 0, 8, "victim crash", (t, b, i, l) -> orders.inject(console, b, i, 0));
        Seen done = delivered(console, Priority.CRITICAL).getFirst();
        assertEquals(FrameType.REPLY, done.type());
        assertTrue(done.text().startsWith("the Engine killed victim (dak) (pid " + victim.pid + ") with SIGKILL"),
                done.text());
        assertTrue(processes.get(1).waitFor(5, TimeUnit.SECONDS), "the victim lives");
        assertEquals(128 + 9, processes.get(1).exitValue());
        assertEquals("console inject: console orders a crash of victim (dak), pid " + victim.pid, audited.getLast());
    }

    @Test
    void aHangIsAskedOfTheTargetsHook_whichMayOfferNone() throws Exception {
        Member console = member("console", Kernel.SERVICES, List.of("console@1"), List.of("*"));
        Member victim = member("victim", Kernel.DAK, List.of(), List.of());
        ConsoleOrders orders = orders(console);

        arrive(console, FrameType.INJECT, 0, 0, 9, "victim hang", (t, b, i, l) -> orders.inject(console, b, i, 0));
        Seen asked = delivered(victim, Priority.CRITICAL).getFirst();
        assertEquals(FrameType.INJECT, asked.type());
        assertEquals(Injection.HANG.ordinal(), asked.status());
        assertEquals(List.of(), delivered(console, Priority.CRITICAL), "no answer before the target's");

        arrive(victim, FrameType.INJECTED, 0, 0, asked.correlation(), "victim offers no test hook for hang",
                (t, b, i, l) -> orders.injected(victim, b, i));
        Seen answer = delivered(console, Priority.CRITICAL).getFirst();
        assertEquals(FrameType.ERROR, answer.type());
        assertEquals(9, answer.correlation());
        assertEquals("victim offers no test hook for hang", answer.text());
        assertEquals("victim inject-unsupported: victim offers no test hook for hang", audited.getLast());
        assertFalse(processes.get(1).waitFor(100, TimeUnit.MILLISECONDS), "a hang is no kill");

        arrive(console, FrameType.INJECT, 0, 0, 10, "victim leak", (t, b, i, l) -> orders.inject(console, b, i, 0));
        delivered(victim, Priority.CRITICAL);
        orders.expire(ConsoleOrders.ANSWER_WITHIN_NANOS + 1);
        Seen late = delivered(console, Priority.CRITICAL).getFirst();
        assertEquals(FrameType.ERROR, late.type());
        assertEquals("victim did not answer the inject within 5 s", late.text());
    }

    @Test
    void theSovereignsRequestReachesTheConsole_andItsAnswerTheSovereign() throws Exception {
        Member console = member("console", Kernel.SERVICES, List.of("console@1"), List.of());
        ConsoleOrders orders = orders(console);

        arrive(console, FrameType.CONSOLE_REQUEST, -1, 3, 42, "", (t, b, i, l) -> orders.request(3, 42, b, i, 0));
        Seen request = delivered(console, Priority.NORMAL).getFirst();
        assertEquals(FrameType.REQUEST, request.type());
        assertEquals(-1, request.source(), "from the Sovereign, which is no component");
        assertEquals(42, request.correlation());
        assertTrue(audited.getLast().startsWith("console console-request (filed): method 3"), audited.toString());

        arrive(console, FrameType.REPLY, -1, 0, 42, "{\"ok\":1}", (t, b, i, l) ->
                assertTrue(orders.answer(console, t, b, i)));
        List<Seen> toSovereign = new ArrayList<>();
        control.admin().poll((t, b, i, l) -> toSovereign.add(new Seen(t, Frame.source(b, i), Frame.status(b, i),
                Frame.correlation(b, i), Frame.payloadText(b, i))), 10);
        assertEquals(List.of(new Seen(FrameType.CONSOLE_REPLY, -1, 1, 42, "{\"ok\":1}")), toSovereign);

        arrive(console, FrameType.REPLY, -1, 0, 42, "again", (t, b, i, l) ->
                assertTrue(orders.answer(console, t, b, i)));
        assertEquals("console forged-answer", audited.getLast().substring(0, "console forged-answer".length()),
                "an answer nobody asked for is dropped and audited");
    }
}
