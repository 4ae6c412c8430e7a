package dev.atomic.engine;

import dev.atomic.bridge.Frame;
import dev.atomic.bridge.Priority;
import dev.atomic.component.Activation;
import dev.atomic.component.Say;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The Services kernel's zero-idle promise, for the services whose manifest says {@code activation = "on-demand"}:
 * such a service is not started at boot; a request to it is held while the Sovereign starts it (or thaws it), and
 * delivered once it is ready; idle for its freeze timeout, its cgroup is frozen; idle for its stop timeout, it is
 * stopped (no fault, no restart counted). Idle means no request delivered to it, and none to or from it in flight.
 * Lives on the Engine's duty-cycle thread; time comes in as an argument, so the state machine runs under a test's
 * clock.
 */
final class OnDemand {
    /** Requests held per service while it starts or thaws; beyond, a request fails at once. */
    static final int HOLD_LIMIT = 256;

    /** What it asks of the Engine. */
    interface Actions {
        /** Asks the Sovereign to start the component. */
        void spawn(Member m);

        /** Asks the Sovereign to freeze (true) or thaw (false) the component's cgroup. */
        void freeze(Member m, boolean frozen);

        /** Asks the running component to stop cleanly (STOP on its critical lane). */
        void stop(Member m);

        /** Routes a held request as if it had just arrived. */
        void deliver(Member from, Priority lane, DirectBuffer frame, long handledTo);

        /** Fails a request: the requester gets an ERROR saying why. */
        void fail(Member from, DirectBuffer frame, int index, String service, String why);

        /** Whether a request to or from it is in flight. */
        boolean busy(Member m);

        /**
         * A request is held for {@code provider}: accounted for in the state mirror, so that an Engine taking over
         * fails it at once rather than leave its caller to its deadline. Returns its record.
         */
        InFlight.Entry keep(Member from, Member provider, Priority lane, DirectBuffer frame);

        /** A held request left the holding (delivered, failed, or its requester gone): its record is freed. */
        void kept(InFlight.Entry record);

        void say(String text);
    }

    /**
     * A request waiting for its provider: a copy of the whole frame, where its requester's lane was, and its record
     * in the state mirror.
     */
    record Held(Member from, Priority lane, UnsafeBuffer frame, long handledTo, String service, InFlight.Entry record) {
    }

    private final Member[] members;
    private final Actions engine;
    private final List<ArrayDeque<Held>> held = new ArrayList<>();
    /** When the current start or thaw was asked for: how long the first request waited. */
    private final long[] wokenAt;
    /** Started by a request, not yet ready: said when it is. */
    private final boolean[] starting;
    /** Said once per component: its host cannot freeze it. */
    private final boolean[] cannotFreeze;

    OnDemand(Member[] members, Actions engine) {
        this.members = members;
        this.engine = engine;
        for (int i = 0; i < members.length; i++) {
            held.add(new ArrayDeque<>());
        }
        this.wokenAt = new long[members.length];
        this.starting = new boolean[members.length];
        this.cannotFreeze = new boolean[members.length];
    }

    /** Whether the component is on demand and not at boot. */
    static boolean onDemand(Member m) {
        return m.spec.activation().onDemand();
    }

    /** An on-demand service that is not running, and not meant to until a request comes: nothing is wrong with it. */
    static boolean resting(Member m) {
        return onDemand(m) && m.state == Member.State.STOPPED && m.idle == Member.Idle.STOPPED;
    }

    /**
     * A request for {@code provider} arrived. Returns false when it can be routed now (the provider runs and is not
     * frozen, or it is given up on: the Router fails it then); otherwise it is held, or failed when too many are,
     * and the provider is started or thawed.
     */
    boolean hold(Member from, Member provider, Priority lane, DirectBuffer b, int index, long handledTo,
                 String service, long now) {
        if (!onDemand(provider)) {
            // A restarted provider its callers were told is back as it was welcomed (Engine.welcome): its calls
            // wait for its init and start here, and reach it as it becomes ready.
            if (provider.upEarly && provider.state == Member.State.STARTING) {
                queue(from, provider, lane, b, index, handledTo, service);
                return true;
            }
            return false;
        }
        provider.lastBusy = now;
        if (provider.state == Member.State.GAVE_UP
                || provider.state == Member.State.READY && provider.idle == Member.Idle.AWAKE) {
            return false;
        }
        if (queue(from, provider, lane, b, index, handledTo, service)) {
            wake(provider, from, now);
        }
        return true;
    }

    /** Holds a copy of the request; false when too many wait already, and it failed. */
    private boolean queue(Member from, Member provider, Priority lane, DirectBuffer b, int index, long handledTo,
                          String service) {
        ArrayDeque<Held> queue = held.get(provider.slot);
        if (queue.size() >= HOLD_LIMIT) {
            engine.fail(from, b, index, service, "call to " + service + " refused: " + provider.spec.id() + " is "
                    + starting(provider) + " and " + HOLD_LIMIT + " requests already wait for it; try again later");
            return false;
        }
        byte[] frame = new byte[Frame.HEADER_LENGTH + Frame.payloadLength(b, index)];
        b.getBytes(index, frame);
        UnsafeBuffer copy = new UnsafeBuffer(frame);
        queue.addLast(new Held(from, lane, copy, handledTo, service, engine.keep(from, provider, lane, copy)));
        return true;
    }

    private static String starting(Member m) {
        return !onDemand(m) ? "restarting" : m.idle == Member.Idle.THAWING ? "thawing on demand" : "starting on demand";
    }

    /** Starts or thaws a provider that has requests waiting, as far as its state allows now. */
    private void wake(Member m, Member by, long now) {
        switch (m.idle) {
            case STOPPED -> {
                if (m.state == Member.State.STOPPED) {
                    wokenAt[m.slot] = now;
                    starting[m.slot] = true;
                    engine.say("starting " + m.label() + " on demand (a request from " + by.spec.id() + ")");
                    engine.spawn(m); // AWAKE from now: starting
                }
            }
            case FROZEN -> {
                wokenAt[m.slot] = now;
                m.idle = Member.Idle.THAWING;
                engine.freeze(m, false);
            }
            // Freezing, thawing, stopping: the Sovereign's answer, or the exit, moves it on.
            default -> {
            }
        }
    }

    /** The component became ready, or was given up on: what waited for it is delivered, or failed. */
    void settled(Member m, long now) {
        if (!onDemand(m)) { // what waited for a restarted provider since its dependents heard it was back
            if (m.state == Member.State.GAVE_UP) {
                failAll(m, m.spec.id() + " was given up on as it restarted");
            } else if (m.state == Member.State.READY) {
                deliverAll(m, now);
            }
            return;
        }
        if (m.state == Member.State.GAVE_UP) {
            starting[m.slot] = false;
            failAll(m, m.spec.id() + " could not be started on demand (given up on)");
            return;
        }
        if (m.state == Member.State.READY && starting[m.slot]) {
            engine.say(m.label() + " started on demand in " + Say.millis(now - wokenAt[m.slot]) + ": pid " + m.pid
                    + ", " + held.get(m.slot).size() + " held request(s) delivered");
            starting[m.slot] = false;
        }
        deliverAll(m, now);
    }

    /** The Sovereign froze (or thawed) the component's cgroup, or could not. */
    void frozen(Member m, boolean frozen, String failure, long now) {
        if (m == null || !onDemand(m)) {
            return;
        }
        if (failure != null) {
            if (!frozen) {
                // Left frozen it is no use to anyone: killed, its exit ends as a stop (and it starts again if asked).
                engine.say("could not thaw " + m.label() + " (" + failure + "): killing it");
                m.idle = Member.Idle.STOPPING;
                if (m.pidFd != null) { // else its exit is on its way already
                    m.kill();
                }
                return;
            }
            if (!cannotFreeze[m.slot]) {
                cannotFreeze[m.slot] = true;
                engine.say("cannot freeze " + m.label() + " when idle (" + failure + "): it stays running until "
                        + "its stop timeout");
            }
            m.idle = Member.Idle.AWAKE;
            deliverAll(m, now);
            return;
        }
        if (frozen && m.idle == Member.Idle.FREEZING) {
            m.idle = Member.Idle.FROZEN;
            engine.say(m.label() + " frozen: no request for " + Say.duration(m.spec.activation().freezeAfter()));
            if (!held.get(m.slot).isEmpty()) {
                wake(m, held.get(m.slot).peekFirst().from(), now);
            }
        } else if (!frozen && m.idle == Member.Idle.THAWING) {
            m.idle = Member.Idle.AWAKE;
            int waiting = held.get(m.slot).size();
            engine.say(m.label() + " thawed in " + Say.millis(now - wokenAt[m.slot]) + ", " + waiting
                    + " held request(s) delivered");
            deliverAll(m, now);
        } else if (!frozen && m.idle == Member.Idle.STOPPING) {
            engine.stop(m);
        }
    }

    /** The component exited as it was asked to when idle: not a fault. Started again at once if asked meanwhile. */
    void stopped(Member m, long now) {
        m.idle = Member.Idle.STOPPED;
        engine.say(m.label() + " stopped: no request for " + Say.duration(m.spec.activation().stopAfter()));
        if (!held.get(m.slot).isEmpty()) {
            wake(m, held.get(m.slot).peekFirst().from(), now);
        }
    }

    /** A component is gone: the requests it made and that still wait are forgotten, as the Router forgets its others. */
    void forget(Member dead) {
        for (ArrayDeque<Held> queue : held) {
            queue.removeIf(h -> h.from() == dead && forgotten(h));
        }
    }

    private boolean forgotten(Held h) {
        engine.kept(h.record());
        return true;
    }

    /** Expires held requests, freezes and stops what has been idle long enough. */
    void tick(long now) {
        for (Member m : members) {
            expire(m, now);
            if (!onDemand(m)) {
                continue;
            }
            if (m.state != Member.State.READY || !held.get(m.slot).isEmpty()) {
                continue;
            }
            if (engine.busy(m)) {
                m.lastBusy = now;
                continue;
            }
            Activation a = m.spec.activation();
            long idleFor = now - m.lastBusy;
            if (idleFor >= a.stopAfter().toNanos() && (m.idle == Member.Idle.AWAKE || m.idle == Member.Idle.FROZEN)) {
                boolean wasFrozen = m.idle == Member.Idle.FROZEN;
                m.idle = Member.Idle.STOPPING;
                if (wasFrozen) {
                    engine.freeze(m, false); // it stops once thawed
                } else {
                    engine.stop(m);
                }
            } else if (idleFor >= a.freezeAfter().toNanos() && m.idle == Member.Idle.AWAKE && !cannotFreeze[m.slot]) {
                m.idle = Member.Idle.FREEZING;
                engine.freeze(m, true);
            }
        }
    }

    /**
     * A new Engine took over: it cannot know which on-demand services its predecessor froze, so it thaws every one
     * that runs (thawing a running one changes nothing) and counts their idleness from now.
     */
    void resume(long now) {
        for (Member m : members) {
            if (!onDemand(m)) {
                continue;
            }
            m.lastBusy = now;
            if (m.state == Member.State.STOPPED) {
                m.idle = Member.Idle.STOPPED;
            } else if (m.reachable()) {
                wokenAt[m.slot] = now;
                m.idle = Member.Idle.THAWING;
                engine.freeze(m, false);
            }
        }
    }

    int held(Member m) {
        return held.get(m.slot).size();
    }

    private void expire(Member m, long now) {
        ArrayDeque<Held> queue = held.get(m.slot);
        if (queue.isEmpty()) {
            return;
        }
        queue.removeIf(h -> {
            long deadline = Frame.deadline(h.frame(), 0);
            if (deadline == 0 || deadline - now >= 0) {
                return false;
            }
            engine.kept(h.record());
            engine.fail(h.from(), h.frame(), 0, h.service(), "call to " + h.service() + " timed out (deadline passed) "
                    + "while " + m.spec.id() + " was " + starting(m));
            return true;
        });
    }

    private void deliverAll(Member m, long now) {
        ArrayDeque<Held> queue = held.get(m.slot);
        if (!queue.isEmpty()) {
            m.lastBusy = now;
        }
        for (Held h; (h = queue.pollFirst()) != null; ) {
            engine.kept(h.record());
            engine.deliver(h.from(), h.lane(), h.frame(), h.handledTo());
        }
    }

    private void failAll(Member m, String why) {
        ArrayDeque<Held> queue = held.get(m.slot);
        for (Held h; (h = queue.pollFirst()) != null; ) {
            engine.kept(h.record());
            engine.fail(h.from(), h.frame(), 0, h.service(), "call to " + h.service() + " failed: " + why);
        }
    }
}
