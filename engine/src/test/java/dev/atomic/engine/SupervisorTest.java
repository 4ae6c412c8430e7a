package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Image;
import dev.atomic.component.Kernel;
import dev.atomic.component.RestartPolicy;
import dev.atomic.component.SandboxGrants;
import dev.atomic.component.StateKind;
import dev.atomic.system.SharedMemory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A failed component is restarted as its manifest's restart policy says, without processes. */
class SupervisorTest {
    private final List<String> said = new ArrayList<>();

    /** Lets the component fail {@code failures} times in a row and returns its state after the last. */
    private Member.State failRepeatedly(RestartPolicy policy, int failures) {
        ComponentSpec spec = new ComponentSpec("flaky", Kernel.DAK, "app", Image.java("x.Flaky"), List.of(),
                List.of(), 1, 1, 1, 0, 0, "1.0.0", policy, StateKind.STATELESS, SandboxGrants.NONE, 2);
        try (ControlRegion control = ControlRegion.format(SharedMemory.create("supervisor-test",
                ControlRegion.sizeFor(1, 0, 0, 4096)), 1, 0, 0, 4096, ProcessHandle.current().pid());
             ExitWatcher exits = new ExitWatcher(() -> { })) {
            Member m = new Member(0, spec, LaneSegment.format(SharedMemory.create("supervisor-test",
                    LaneSegment.sizeFor(4096)), 0, 4096));
            StateMirror mirror = new StateMirror(control.mirror(), new Member[]{m});
            mirror.start(1, "supervisor test", control.orders());
            Supervisor supervisor = new Supervisor(control, new Member[]{m}, exits, new Supervisor.Listener() {
                @Override
                public void settled(Member member) {
                }

                @Override
                public int gone(Member member) {
                    return 0;
                }

                @Override
                public void say(String text) {
                    said.add(text);
                }

                @Override
                public void fault(FaultReport report) {
                }
            }, mirror);
            for (int i = 1; i <= failures; i++) {
                m.state = Member.State.READY;
                m.pid = 1000 + i;
                supervisor.onExit(new ExitWatcher.Exit(0, m.pid, System.nanoTime()));
            }
            m.segment.close();
            return m.state;
        }
    }

    @Test
    void theDefaultPolicyRestartsFiveTimesInThirtySecondsThenGivesUp() {
        assertEquals(Member.State.GAVE_UP, failRepeatedly(RestartPolicy.DEFAULT, 6));
        assertEquals("restarting flaky (dak) (restart 5 of at most 5 in 30 s)", said.get(said.size() - 2));
        assertEquals("gave up on flaky (dak): it failed 6 times in 30 s", said.getLast());
    }

    @Test
    void aManifestsLimitAndWindowAreTheOnesApplied() {
        RestartPolicy one = new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 1, Duration.ofMinutes(2));
        assertEquals(Member.State.SPAWNING, failRepeatedly(one, 1));
        assertEquals(List.of("restarting flaky (dak) (restart 1 of at most 1 in 2 min)"), said);
        said.clear();
        assertEquals(Member.State.GAVE_UP, failRepeatedly(one, 2));
        assertEquals("gave up on flaky (dak): it failed 2 times in 2 min", said.getLast());
    }

    @Test
    void neverMeansTheFirstFailureIsTheLast() {
        assertEquals(Member.State.GAVE_UP, failRepeatedly(new RestartPolicy(RestartPolicy.Mode.NEVER, 5,
                Duration.ofSeconds(30)), 1));
        assertEquals(List.of("not restarting flaky (dak): its restart policy is 'never'"), said);
    }
}
