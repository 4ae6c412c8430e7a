package dev.atomic.engine;

import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.Lane;
import org.agrona.DirectBuffer;

import java.util.List;

/**
 * Moves requests from a component's inbound lane to the provider's outbound lane and replies back, checking on
 * every frame who sent it (the lane), what it may call (its grants), and when it must be answered (its deadline).
 */
final class Router {
    /** What the Router tells its Engine. */
    interface Listener {
        /** A frame was refused or dropped for a reason worth an audit record. */
        void audit(Member member, String what);

        /** A reply reached its requester. */
        void answered();
    }

    private final Member[] members;
    /** Service id → provider slot. */
    private final int[] providers;
    private final List<String> services;
    private final InFlight inFlight = new InFlight();
    private final Traffic traffic = new Traffic();
    private final Listener engine;

    Router(Listener engine, Member[] members, List<String> services, int[] providers) {
        this.engine = engine;
        this.members = members;
        this.services = services;
        this.providers = providers;
    }

    Traffic traffic() {
        return traffic;
    }

    int inFlight() {
        return inFlight.size();
    }

    void onRequest(Member from, DirectBuffer b, int index) {
        int serviceId = Frame.target(b, index);
        long correlation = Frame.correlation(b, index);
        int method = Frame.method(b, index);
        long deadline = Frame.deadline(b, index);
        if (correlation < 0 || correlation > InFlight.MAX_CORRELATION) {
            engine.audit(from, "request with correlation id " + correlation + " outside 0..2^48-1 refused");
            return; // no valid id to answer to
        }
        if (serviceId < 0 || serviceId >= services.size()) {
            refuse(from, correlation, method, "no service with id " + serviceId);
            return;
        }
        String service = services.get(serviceId);
        if (!from.spec.calls().contains(service)) {
            engine.audit(from, "call to '" + service + "' refused: not granted");
            refuse(from, correlation, method, from.spec.id() + " is not granted '" + service + "'");
            return;
        }
        Member provider = members[providers[serviceId]];
        if (provider.state != Member.State.READY) {
            fail(from, correlation, method, service, service + " is not available right now ("
                    + provider.state.name().toLowerCase() + ")");
            return;
        }
        if (deadline != 0 && deadline - System.nanoTime() <= 0) {
            fail(from, correlation, method, service, "call to " + service + " arrived after its deadline");
            return;
        }
        InFlight.Entry entry = new InFlight.Entry(from.slot, correlation, provider.slot, serviceId, method, deadline);
        if (!inFlight.add(entry)) {
            refuse(from, correlation, method, "correlation id " + correlation + " is already in flight");
            return;
        }
        int length = Frame.payloadLength(b, index);
        if (!provider.segment.outbound().offer(FrameType.REQUEST, from.slot, serviceId, method, 0, correlation,
                deadline, b, index + Frame.HEADER_LENGTH, length)) {
            inFlight.remove(entry);
            fail(from, correlation, method, service, service + " is busy: its lane is full");
        }
    }

    /** A REPLY or ERROR from a provider: only the provider the request went to may answer it. */
    void onAnswer(Member from, int type, DirectBuffer b, int index) {
        int requester = Frame.target(b, index);
        long correlation = Frame.correlation(b, index);
        InFlight.Entry entry = requester >= 0 && requester < members.length && correlation >= 0
                && correlation <= InFlight.MAX_CORRELATION ? inFlight.get(requester, correlation) : null;
        if (entry == null || entry.provider() != from.slot) {
            engine.audit(from, "answer to a request it was not asked (slot " + requester + ", correlation "
                    + correlation + ") dropped");
            return;
        }
        inFlight.remove(entry);
        Member to = members[requester];
        String service = services.get(entry.serviceId());
        if (to.state != Member.State.READY) {
            return; // the requester died meanwhile; its new incarnation never asked
        }
        int length = Frame.payloadLength(b, index);
        if (to.segment.outbound().offer(type, from.slot, requester, entry.method(), Frame.status(b, index),
                correlation, 0, b, index + Frame.HEADER_LENGTH, length)) {
            if (type == FrameType.REPLY) {
                traffic.answered(to.spec.id(), service);
                engine.answered();
            } else {
                traffic.failed(to.spec.id(), service);
            }
        } else {
            engine.audit(to, "answer from " + service + " dropped: " + to.spec.id() + "'s lane is full");
        }
    }

    /** Fails requests whose deadline passed; the requester gets an ERROR, never silence. */
    void expire(long now) {
        for (InFlight.Entry e : inFlight.removeIf(e -> e.deadline() != 0 && e.deadline() - now < 0)) {
            String service = services.get(e.serviceId());
            fail(members[e.requester()], e.correlation(), e.method(), service,
                    "call to " + service + " timed out (deadline passed)");
        }
    }

    /** A component died: what it was asked fails at once, what it asked is forgotten. Returns the count failed. */
    int forget(Member dead) {
        int failed = 0;
        for (InFlight.Entry e : inFlight.removeIf(e -> e.provider() == dead.slot || e.requester() == dead.slot)) {
            if (e.provider() == dead.slot && e.requester() != dead.slot) {
                String service = services.get(e.serviceId());
                fail(members[e.requester()], e.correlation(), e.method(), service,
                        service + " failed while handling the call (" + dead.spec.id() + " died); it is being restarted");
                failed++;
            }
        }
        return failed;
    }

    private void fail(Member to, long correlation, int method, String service, String why) {
        traffic.failed(to.spec.id(), service);
        refuse(to, correlation, method, why);
    }

    private void refuse(Member to, long correlation, int method, String why) {
        if (to.state != Member.State.READY) {
            return;
        }
        byte[] text = Frame.utf8(why);
        to.segment.outbound().offer(FrameType.ERROR, -1, to.slot, method, 1, correlation, 0,
                new org.agrona.concurrent.UnsafeBuffer(text), 0, text.length);
    }

    /** Sends WELCOME: the services the component may call, with their ids. */
    void welcome(Member m) {
        Lane out = m.segment.outbound();
        var buffer = new org.agrona.ExpandableArrayBuffer(256);
        int at = 0;
        buffer.putInt(at, m.spec.calls().size());
        at += 4;
        for (String service : m.spec.calls()) {
            byte[] name = Frame.utf8(service);
            buffer.putInt(at, services.indexOf(service));
            buffer.putInt(at + 4, name.length);
            buffer.putBytes(at + 8, name);
            at += 8 + name.length;
        }
        out.offer(FrameType.WELCOME, -1, m.slot, 0, 0, 0, 0, buffer, 0, at);
    }
}
