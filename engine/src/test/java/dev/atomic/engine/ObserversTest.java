package dev.atomic.engine;

import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.Observation;
import dev.atomic.component.RestartPolicy;
import dev.atomic.component.SandboxGrants;
import dev.atomic.component.StateKind;
import dev.atomic.component.Image;
import dev.atomic.component.Activation;
import dev.atomic.system.SharedMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The observe capability against real lane segments: who hears what, and only about whom it may watch. */
class ObserversTest {
    private static final int CAPACITY = 16 * 1024;
    private final List<Member> members = new ArrayList<>();

    @AfterEach
    void tearDown() {
        members.forEach(m -> m.segment.close());
    }

    private Member member(String id, List<String> observe) {
        ComponentSpec spec = new ComponentSpec(id, Kernel.DAK, "app", Image.java("x"), List.of(), List.of(), 1, 1, 1000,
                0, 0, "1.0.0", RestartPolicy.DEFAULT, StateKind.STATELESS, SandboxGrants.NONE, 2, Activation.BOOT,
                observe);
        Member m = new Member(members.size(), spec, LaneSegment.format(SharedMemory.create("observers-test",
                LaneSegment.sizeFor(CAPACITY)), members.size(), CAPACITY));
        m.state = Member.State.READY;
        m.pid = ProcessHandle.current().pid();
        members.add(m);
        return m;
    }

    private static List<Observation> received(Member m) {
        List<Observation> seen = new ArrayList<>();
        m.segment.outbound().poll((t, b, i, l) -> {
            assertEquals(FrameType.OBSERVATION, t);
            seen.add(Observation.parse(Frame.payloadBytes(b, i)));
        }, 100);
        return seen;
    }

    @Test
    void anObserverHearsOfWhomItWatchesAndNobodyElseHearsAnything() {
        Member app = member("app", List.of());
        Member driver = member("driver", List.of());
        Member antivirus = member("antivirus", List.of("driver"));
        Member anticheat = member("anticheat", List.of("*"));
        Observers observers = new Observers(members.toArray(Member[]::new));

        driver.callsMade = 7;
        observers.tick(System.nanoTime());
        List<Observation> av = received(antivirus);
        assertEquals(1, av.size(), "only the driver: " + av);
        Observation sample = av.getFirst();
        assertEquals("telemetry", sample.event());
        assertEquals("driver", sample.component());
        assertEquals("7", sample.facts().get("callsMade"));
        assertEquals("ready", sample.facts().get("state"));
        assertTrue(Long.parseLong(sample.facts().get("rssBytes")) > 0, "read from /proc: " + sample);
        assertEquals(List.of("app", "driver", "antivirus"), received(anticheat).stream().map(Observation::component)
                .toList(), "every other component, not itself");
        assertEquals(List.of(), received(app));
        assertEquals(List.of(), received(driver));

        observers.tick(System.nanoTime());
        assertEquals(List.of(), received(antivirus), "a sample a second, not a cycle");

        observers.fault(new FaultReport(0, "driver", "dak", FaultReport.Kind.CRASH, "killed by\tSIGKILL", "restarted"));
        Observation fault = received(antivirus).getFirst();
        assertEquals("fault", fault.event());
        assertEquals("killed by SIGKILL", fault.facts().get("evidence"), "a tab in a value cannot forge a field");
        received(anticheat);

        antivirus.state = Member.State.SPAWNING;
        observers.started(driver);
        assertEquals(List.of(), received(antivirus), "an observer not up yet misses it");
        antivirus.state = Member.State.READY;
        observers.started(antivirus);
        assertEquals(List.of("running driver"), received(antivirus).stream().map(o -> o.event() + " " + o.component())
                .toList(), "once up, it learns what runs already");
        assertEquals("started", received(anticheat).getFirst().event());
    }
}
