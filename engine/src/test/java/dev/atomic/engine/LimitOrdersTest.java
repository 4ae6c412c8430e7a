package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Image;
import dev.atomic.component.Kernel;
import dev.atomic.component.RestartPolicy;
import dev.atomic.component.SandboxGrants;
import dev.atomic.component.StateKind;
import dev.atomic.policy.Observation;
import dev.atomic.policy.TunableStore;
import dev.atomic.policy.sizing.Measure;
import dev.atomic.system.SharedMemory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LimitOrdersTest {
    /** The LIMITS frames on the admin lane: slot, memory bytes, CPU in millionths. */
    private static List<List<Long>> sent(ControlRegion control) {
        List<List<Long>> sent = new ArrayList<>();
        control.admin().poll((type, b, index, length) -> {
            if (type == FrameType.LIMITS) {
                sent.add(List.of((long) Frame.target(b, index), Frame.correlation(b, index), Frame.deadline(b, index)));
            }
        }, 16);
        return sent;
    }

    @Test
    void sizesGoToTheSovereignEverySecondWhileSetAndAsZeroOnceDecayed() throws Exception {
        ComponentSpec spec = new ComponentSpec("sized", Kernel.SERVICES, "service", Image.java("x.Sized"), List.of(),
                List.of(), 256L << 20, 1, 1, 0, 0, "1.0.0", RestartPolicy.DEFAULT, StateKind.STATELESS, SandboxGrants.NONE, 2);
        try (ControlRegion control = ControlRegion.format(SharedMemory.create("limits-test",
                ControlRegion.sizeFor(1, 0, 0, 4096)), 1, 0, 0, 4096, ProcessHandle.current().pid())) {
            Member m = new Member(0, spec, LaneSegment.format(SharedMemory.create("limits-test",
                    LaneSegment.sizeFor(4096)), 0, 4096));
            try {
                m.state = Member.State.READY;
                m.pid = 100;
                TunableStore store = new TunableStore();
                EngineTunables tunables = new EngineTunables(new String[]{"sized"}, EngineTunables.CHECKPOINT);
                tunables.define(store);
                Observation o = new Observation(0, "sized", "services", 0.1, 64L << 20, 0, 256L << 20, -1, List.of(),
                        0, 0, 0, 0, 1000, List.of());
                for (Measure measure : Measure.values()) {
                    store.define(measure.tunable(o));
                }
                LimitOrders orders = new LimitOrders(1);
                Member[] members = {m};

                orders.tick(members, tunables, control);
                assertEquals(List.of(), sent(control), "on the manifest's: nothing to send");
                store.set("memory.limit.sized", 96L << 20, "sizing", "its history", 0);
                store.set("cpu.quota.sized", 0.5, "sizing", "its history", 0);
                tunables.publish(store, 0);
                orders.tick(members, tunables, control);
                orders.tick(members, tunables, control);
                assertEquals(List.of(List.of(0L, 96L << 20, 500_000L), List.of(0L, 96L << 20, 500_000L)),
                        sent(control), "every second, for the Sovereign to hold it above its usage as that grows");
                m.pid = 101; // restarted: its new group starts at the manifest's limits, then is sized again
                orders.tick(members, tunables, control);
                assertEquals(List.of(List.of(0L, 96L << 20, 500_000L)), sent(control));
                m.state = Member.State.STARTING;
                tunables.publish(store, Measure.DECAY.toMillis());
                orders.tick(members, tunables, control);
                assertEquals(List.of(), sent(control), "not while it does not run");
                m.state = Member.State.READY;
                orders.tick(members, tunables, control);
                assertEquals(List.of(List.of(0L, 0L, 0L)), sent(control), "decayed: the manifest's again");
                orders.tick(members, tunables, control);
                assertEquals(List.of(), sent(control), "once");
            } finally {
                m.segment.close();
            }
        }
    }
}
