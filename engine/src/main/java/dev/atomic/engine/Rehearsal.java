package dev.atomic.engine;

import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.Priority;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.ServiceRef;
import dev.atomic.component.SystemSpec;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What makes a standby warm rather than merely started: before it waits for the Engine's seat, it rehearses
 * takeovers on a private copy of the bridges — Engines of the same system, over their own control region and lane
 * segments in memory nobody else maps, adopting "components" that are itself, routing calls and their answers,
 * written and read by the rehearsal itself, until the JIT has compiled the code a takeover and its traffic run. The
 * first Engine finds no state mirror it can trust and rebuilds; the second carries on from the first's mirror, a call
 * in flight included. The real takeover then runs compiled code, with every native call linked and every class
 * loaded. Nothing of the rehearsal reaches a real ring, the terminal or the audit log.
 */
final class Rehearsal {
    /** Enough calls for the tiered JIT to compile the routing path (its thresholds are in the thousands). */
    static final int ROUND_TRIPS = 4000;
    private static final int REFUSALS = 50;
    private static final UnsafeBuffer PAYLOAD = new UnsafeBuffer(new byte[64]);

    private record Call(int caller, int serviceId, int method) {
    }

    private final PrivateBridges bridges;
    private final List<Call> calls = new ArrayList<>();
    /** Replies the rehearsal's Engines routed to their callers. */
    private int replies;

    private Rehearsal(PrivateBridges bridges) {
        this.bridges = bridges;
        SystemSpec system = bridges.system;
        for (ComponentSpec c : system.components()) {
            for (ServiceRef grant : c.calls()) {
                calls.add(new Call(system.components().indexOf(c), system.serviceId(grant.name()),
                        grant.methods().isEmpty() ? 1 : grant.methods().iterator().next()));
            }
        }
    }

    /**
     * Rehearses takeovers of {@code system} and its traffic; leaves nothing behind. Returns how many replies the
     * rehearsal's Engines routed to their callers.
     *
     * @param scratch where the rehearsal's audit log may go for as long as it runs
     */
    static int run(SystemSpec system, Path scratch) {
        try (PrivateBridges bridges = new PrivateBridges(system, scratch)) {
            return new Rehearsal(bridges).rehearse();
        }
    }

    private int rehearse() {
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        long correlation = 0;
        for (int round = 0; round < 2; round++) {
            Member[] members = bridges.members();
            try (Engine engine = bridges.engine(members, silent)) {
                engine.start(true);
                for (int i = 0; i < ROUND_TRIPS / 2; i++) {
                    call(members, correlation++);
                    route(engine, members);
                    serve(members);
                    route(engine, members);
                    serve(members);
                }
                if (round == 0) {
                    call(members, correlation++); // in flight when this Engine "dies": the next one routes its answer
                    route(engine, members);
                } else {
                    rehearseRefusals(engine, members);
                }
            } finally {
                for (Member m : members) {
                    m.closePidFd();
                }
            }
        }
        return replies;
    }

    /**
     * Duty cycles until every request lane is read: a ring read stops where its buffer wraps around, so what is past
     * that point is read by the next cycle.
     */
    private static void route(Engine engine, Member[] members) {
        for (int cycles = 0; cycles < 4; cycles++) {
            engine.cycle();
            if (java.util.Arrays.stream(members).allMatch(m -> m.segment.requests().isEmpty())) {
                return;
            }
        }
    }

    /** Every caller calls each service it is granted, once: each call a correlation of its own. */
    private void call(Member[] members, long round) {
        for (int i = 0; i < calls.size(); i++) {
            Call c = calls.get(i);
            members[c.caller()].segment.requests().lane(Priority.NORMAL).offer(FrameType.REQUEST, 0, c.caller(),
                    c.serviceId(), c.method(), 0, round * calls.size() + i, 0, PAYLOAD, 0, PAYLOAD.capacity());
        }
    }

    /** Each component's part: what reached it is read, its requests answered and its replies counted. */
    private void serve(Member[] members) {
        for (Member m : members) {
            // Until empty: a read stops where a ring wraps around.
            for (int reads = 0; reads < 4 && !m.segment.deliveries().isEmpty(); reads++) {
                m.segment.deliveries().poll((type, b, index, length) -> serve(m, type, b, index), 64);
            }
        }
        bridges.control.admin().poll((type, b, index, length) -> { }, 64);
    }

    /**
     * A takeover meets answers to calls it never saw and requests it must refuse: the audit log and the error path
     * are warmed too (their records go to the rehearsal's own log directory).
     */
    private void rehearseRefusals(Engine engine, Member[] members) {
        for (int i = 0; i < REFUSALS; i++) {
            for (Member m : members) {
                var lane = m.segment.requests().lane(Priority.NORMAL);
                lane.offer(FrameType.REPLY, 0, m.slot, (m.slot + 1) % members.length, 1, 0, i, 0, PAYLOAD, 0, 8);
                lane.offer(FrameType.REQUEST, 0, m.slot, -1, 1, 0, InFlight.MAX_CORRELATION - i, 0, PAYLOAD, 0, 8);
            }
            engine.cycle();
            for (Member m : members) {
                m.segment.deliveries().poll((type, b, index, length) -> { }, 64);
            }
        }
    }

    /** A request is answered with its own payload; a reply is counted. */
    private void serve(Member provider, int type, MutableDirectBuffer b, int index) {
        replies += type == FrameType.REPLY ? 1 : 0;
        if (type == FrameType.REQUEST) {
            provider.segment.requests().lane(Priority.NORMAL).offer(FrameType.REPLY, 0, provider.slot,
                    Frame.source(b, index), Frame.method(b, index), 0, Frame.correlation(b, index), 0, b,
                    index + Frame.HEADER_LENGTH, Frame.payloadLength(b, index));
        }
    }
}
