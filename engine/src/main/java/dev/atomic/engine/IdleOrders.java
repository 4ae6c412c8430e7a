package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.Priority;
import org.agrona.DirectBuffer;

import java.util.function.Consumer;

/** How {@link OnDemand}'s decisions reach the Sovereign, the components and the Router. */
final class IdleOrders implements OnDemand.Actions {
    private final ControlRegion control;
    private final Supervisor supervisor;
    private final Router router;
    private final Consumer<String> say;

    IdleOrders(ControlRegion control, Supervisor supervisor, Router router, Consumer<String> say) {
        this.control = control;
        this.supervisor = supervisor;
        this.router = router;
        this.say = say;
    }

    @Override
    public void spawn(Member m) {
        supervisor.spawn(m);
    }

    @Override
    public void freeze(Member m, boolean frozen) {
        control.admin().offer(FrameType.FREEZE, -1, m.slot, 0, frozen ? 1 : 0, 0, 0);
    }

    @Override
    public void stop(Member m) {
        m.segment.deliveries().lane(Priority.CRITICAL).offer(FrameType.STOP, -1, m.slot, 0, 0, 0, 0);
    }

    @Override
    public void deliver(Member from, Priority lane, DirectBuffer frame, long handledTo) {
        if (from.reachable()) {
            router.onRequest(from, lane, frame, 0, handledTo);
        }
    }

    @Override
    public void fail(Member from, DirectBuffer frame, int index, String service, String why) {
        router.fail(from, Frame.correlation(frame, index), Frame.method(frame, index), service, why);
    }

    @Override
    public boolean busy(Member m) {
        return router.busy(m);
    }

    @Override
    public InFlight.Entry keep(Member from, Member provider, Priority lane, DirectBuffer frame) {
        return router.held(from, provider, lane, frame);
    }

    @Override
    public void kept(InFlight.Entry record) {
        router.unheld(record);
    }

    @Override
    public void say(String text) {
        say.accept(text);
    }
}
