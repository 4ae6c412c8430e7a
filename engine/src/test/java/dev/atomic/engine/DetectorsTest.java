package dev.atomic.engine;

import dev.atomic.bridge.LaneSegment;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Image;
import dev.atomic.component.Kernel;
import dev.atomic.component.RestartPolicy;
import dev.atomic.component.SandboxGrants;
import dev.atomic.component.StateKind;
import dev.atomic.system.SharedMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leaks judged per process: a partition host's against the sum of its Tier 1 components' limits. */
class DetectorsTest {
    private static final long MIB = 1 << 20;
    private static final long SECOND = 1_000_000_000L;
    private static final long HOST = 100;
    private static final long OWN = 200;

    private final Member[] members = {member(0, "a", 1, HOST), member(1, "b", 1, HOST), member(2, "c", 2, OWN)};
    private final List<String> found = new ArrayList<>();

    private static Member member(int slot, String id, int tier, long pid) {
        ComponentSpec spec = new ComponentSpec(id, Kernel.SERVICES, "service", Image.java("x.Y"), List.of(), List.of(),
                64 * MIB, 16, 1000, 0, 0, "1.0.0", RestartPolicy.DEFAULT, StateKind.STATELESS, SandboxGrants.NONE,
                tier);
        Member m = new Member(slot, spec, LaneSegment.format(SharedMemory.create("detectors-test",
                LaneSegment.sizeFor(4096)), slot, 4096));
        m.state = Member.State.READY;
        m.pid = pid;
        return m;
    }

    @AfterEach
    void close() {
        for (Member m : members) {
            m.segment.close();
        }
    }

    /** Eleven seconds of leak samples, the host's resident memory at {@code hostMib(t)} MiB, c's steady at 40. */
    private void run(java.util.function.LongToDoubleFunction hostMib) {
        long[] t = {0};
        Router router = new Router(new Router.Listener() {
            @Override
            public void audit(Member member, String kind, String what) {
            }

            @Override
            public void answered() {
            }
        }, members, List.of(), new int[0], new PoolTable(List.of(), members, List.of(), new int[0], List.of()), null);
        EngineTunables tunables = new EngineTunables(new String[]{"a", "b", "c"}, EngineTunables.ADVISE);
        Detectors detectors = new Detectors(members, router, (m, kind, evidence, detect) -> {
            found.add(m.spec.id() + " " + kind + ": " + evidence);
            m.containing = true;
        }, tunables, pid -> pid == HOST ? (long) (hostMib.applyAsDouble(t[0]) * MIB) : pid == OWN ? 40 * MIB : 0);
        for (; t[0] <= 11 * SECOND; t[0] += SECOND) {
            detectors.tick(t[0]);
        }
    }

    @Test
    void aPartitionHostLargerThanOneComponentsLimitIsNoLeakOfThatComponent() {
        run(t -> 90 + 0.1 * t / SECOND); // past a's and b's 64 MiB each, far from their 128 MiB together
        assertEquals(List.of(), found);
    }

    @Test
    void aLeakingPartitionHostHasEachOfItsComponentsDemotedAndNoOtherComponent() {
        run(t -> 80 + 4.0 * t / SECOND); // due at 128 MiB within seconds
        assertEquals(2, found.size(), found.toString());
        assertTrue(found.get(0).startsWith("a LEAK: its partition host (pid 100, running a, b) is leaking: resident "
                + "memory "), found.toString());
        assertTrue(found.get(0).contains("of its 128 MiB limit") && found.get(0).endsWith("which of them leaks cannot "
                + "be told inside one JVM, so each is demoted to a process of its own"), found.toString());
        assertTrue(found.get(1).startsWith("b LEAK: its partition host (pid 100, running a, b)"), found.toString());
    }
}
