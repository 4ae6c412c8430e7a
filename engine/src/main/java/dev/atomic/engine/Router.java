package dev.atomic.engine;

import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.Lane;
import dev.atomic.bridge.PoolRef;
import dev.atomic.bridge.Priority;
import dev.atomic.component.ServiceRef;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

/**
 * Moves requests from a component's request lanes to the provider's delivery lane of the same class, and replies
 * back, checking on every frame who sent it (the lane it came in on), what it may call (its grants, per method),
 * when it must be answered (its deadline), and whether waiting on the provider would close a cycle.
 */
final class Router {
    /** What the Router tells its Engine. */
    interface Listener {
        /** A frame was refused or dropped for a reason worth an audit record. */
        void audit(Member member, String kind, String what);

        /** A reply reached its requester. */
        void answered();

        /**
         * True when the request was held for its provider (an on-demand service starting or thawing), or refused
         * because too many are: it is not to be routed now.
         */
        default boolean hold(Member from, Member provider, Priority lane, DirectBuffer b, int index, long handledTo,
                             String service) {
            return false;
        }
    }

    /**
     * A caller's binding to a service, settled once when the Engine starts: the negotiated version (the highest both
     * support), or why there is none.
     */
    record Binding(ServiceRef grant, int serviceId, int version, String refusal) {
    }

    private final Member[] members;
    /** Service id → provider slot. */
    private final int[] providers;
    private final List<String> services;
    /** Per slot, per service id: its binding, or null when it has no grant for that service. */
    private final Binding[][] bindings;
    private final InFlight inFlight = new InFlight();
    private final Replays replays = new Replays();
    /** Per slot, when it last answered a request (nanoTime; 0: never): progress, for the hang detector. */
    private final long[] answeredAt;
    /** Per slot, when a request to it last went past its deadline unanswered (nanoTime; 0: never). */
    private final long[] expiredAt;
    private final WaitForGraph waits;
    private final Traffic traffic = new Traffic();
    private final Coalescer coalescer;
    private final Listener engine;
    private final PoolTable pools;
    private final StateMirror mirror;
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);

    Router(Listener engine, Member[] members, List<String> services, int[] providers, PoolTable pools,
           StateMirror mirror) {
        this.engine = engine;
        this.pools = pools;
        this.mirror = mirror;
        this.members = members;
        this.services = services;
        this.providers = providers;
        this.waits = new WaitForGraph(members.length);
        this.answeredAt = new long[members.length];
        this.expiredAt = new long[members.length];
        this.coalescer = new Coalescer(this::deliverEvent, members.length, Coalescer.enabledByEnvironment());
        this.bindings = new Binding[members.length][services.size()];
        for (Member m : members) {
            for (ServiceRef grant : m.spec.calls()) {
                int id = services.indexOf(grant.name());
                Member provider = members[providers[id]];
                ServiceRef offer = provider.spec.provides().stream()
                        .filter(p -> p.name().equals(grant.name())).findFirst().orElseThrow();
                // The provider serves every version up to its own (append-only): they speak the highest both know.
                String refusal = offer.version() < grant.version()
                        ? m.spec.id() + " speaks " + grant.name() + " " + grant.versions() + ", but "
                        + provider.spec.id() + " provides only up to v" + offer.version()
                        + ": no version both support"
                        : null;
                bindings[m.slot][id] = new Binding(grant, id, Math.min(offer.version(), grant.newest()), refusal);
            }
        }
    }

    Traffic traffic() {
        return traffic;
    }

    Coalescer coalescer() {
        return coalescer;
    }

    int inFlight() {
        return inFlight.size();
    }

    /**
     * True when the component holds a binding to the service that was not refused and is no order into a lower
     * kernel: what a fast path needs.
     */
    boolean bindable(Member m, int serviceId) {
        Binding b = bindings[m.slot][serviceId];
        // Not an order down into a lower kernel: on a fast path no Engine would hold it to asynchrony and a deadline.
        return b != null && b.refusal() == null && Layering.of(m.spec.kernel(),
                members[providers[serviceId]].spec.kernel()) != Layering.Direction.DOWNWARD;
    }

    /** Bindings refused at start, for the boot report. */
    List<String> refusals() {
        return java.util.Arrays.stream(bindings).flatMap(java.util.Arrays::stream)
                .filter(b -> b != null && b.refusal() != null).map(Binding::refusal).toList();
    }

    /** Whether a request to or from {@code m} is in flight. */
    boolean busy(Member m) {
        return inFlight.involves(m.slot);
    }

    /** Checks what REQUEST and EVENT share; the binding, or null after refusing. */
    private Binding admit(Member from, DirectBuffer b, int index, long correlation, boolean answerable) {
        int serviceId = Frame.target(b, index);
        int method = Frame.method(b, index);
        if (serviceId < 0 || serviceId >= services.size()) {
            refuse(from, answerable, correlation, method, "bad-service", "no service with id " + serviceId);
            return null;
        }
        Binding binding = bindings[from.slot][serviceId];
        String service = services.get(serviceId);
        if (binding == null || !binding.grant().allows(method)) {
            refuse(from, answerable, correlation, method, "not-granted", from.spec.id() + " is not granted "
                    + (binding == null ? "'" + service + "'" : "method " + method + " of '" + service + "'"));
            return null;
        }
        if (binding.refusal() != null) {
            refuse(from, answerable, correlation, method, "incompatible", binding.refusal());
            return null;
        }
        return binding;
    }

    /** @param handledTo the requester's lane position just past this request */
    void onRequest(Member from, Priority lane, DirectBuffer b, int index, long handledTo) {
        long correlation = Frame.correlation(b, index);
        if (correlation < 0 || correlation > InFlight.MAX_CORRELATION) {
            engine.audit(from, "bad-correlation", "request with correlation id " + correlation
                    + " outside 0..2^48-1 refused");
            return; // no valid id to answer to
        }
        Binding binding = admit(from, b, index, correlation, true);
        if (binding == null) {
            return;
        }
        int method = Frame.method(b, index);
        String service = services.get(binding.serviceId());
        Member provider = members[providers[binding.serviceId()]];
        int flags = Frame.flags(b, index);
        String layering = Layering.refusal(from, provider, flags);
        if (layering != null) {
            refuse(from, true, correlation, method, "layering", layering);
            return;
        }
        long deadline = Layering.deadline(from, provider, Frame.deadline(b, index), System.nanoTime());
        if (engine.hold(from, provider, lane, b, index, handledTo, service)) {
            return;
        }
        if (provider.state != Member.State.READY) {
            fail(from, correlation, method, service, service + " is not available right now ("
                    + provider.state.name().toLowerCase() + ")");
            return;
        }
        if (deadline != 0 && deadline - System.nanoTime() <= 0) {
            fail(from, correlation, method, service, "call to " + service + " arrived after its deadline");
            return;
        }
        if (provider.slot == from.slot || waits.reaches(provider.slot, from.slot)) {
            String cycle = cycle(from, provider);
            engine.audit(from, "cycle", "call to " + service + " refused: it would close the wait-for cycle " + cycle);
            fail(from, correlation, method, service, "call to " + service + " would close a wait-for cycle: " + cycle
                    + " (" + provider.spec.id() + " is already waiting on " + from.spec.id() + ")");
            return;
        }
        int length = Frame.payloadLength(b, index);
        int pool = -1;
        int buffer = -1;
        if ((flags & Frame.FLAG_POOL) != 0) {
            String why = pools.check(from.slot, provider.slot, b, index + Frame.HEADER_LENGTH, length);
            if (why != null) {
                refuse(from, true, correlation, method, "bad-pool-reference", "pool reference refused: " + why);
                return;
            }
            pool = PoolRef.pool(b, index + Frame.HEADER_LENGTH);
            buffer = pools.checkedBuffer();
        }
        InFlight.Entry entry = new InFlight.Entry(from.slot, correlation, provider.slot, binding.serviceId(), method,
                deadline, pool, buffer, mirror.reserve());
        if (!inFlight.add(entry)) {
            mirror.unreserve(entry.mirrorSlot());
            refuse(from, true, correlation, method, "duplicate-correlation",
                    "correlation id " + correlation + " is already in flight");
            return;
        }
        if (forward(entry, lane, flags, binding.version(), b, index + Frame.HEADER_LENGTH, length, handledTo)
                && (flags & Frame.FLAG_IDEMPOTENT) != 0 && pool < 0) {
            byte[] copy = new byte[length];
            b.getBytes(index + Frame.HEADER_LENGTH, copy);
            replays.keep(entry, lane, flags, copy);
        }
    }

    /** Puts a request already in {@link #inFlight} on its provider's lane; false (it failed) when that is full. */
    private boolean forward(InFlight.Entry entry, Priority lane, int flags, int version, DirectBuffer b, int offset,
                            int length, long handledTo) {
        Member provider = members[entry.provider()];
        Lane to = provider.segment.deliveries().lane(lane);
        if (to.offerWithoutWaking(FrameType.REQUEST, flags, entry.requester(), entry.serviceId(), entry.method(),
                version, entry.correlation(), entry.deadline(), b, offset, length)) {
            waits.add(entry.requester(), provider.slot);
            members[entry.requester()].callsMade++;
            if (entry.pool() >= 0) {
                pools.lend(entry.pool(), entry.buffer());
            }
            mirror.added(entry, lane, handledTo);
            // Only now may the provider be woken (a system call a SIGKILL would end in): the mirror knows the call.
            to.doorbell().ring();
            return true;
        }
        inFlight.remove(entry);
        mirror.unreserve(entry.mirrorSlot());
        String service = services.get(entry.serviceId());
        fail(members[entry.requester()], entry.correlation(), entry.method(), service,
                service + " is busy: its " + lane.laneName() + " lane is full");
        return false;
    }

    /**
     * The provider is ready again: the idempotent requests its predecessor died with are forwarded to it, once;
     * those whose deadline passed meanwhile fail. Returns how many were replayed.
     */
    int replay(Member provider) {
        int replayed = 0;
        long now = System.nanoTime();
        for (Replays.Kept k : replays.release(provider.slot)) {
            InFlight.Entry old = k.entry();
            mirror.removed(old);
            Member requester = members[old.requester()];
            String service = services.get(old.serviceId());
            if (!requester.reachable()) {
                continue;
            }
            if (old.deadline() != 0 && old.deadline() - now <= 0) {
                fail(requester, old.correlation(), old.method(), service, "call to " + service
                        + " timed out (deadline passed) while " + provider.spec.id() + " was restarted for its replay");
                continue;
            }
            InFlight.Entry entry = new InFlight.Entry(old.requester(), old.correlation(), old.provider(),
                    old.serviceId(), old.method(), old.deadline(), -1, -1, mirror.reserve());
            if (!inFlight.add(entry)) {
                mirror.unreserve(entry.mirrorSlot());
                continue; // the requester reused the id meanwhile: it gave up on this call
            }
            UnsafeBuffer payload = new UnsafeBuffer(k.payload());
            long handled = requester.segment.requests().lane(k.lane()).consumed();
            if (forward(entry, k.lane(), k.flags(), bindings[old.requester()][old.serviceId()].version(), payload, 0,
                    k.payload().length, handled)) {
                replays.keep(entry, k.lane(), k.flags(), k.payload());
                replayed++;
            }
        }
        return replayed;
    }

    /** The provider was given up on: what waited for its replay fails, saying why. */
    void gaveUp(Member provider) {
        for (Replays.Kept k : replays.release(provider.slot)) {
            InFlight.Entry e = k.entry();
            mirror.removed(e);
            String service = services.get(e.serviceId());
            fail(members[e.requester()], e.correlation(), e.method(), service, service + " failed while handling "
                    + "the call and was given up on (" + provider.gaveUpReason + "): the call was not replayed");
        }
    }

    /** The cycle a call from {@code from} to {@code provider} would close, by component: {@code a → b → a}. */
    private String cycle(Member from, Member provider) {
        StringBuilder text = new StringBuilder(from.spec.id());
        for (int slot : waits.path(provider.slot, from.slot)) {
            text.append(" → ").append(members[slot].spec.id());
        }
        return text.toString();
    }

    /**
     * A successor's in-flight requests, as its predecessor's mirror held them: their answers are routed. Those held
     * for a replay are not: {@link #failHeld}.
     */
    void restore(List<StateMirror.Flight> flights) {
        for (StateMirror.Flight f : flights) {
            if (f.held()) {
                continue;
            }
            InFlight.Entry e = f.entry();
            inFlight.add(e);
            waits.add(e.requester(), e.provider());
            if (e.pool() >= 0) {
                pools.lend(e.pool(), e.buffer());
            }
        }
    }

    /** A request the Engine holds for a provider starting on demand (a copy of its frame): in the mirror, as held. */
    InFlight.Entry held(Member from, Member provider, Priority lane, DirectBuffer frame) {
        InFlight.Entry e = new InFlight.Entry(from.slot, Frame.correlation(frame, 0), provider.slot,
                Frame.target(frame, 0), Frame.method(frame, 0), Frame.deadline(frame, 0), -1, -1, mirror.reserve());
        mirror.held(e, lane);
        return e;
    }

    /** A request held for a provider starting on demand is no longer held. */
    void unheld(InFlight.Entry e) {
        mirror.removed(e);
    }

    /**
     * A successor's requests that its predecessor held (for a replay, or a start on demand): their payloads died with
     * it, so each is sent back to its caller at once (ERROR_RESEND, saying so), rather than wait out its deadline;
     * the caller has the only copy left and may send it again. Once the mirror carries on: their records are freed.
     * Returns how many.
     */
    int failHeld(List<StateMirror.Flight> flights) {
        int failed = 0;
        for (StateMirror.Flight f : flights) {
            if (!f.held()) {
                continue;
            }
            InFlight.Entry e = f.entry();
            mirror.removed(e);
            if (members[e.requester()].reachable()) {
                String service = services.get(e.serviceId());
                traffic.failed(members[e.requester()].spec.id(), service);
                // On the critical lane, behind what its caller was told of the provider: a resend waits for it.
                error(members[e.requester()], e.correlation(), e.method(), "call to " + service + " failed: the "
                        + "Engine held it for " + members[e.provider()].spec.id() + " (to be replayed to its next start, "
                        + "or until it started on demand) when it died, and its copy died with it: call again",
                        FrameType.ERROR_RESEND, Priority.CRITICAL);
            }
            failed++;
        }
        return failed;
    }

    /**
     * The routing table as text, the same for every Engine of this system: each service and its provider, each
     * binding (grant, negotiated version or refusal), each pool. A successor compares it with its mirror's.
     */
    String table() {
        StringBuilder out = new StringBuilder();
        for (int id = 0; id < services.size(); id++) {
            out.append(services.get(id)).append(" by ").append(providers[id]).append('\n');
        }
        for (int slot = 0; slot < bindings.length; slot++) {
            for (Binding binding : bindings[slot]) {
                if (binding != null) {
                    out.append(slot).append(' ').append(binding).append('\n');
                }
            }
        }
        pools.pools().forEach(p -> out.append(p).append('\n'));
        return out.toString();
    }

    /**
     * A one-way event: delivered now, or held for coalescing while its source is busy (never on the critical lane).
     * An ordinary event its source merged stands for the count in its {@code status}; returns how many events beyond
     * this frame it stood for (0 for a critical one, or one refused).
     */
    int onEvent(Member from, Priority lane, long sourceRate, DirectBuffer b, int index, long now) {
        Binding binding = admit(from, b, index, 0, false);
        if (binding == null) {
            return 0;
        }
        if ((Frame.flags(b, index) & Frame.FLAG_POOL) != 0) {
            engine.audit(from, "bad-pool-reference", "event refused: only requests may lend pool buffers");
            return 0;
        }
        int method = Frame.method(b, index);
        int offset = index + Frame.HEADER_LENGTH;
        int length = Frame.payloadLength(b, index);
        if (lane == Priority.CRITICAL) {
            // Its times go on with it: the receiver splits its latency into the hop to the Engine and the hop from it.
            sendEvent(from.slot, binding.serviceId(), method, lane, b, offset, length, 1, Frame.correlation(b, index),
                    System.nanoTime());
            return 0;
        }
        int count = Math.max(1, Frame.status(b, index));
        if (!coalescer.offer(from.slot, binding.serviceId(), method, sourceRate, b, offset, length, count,
                Frame.correlation(b, index), now)) {
            sendEvent(from.slot, binding.serviceId(), method, lane, b, offset, length, count, 0, 0);
        }
        return count - 1;
    }

    private void deliverEvent(int source, int serviceId, int method, DirectBuffer b, int offset, int length, int count) {
        sendEvent(source, serviceId, method, Priority.NORMAL, b, offset, length, count, 0, 0);
    }

    private void sendEvent(int source, int serviceId, int method, Priority lane, DirectBuffer b, int offset, int length,
                           int count, long sent, long forwarded) {
        Member provider = members[providers[serviceId]];
        if (provider.state != Member.State.READY) {
            return; // events are not queued for a provider that is down
        }
        if (!provider.segment.deliveries().lane(lane).offer(FrameType.EVENT, 0, source, serviceId, method, count,
                sent, forwarded, b, offset, length)) {
            engine.audit(members[source], "event-dropped", "event to " + services.get(serviceId) + " dropped: "
                    + provider.spec.id() + "'s " + lane.laneName() + " lane is full");
        }
    }

    /** A REPLY or ERROR from a provider: only the provider the request went to may answer it. */
    void onAnswer(Member from, Priority lane, int type, DirectBuffer b, int index) {
        int requester = Frame.target(b, index);
        long correlation = Frame.correlation(b, index);
        InFlight.Entry entry = requester >= 0 && requester < members.length && correlation >= 0
                && correlation <= InFlight.MAX_CORRELATION ? inFlight.get(requester, correlation) : null;
        if (entry == null || entry.provider() != from.slot) {
            engine.audit(from, "forged-answer", "answer to a request it was not asked (slot " + requester
                    + ", correlation " + correlation + ") dropped");
            return;
        }
        settle(entry);
        replays.drop(entry);
        answeredAt[from.slot] = System.nanoTime();
        deliver(from, lane, type, b, index, entry);
        mirror.removed(entry); // once the answer is on its way: a successor never loses it
    }

    private void deliver(Member from, Priority lane, int type, DirectBuffer b, int index, InFlight.Entry entry) {
        int requester = entry.requester();
        long correlation = entry.correlation();
        Member to = members[requester];
        String service = services.get(entry.serviceId());
        if (!to.reachable()) {
            return; // the requester died meanwhile; its new incarnation never asked
        }
        int length = Frame.payloadLength(b, index);
        if (to.segment.deliveries().lane(lane).offer(type, Frame.flags(b, index), from.slot, requester,
                entry.method(), Frame.status(b, index), correlation, 0, b, index + Frame.HEADER_LENGTH, length)) {
            from.callsAnswered++;
            if (type == FrameType.REPLY) {
                traffic.answered(to.spec.id(), service);
                engine.answered();
            } else {
                traffic.failed(to.spec.id(), service);
            }
        } else {
            engine.audit(to, "answer-dropped", "answer from " + service + " dropped: " + to.spec.id()
                    + "'s lane is full");
        }
    }

    /** A request is over: it no longer waits, and its lent buffer, if any, is the caller's again. */
    private void settle(InFlight.Entry e) {
        inFlight.remove(e);
        released(e);
    }

    private void released(InFlight.Entry e) {
        waits.remove(e.requester(), e.provider());
        if (e.pool() >= 0) {
            pools.giveBack(e.pool(), e.buffer());
        }
    }

    /** Fails requests whose deadline passed; the requester gets an ERROR, never silence. */
    void expire(long now) {
        for (InFlight.Entry e : inFlight.removeIf(e -> e.deadline() != 0 && e.deadline() - now < 0)) {
            released(e);
            replays.drop(e);
            expiredAt[e.provider()] = now;
            String service = services.get(e.serviceId());
            fail(members[e.requester()], e.correlation(), e.method(), service,
                    "call to " + service + " timed out (deadline passed)");
            mirror.removed(e);
        }
    }

    /**
     * A component died: what it was asked fails at once unless its method is idempotent (then it is held for the
     * next incarnation), what it asked is forgotten. Returns the count failed.
     */
    int forget(Member dead) {
        coalescer.forget(dead.slot);
        pools.forget(dead.slot);
        replays.forgetRequester(dead.slot).forEach(k -> mirror.removed(k.entry()));
        int failed = 0;
        for (InFlight.Entry e : inFlight.removeIf(e -> e.provider() == dead.slot || e.requester() == dead.slot)) {
            released(e);
            Replays.Kept held = e.provider() == dead.slot && e.requester() != dead.slot ? replays.hold(e) : null;
            if (held != null) {
                mirror.held(e, held.lane());
                continue;
            }
            if (e.provider() == dead.slot && e.requester() != dead.slot) {
                String service = services.get(e.serviceId());
                fail(members[e.requester()], e.correlation(), e.method(), service, service + " failed while "
                        + "handling the call: " + dead.spec.id() + " died, and method " + e.method() + " is not "
                        + "idempotent, so the call was not replayed (it may or may not have taken effect)");
                failed++;
            }
            mirror.removed(e);
        }
        return failed;
    }

    /** Requests in flight to this slot now. */
    int pendingTo(int slot) {
        return inFlight.countTo(slot);
    }

    long answeredAt(int slot) {
        return answeredAt[slot];
    }

    long expiredAt(int slot) {
        return expiredAt[slot];
    }

    /** Idempotent calls held for their provider's next incarnation. */
    int held() {
        return replays.held();
    }

    void fail(Member to, long correlation, int method, String service, String why) {
        traffic.failed(to.spec.id(), service);
        error(to, correlation, method, why);
    }

    /** Audits a refusal and, where the sender can be answered, tells it why. */
    private void refuse(Member to, boolean answerable, long correlation, int method, String kind, String why) {
        engine.audit(to, kind, why);
        if (answerable) {
            error(to, correlation, method, why);
        }
    }

    /** Tells a component that a frame it sent was refused, even one too broken to name a correlation id. */
    void error(Member to, long correlation, int method, String why) {
        error(to, correlation, method, why, FrameType.ERROR_FAILED, Priority.NORMAL);
    }

    private void error(Member to, long correlation, int method, String why, int status, Priority lane) {
        if (!to.reachable()) {
            return;
        }
        byte[] text = Frame.utf8(why);
        to.segment.deliveries().lane(lane).offer(FrameType.ERROR, -1, to.slot, method, status, correlation, 0,
                new UnsafeBuffer(text), 0, text.length);
    }

    /**
     * Sends WELCOME: per granted service, its id (or -1 when the binding was refused), the negotiated version, its
     * name and the refusal text; then per pool it shares: pool id, service id, role (0 caller, 1 provider), path.
     */
    void welcome(Member m) {
        int at = 0;
        Binding[] mine = bindings[m.slot];
        int count = 0;
        for (Binding binding : mine) {
            count += binding == null ? 0 : 1;
        }
        scratch.putInt(at, count);
        at += 4;
        for (Binding binding : mine) {
            if (binding == null) {
                continue;
            }
            scratch.putInt(at, binding.refusal() == null ? binding.serviceId() : -1);
            scratch.putInt(at + 4, binding.version());
            at += 8;
            at += scratch.putStringUtf8(at, binding.grant().name());
            at += scratch.putStringUtf8(at, binding.refusal() == null ? "" : binding.refusal());
        }
        int poolsAt = at;
        int poolCount = 0;
        at += 4;
        for (PoolTable.Pool pool : pools.pools()) {
            boolean caller = pool.caller() == m.slot;
            if (caller || pool.provider() == m.slot) {
                scratch.putInt(at, pool.id());
                scratch.putInt(at + 4, pool.serviceId());
                scratch.putInt(at + 8, caller ? 0 : 1);
                at += 12;
                at += scratch.putStringUtf8(at, pool.path());
                poolCount++;
            }
        }
        scratch.putInt(poolsAt, poolCount);
        Lane out = m.segment.deliveries().lane(Priority.NORMAL);
        out.offer(FrameType.WELCOME, -1, m.slot, 0, 0, 0, 0, scratch, 0, at);
    }
}
