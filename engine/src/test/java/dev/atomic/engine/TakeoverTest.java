package dev.atomic.engine;

import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.MirrorRegion;
import dev.atomic.bridge.Priority;
import dev.atomic.component.SystemSpec;
import dev.atomic.system.SharedMemory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One Engine takes over from another over the same bridges, in one process: the state mirror carries calls in flight
 * across, a damaged mirror is refused and said, and a frame the first Engine handled is not handled again.
 */
class TakeoverTest {
    private static final SystemSpec SYSTEM = SystemSpec.builtIn("default");
    private static final int APP = slot("demo-app");
    private static final int ECHO = slot("echo");
    private static final int SERVICE = SYSTEM.serviceId("echo");
    /** Where the app's request ring lies in its lane segment: after the critical ring (docs/bridge-protocol.md). */
    private static final int REQUEST_RING = 4096 + 69632;
    private static final int RING_AREA = PrivateBridges.CAPACITY + 768;

    @TempDir
    Path scratch;

    private final ByteArrayOutputStream said = new ByteArrayOutputStream();

    @Test
    void aCallInFlightIsAnsweredThroughTheEngineThatTookOver() {
        try (PrivateBridges bridges = new PrivateBridges(SYSTEM, scratch)) {
            firstEngineForwards(bridges, 7, false);
            Member[] members = bridges.members();
            try (Engine successor = bridges.engine(members, new PrintStream(said, true))) {
                successor.start(true);
                reply(members[ECHO], 7);
                successor.cycle();
                assertEquals(List.of("REPLY 7"), delivered(members[APP]), "answered, not failed");
            }
            assertTrue(said().contains("carried on from its state mirror (generation 2): 1 call(s) in flight kept"),
                    said());
        }
    }

    @Test
    void aCallHeldForItsProvidersReplayIsSentBackToItsCallerByTheEngineThatTookOver() {
        try (PrivateBridges bridges = new PrivateBridges(SYSTEM, scratch)) {
            firstEngineForwards(bridges, 7, false);
            Member[] first = bridges.members();
            try {
                // What the first Engine's router leaves when echo dies under an idempotent call: the call held for
                // echo's next start (its payload in that Engine's heap only), echo stopped, its lanes renewed.
                StateMirror mirror = new StateMirror(bridges.control.mirror(), first);
                mirror.held(new InFlight.Entry(APP, 7, ECHO, SERVICE, 1, 0, -1, -1, live(bridges.control.mirror())),
                        Priority.NORMAL);
                Member echo = first[ECHO];
                mirror.member(echo);
                echo.segment.resetForNextGeneration();
                echo.state = Member.State.STOPPED;
                echo.restartAt = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                mirror.member(echo); // and its lanes' records, of their new generation
                bridges.control.slotPid(ECHO, 0);
            } finally {
                for (Member m : first) {
                    m.closePidFd();
                }
            }
            Member[] members = bridges.members();
            try (Engine successor = bridges.engine(members, new PrintStream(said, true))) {
                successor.start(true);
                List<String> got = new ArrayList<>();
                members[APP].segment.deliveries().poll((type, b, i, length) -> {
                    got.add(FrameType.name(type) + " " + Frame.correlation(b, i) + " " + Frame.status(b, i) + " "
                            + Frame.payloadText(b, i));
                }, 64);
                assertEquals(List.of("SERVICE_DOWN 0 1 echo is down: its provider echo (services) is stopped, not "
                        + "ready yet", "ERROR 7 2 call to echo failed: the Engine held it for echo (to be replayed to "
                        + "its next start, or until it started on demand) when it died, and its copy died with it: call "
                        + "again"), got, "sent back at once, not left to its deadline, with ERROR_RESEND, behind what "
                        + "the app was told of echo: its SDK sends it again once echo is up");
                for (int i = 0; i < bridges.control.mirror().count(MirrorRegion.IN_FLIGHT); i++) {
                    assertFalse(bridges.control.mirror().read(MirrorRegion.IN_FLIGHT, i).status()
                            == MirrorRegion.Status.VALID, "its record is freed");
                }
            } finally {
                for (Member m : members) {
                    m.closePidFd();
                }
            }
        }
    }

    @Test
    void aFlippedByteInTheMirrorIsFoundAndTheSuccessorRebuildsFromTheComponents() {
        try (PrivateBridges bridges = new PrivateBridges(SYSTEM, scratch)) {
            firstEngineForwards(bridges, 7, false);
            MirrorRegion mirror = bridges.control.mirror();
            int record = live(mirror);
            int at = mirror.offsetOf(MirrorRegion.IN_FLIGHT, record) + MirrorRegion.RECORD_HEADER + 24; // its deadline
            mirror.buffer().putByte(at, (byte) (mirror.buffer().getByte(at) ^ 1));
            Member[] members = bridges.members();
            try (Engine successor = bridges.engine(members, new PrintStream(said, true))) {
                successor.start(true);
                assertEquals(List.of("ENGINE_RESTARTED 0"), delivered(members[APP]),
                        "never trusted: the app fails its call under way");
                reply(members[ECHO], 7);
                successor.cycle();
                assertEquals(List.of(), delivered(members[APP]), "the answer to a call the successor never saw");
                call(members[APP], 8);
                successor.cycle();
                reply(members[ECHO], 8);
                successor.cycle();
                assertEquals(List.of("REPLY 8"), delivered(members[APP]), "and the system works on");
            }
            assertTrue(said().contains("its state mirror cannot be trusted (in-flight record " + record
                    + ": it fails its checksum): rebuilt from the components"), said());
        }
    }

    @Test
    void aFrameTheDeadEngineHandledButDidNotReleaseIsReleasedUnread() {
        try (PrivateBridges bridges = new PrivateBridges(SYSTEM, scratch)) {
            firstEngineForwards(bridges, 7, true);
            Member[] members = bridges.members();
            try (Engine successor = bridges.engine(members, new PrintStream(said, true))) {
                successor.start(true);
                successor.cycle();
                assertEquals(List.of(), delivered(members[ECHO]), "not forwarded a second time");
                reply(members[ECHO], 7);
                successor.cycle();
                assertEquals(List.of("REPLY 7"), delivered(members[APP]));
            }
            assertTrue(said().contains("1 call(s) in flight kept") && said().contains("1 frame(s) it had handled released"),
                    said());
        }
    }

    @Test
    void aRestartWaitingOutItsBackOffStillWaitsUnderTheEngineThatTookOver() {
        try (PrivateBridges bridges = new PrivateBridges(SYSTEM, scratch)) {
            Member[] first = bridges.members();
            long due = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            try (Engine engine = bridges.engine(first, new PrintStream(PrintStream.nullOutputStream()))) {
                engine.start(true);
                // What its supervisor leaves of echo, dead and waiting out its back-off, as the mirror records it.
                Member echo = first[ECHO];
                StateMirror mirror = new StateMirror(bridges.control.mirror(), first);
                mirror.member(echo);
                echo.segment.resetForNextGeneration();
                echo.state = Member.State.STOPPED;
                echo.faultNanos = System.nanoTime();
                echo.restartAt = due;
                mirror.member(echo); // and its lanes' records, of their new generation
                bridges.control.slotPid(ECHO, 0); // the Sovereign's word, once its process is gone
            } finally {
                for (Member m : first) {
                    m.closePidFd();
                }
            }
            bridges.control.admin().poll((type, b, i, length) -> { }, 1024);
            Member[] members = bridges.members();
            List<Integer> spawned = new ArrayList<>();
            try (Engine successor = bridges.engine(members, new PrintStream(said, true))) {
                successor.start(true);
                successor.cycle();
                bridges.control.admin().poll((type, b, i, length) -> {
                    if (type == FrameType.SPAWN) {
                        spawned.add(Frame.target(b, i));
                    }
                }, 1024);
            } finally {
                for (Member m : members) {
                    m.closePidFd();
                }
            }
            assertEquals(due, members[ECHO].restartAt, "still due when its back-off ends, as the mirror said");
            assertEquals(Member.State.STOPPED, members[ECHO].state);
            assertEquals(List.of(), spawned, "not started at once");
        }
    }

    @Test
    void aDemotionAndAnUnloadAwaitedSurviveTheEngine() {
        try (PrivateBridges bridges = new PrivateBridges(SYSTEM, scratch)) {
            Member[] first = bridges.members();
            long unloadBy = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            try (Engine engine = bridges.engine(first, new PrintStream(PrintStream.nullOutputStream()))) {
                engine.start(true);
                // What a supervisor leaves of a component contained live: demoted, its partition host told to unload it.
                Member echo = first[ECHO];
                echo.demotion.now();
                echo.unloadBy = unloadBy;
                StateMirror mirror = new StateMirror(bridges.control.mirror(), first);
                mirror.member(echo);
                // Policy 5's: one demoted on its word (liftable), one whose demotion waits for its next start.
                Member sensor = first[slot("sensor")];
                sensor.demotion.plan(true);
                sensor.demotion.starting();
                mirror.member(sensor);
                first[slot("input")].demotion.plan(true);
                mirror.member(first[slot("input")]);
                first[slot("fs")].backFromPlanned = true; // back from a planned restart, not a fault
                mirror.member(first[slot("fs")]);
            } finally {
                for (Member m : first) {
                    m.closePidFd();
                }
            }
            Member[] members = bridges.members();
            try (Engine successor = bridges.engine(members, new PrintStream(said, true))) {
                successor.start(true); // carries on from the mirror: one rebuilt from the components knows neither
            } finally {
                for (Member m : members) {
                    m.closePidFd();
                }
            }
            assertTrue(members[ECHO].demotion.demoted(), "demoted for good, whichever Engine runs");
            assertEquals(unloadBy, members[ECHO].unloadBy, "its host still has until then to unload it");
            assertTrue(members[ECHO].containing, "and nothing but its UNLOADED is read from it meanwhile");
            assertFalse(members[APP].demotion.demoted());
            assertEquals(0, members[APP].unloadBy);
            Demotion sensor = members[slot("sensor")].demotion;
            assertTrue(sensor.demoted() && sensor.byPolicy(), "policy 5's demotion, still liftable");
            Demotion input = members[slot("input")].demotion;
            assertTrue(input.planned() && !input.demoted(), "policy 5's demotion, still planned for its next start");
            assertTrue(members[slot("fs")].backFromPlanned);
            assertFalse(members[ECHO].demotion.byPolicy(), "the rule's, never lifted");
        }
    }

    /**
     * A first Engine takes over (with no mirror yet, it rebuilds), forwards the app's call to echo, and dies. With
     * {@code unreleased}, it dies after handling the call and before releasing it from the app's lane: the ring is
     * put back as it was, with the forward and the mirror as they were left.
     */
    private void firstEngineForwards(PrivateBridges bridges, long correlation, boolean unreleased) {
        Member[] members = bridges.members();
        try (Engine first = bridges.engine(members, new PrintStream(PrintStream.nullOutputStream()));
             SharedMemory appLanes = SharedMemory.open(members[APP].segment.memory().procPath())) {
            first.start(true);
            assertEquals(List.of("ENGINE_RESTARTED 0"), delivered(members[APP]));
            delivered(members[ECHO]);
            call(members[APP], correlation);
            MemorySegment ring = appLanes.segment().asSlice(REQUEST_RING, RING_AREA);
            byte[] before = ring.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            first.cycle();
            if (unreleased) {
                MemorySegment.copy(MemorySegment.ofArray(before), 0, ring, 0, before.length);
            }
            assertEquals(List.of("REQUEST " + correlation), delivered(members[ECHO]));
        } finally {
            for (Member m : members) {
                m.closePidFd();
            }
        }
    }

    private static void call(Member app, long correlation) {
        byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
        assertTrue(app.segment.requests().lane(Priority.NORMAL).offer(FrameType.REQUEST, 0, APP, SERVICE, 1, 0,
                correlation, 0, new UnsafeBuffer(text), 0, text.length));
    }

    private static void reply(Member echo, long correlation) {
        byte[] text = "HELLO".getBytes(StandardCharsets.UTF_8);
        assertTrue(echo.segment.requests().lane(Priority.NORMAL).offer(FrameType.REPLY, 0, ECHO, APP, 1, 0,
                correlation, 0, new UnsafeBuffer(text), 0, text.length));
    }

    /** What reached a component since the last look: type and correlation of each frame. */
    private static List<String> delivered(Member m) {
        List<String> seen = new ArrayList<>();
        m.segment.deliveries().poll((type, b, i, length) -> seen.add(FrameType.name(type) + " "
                + Frame.correlation(b, i)), 64);
        return seen;
    }

    /** The mirror's one live in-flight record. */
    private static int live(MirrorRegion mirror) {
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < mirror.count(MirrorRegion.IN_FLIGHT); i++) {
            if (mirror.read(MirrorRegion.IN_FLIGHT, i).status() == MirrorRegion.Status.VALID) {
                live.add(i);
            }
        }
        assertEquals(1, live.size(), "one call in flight, one record");
        return live.getFirst();
    }

    private String said() {
        return said.toString(StandardCharsets.UTF_8);
    }

    private static int slot(String id) {
        return SYSTEM.components().indexOf(SYSTEM.component(id).orElseThrow());
    }
}
