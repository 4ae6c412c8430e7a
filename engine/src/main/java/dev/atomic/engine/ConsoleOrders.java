package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.Priority;
import dev.atomic.component.Injection;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The console service's ways through the Engine (docs/console.md):
 * <ul>
 * <li>what the {@code atomic} command asks over the Sovereign's control socket comes as CONSOLE_REQUEST orders; each
 * is delivered to the component providing {@value #SERVICE} as a REQUEST from source -1 (the Sovereign: the CLI is
 * no component), and its answer goes back to the Sovereign as CONSOLE_REPLY;</li>
 * <li>a component's INJECT orders a fault into another, allowed only where its manifest's {@code inject} grants
 * that one: a crash is the Engine's own SIGKILL through the target's pidfd (never a signal from the asker's
 * sandbox); a hang, leak or storm is passed to the target's test hook, whose host answers INJECTED.</li>
 * </ul>
 * Every order is audited: queries quietly to audit.jsonl, injections and refusals also on the terminal.
 */
final class ConsoleOrders {
    static final String SERVICE = "console";
    static final long ANSWER_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** Who waits for an answer: the Sovereign (slot -1) or a component, under its own correlation. */
    private record Waiting(int slot, long correlation, int target, long deadline) {
    }

    interface Listener {
        void audit(Member m, String kind, String what);

        void file(Member m, String kind, String what);
    }

    private final Member[] members;
    /** The component providing the console service, or null in a system without one. */
    private final Member console;
    private final int serviceId;
    private final ControlRegion control;
    private final Listener listener;
    /** The Sovereign's requests delivered to the console, by the Sovereign's correlation. */
    private final Map<Long, Waiting> asked = new HashMap<>();
    /** Injections passed to a target's test hook, by the correlation the Engine gave the target. */
    private final Map<Long, Waiting> injections = new HashMap<>();
    private long nextCorrelation;

    ConsoleOrders(Member[] members, int serviceId, Member console, ControlRegion control, Listener listener) {
        this.members = members;
        this.serviceId = serviceId;
        this.console = console;
        this.control = control;
        this.listener = listener;
    }

    /** A CONSOLE_REQUEST from the Sovereign: delivered to the console service, or answered at once with why not. */
    void request(int method, long correlation, DirectBuffer b, int index, long now) {
        if (console == null) {
            toSovereign(correlation, false, "this system has no console service (no component provides '" + SERVICE
                    + "')");
            return;
        }
        listener.file(console, "console-request", "method " + method + " asked by the atomic command over the "
                + "Sovereign's control socket");
        if (console.state != Member.State.READY) {
            toSovereign(correlation, false, "the console service (" + console.spec.id() + ") is not running now ("
                    + console.state.name().toLowerCase(java.util.Locale.ROOT) + ")");
            return;
        }
        if (!console.segment.deliveries().lane(Priority.NORMAL).offer(FrameType.REQUEST, 0, -1, serviceId, method,
                1, correlation, now + ANSWER_WITHIN_NANOS, b, index + Frame.HEADER_LENGTH, Frame.payloadLength(b, index))) {
            toSovereign(correlation, false, "the console service is busy: its request lane is full");
            return;
        }
        asked.put(correlation, new Waiting(-1, correlation, console.slot, now + ANSWER_WITHIN_NANOS));
    }

    /** A REPLY or ERROR: true when it was the console's answer to the Sovereign, passed on; else the router's. */
    boolean answer(Member from, int type, DirectBuffer b, int index) {
        if (from != console || Frame.target(b, index) != -1) {
            return false;
        }
        Waiting w = asked.remove(Frame.correlation(b, index));
        if (w == null) {
            listener.audit(from, "forged-answer", "answer to a console request the Sovereign did not make (or made "
                    + "more than " + ANSWER_WITHIN_NANOS / 1_000_000_000 + " s ago) dropped");
            return true;
        }
        int length = Frame.payloadLength(b, index);
        if (length > control.admin().maxPayload()) {
            toSovereign(w.correlation, false, "the console's answer is " + length + " bytes, more than the admin lane "
                    + "carries (" + control.admin().maxPayload() + ")");
            return true;
        }
        if (!control.admin().offer(FrameType.CONSOLE_REPLY, -1, -1, 0, type == FrameType.REPLY ? 1 : 0,
                w.correlation, 0, b, index + Frame.HEADER_LENGTH, length)) {
            listener.audit(from, "answer-dropped", "the console's answer dropped: the admin lane is full");
        }
        return true;
    }

    /** A component's INJECT: refused unless granted; a crash done here, any other kind asked of the target. */
    void inject(Member from, DirectBuffer b, int index, long now) {
        long correlation = Frame.correlation(b, index);
        String[] words = Frame.payloadText(b, index).split(" ", 2);
        Member target = words.length == 2 ? find(words[0]) : null;
        Injection kind;
        try {
            kind = Injection.parse(words.length == 2 ? words[1] : "");
        } catch (IllegalArgumentException e) {
            refuse(from, correlation, "inject refused: " + e.getMessage());
            return;
        }
        if (target == null) {
            refuse(from, correlation, "inject " + kind.word() + " refused: '" + words[0] + "' is no component of "
                    + "this system");
            return;
        }
        if (!from.spec.injects(target.spec.id())) {
            refuse(from, correlation, "inject " + kind.word() + " into " + target.spec.id() + " refused: "
                    + from.spec.id() + "'s manifest does not grant it (inject = " + from.spec.inject() + ")");
            return;
        }
        if (!target.reachable() || target.pidFd == null) {
            refuse(from, correlation, "inject " + kind.word() + " into " + target.spec.id() + " refused: it is not "
                    + "running now (" + target.state.name().toLowerCase(java.util.Locale.ROOT) + ")");
            return;
        }
        if (kind == Injection.CRASH && target.spec.tier() == 1 && !target.demotion.demoted()) {
            refuse(from, correlation, "inject crash into " + target.spec.id() + " refused: it is a Tier 1 component, "
                    + "and a SIGKILL of its partition host would kill its neighbours too");
            return;
        }
        listener.audit(from, "inject", from.spec.id() + " orders a " + kind.word() + " of " + target.label()
                + ", pid " + target.pid);
        if (kind == Injection.CRASH) {
            long pid = target.pid;
            target.kill();
            toComponent(from, correlation, true, "the Engine killed " + target.label() + " (pid " + pid
                    + ") with SIGKILL; its fault report and restart follow");
            return;
        }
        long asked = ++nextCorrelation;
        if (!target.segment.deliveries().lane(Priority.CRITICAL).offer(FrameType.INJECT, -1, target.slot, 0,
                kind.ordinal(), asked, 0)) {
            toComponent(from, correlation, false, target.spec.id() + "'s critical lane is full: the inject was not "
                    + "delivered");
            return;
        }
        injections.put(asked, new Waiting(from.slot, correlation, target.slot, now + ANSWER_WITHIN_NANOS));
    }

    /** A target's INJECTED: its test hook runs now, or it has none; the asker is told which. */
    void injected(Member from, DirectBuffer b, int index) {
        Waiting w = injections.remove(Frame.correlation(b, index));
        String words = Frame.payloadText(b, index);
        if (w == null || w.target != from.slot) {
            listener.audit(from, "forged-injected", "INJECTED for an inject it was not asked: dropped");
            return;
        }
        boolean accepted = Frame.status(b, index) == 1;
        listener.audit(from, accepted ? "inject-accepted" : "inject-unsupported", words);
        toComponent(members[w.slot], w.correlation, accepted, words);
    }

    /** Answers that did not come in time fail, never silence. */
    void expire(long now) {
        for (Iterator<Waiting> i = asked.values().iterator(); i.hasNext(); ) {
            Waiting w = i.next();
            if (w.deadline - now < 0) {
                i.remove();
                toSovereign(w.correlation, false, "the console service (" + console.spec.id() + ") did not answer "
                        + "within " + ANSWER_WITHIN_NANOS / 1_000_000_000 + " s");
            }
        }
        for (Iterator<Waiting> i = injections.values().iterator(); i.hasNext(); ) {
            Waiting w = i.next();
            if (w.deadline - now < 0) {
                i.remove();
                toComponent(members[w.slot], w.correlation, false, members[w.target].spec.id() + " did not answer "
                        + "the inject within " + ANSWER_WITHIN_NANOS / 1_000_000_000 + " s");
            }
        }
    }

    private Member find(String id) {
        for (Member m : members) {
            if (m.spec.id().equals(id)) {
                return m;
            }
        }
        return null;
    }

    private void refuse(Member from, long correlation, String why) {
        listener.audit(from, "inject-refused", why);
        toComponent(from, correlation, false, why);
    }

    private void toComponent(Member m, long correlation, boolean ok, String text) {
        if (m.reachable()) {
            UnsafeBuffer payload = new UnsafeBuffer(Frame.utf8(text));
            m.segment.deliveries().lane(Priority.CRITICAL).offer(ok ? FrameType.REPLY : FrameType.ERROR, -1, m.slot,
                    0, ok ? 0 : 1, correlation, 0, payload, 0, payload.capacity());
        }
    }

    private void toSovereign(long correlation, boolean ok, String text) {
        UnsafeBuffer payload = new UnsafeBuffer(Frame.utf8(text));
        control.admin().offer(FrameType.CONSOLE_REPLY, -1, -1, 0, ok ? 1 : 0, correlation, 0, payload, 0,
                payload.capacity());
    }
}
