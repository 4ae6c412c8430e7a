package dev.atomic.engine;

import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.Priority;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

/**
 * One-for-one supervision with the dependents told: when a provider goes down (it died, is being restarted, or was
 * given up on), every running component bound to one of its services gets SERVICE_DOWN, and SERVICE_UP once it is
 * ready again. Always on the critical lane, so that the two never pass each other.
 */
final class Dependents {
    static final int RESTARTING = FrameType.DOWN_RESTARTING;
    static final int GIVEN_UP = FrameType.DOWN_GIVEN_UP;

    private final Member[] members;
    private final List<String> services;
    /** Service id → provider slot. */
    private final int[] providers;
    private final Router router;
    /** Per slot, per service id: whether that component was told the service is down, and not yet that it is up. */
    private final boolean[][] told;

    Dependents(Member[] members, List<String> services, int[] providers, Router router) {
        this.members = members;
        this.services = services;
        this.providers = providers;
        this.router = router;
        this.told = new boolean[members.length][services.size()];
    }

    /** The provider is down: what its dependents are told, naming it and its state. */
    void down(Member provider, int state, String why) {
        for (int id = 0; id < services.size(); id++) {
            if (providers[id] != provider.slot) {
                continue;
            }
            String text = services.get(id) + " is down: its provider " + provider.label() + " " + why;
            for (Member m : members) {
                if (m != provider && m.reachable() && router.bindable(m, id)) {
                    send(m, FrameType.SERVICE_DOWN, id, state, text);
                    told[m.slot][id] = true;
                }
            }
        }
    }

    /** The provider is ready again: those told it was down hear that it is back. */
    void up(Member provider) {
        for (int id = 0; id < services.size(); id++) {
            if (providers[id] != provider.slot) {
                continue;
            }
            for (Member m : members) {
                if (told[m.slot][id] && m.reachable()) {
                    send(m, FrameType.SERVICE_UP, id, 0, services.get(id) + " is back: " + provider.label()
                            + " is ready (pid " + provider.pid + ")");
                }
                told[m.slot][id] = false;
            }
        }
    }

    /**
     * A component just welcomed, or adopted by an Engine that took over, learns which services it is bound to are
     * down; it will hear SERVICE_UP for each when its provider is ready. (A provider that came back under the dead
     * Engine was said up by it.)
     */
    void tell(Member m) {
        for (int id = 0; id < services.size(); id++) {
            Member provider = members[providers[id]];
            told[m.slot][id] = false;
            if (provider == m || !router.bindable(m, id)) {
                continue;
            }
            boolean gaveUp = provider.state == Member.State.GAVE_UP;
            // An on-demand provider not running is resting, or starting for a request, and a restarted one welcomed
            // is starting: calls to them are held, not failed.
            if (provider.state != Member.State.READY && (gaveUp || !OnDemand.onDemand(provider) && !provider.upEarly)) {
                send(m, FrameType.SERVICE_DOWN, id, gaveUp ? GIVEN_UP : RESTARTING, services.get(id)
                        + " is down: its provider " + provider.label() + (gaveUp ? " was given up on: "
                        + provider.gaveUpReason : " is " + provider.state.name().toLowerCase() + ", not ready yet"));
                told[m.slot][id] = true;
            }
        }
    }

    private static void send(Member m, int type, int serviceId, int state, String text) {
        byte[] payload = Frame.utf8(text);
        m.segment.deliveries().lane(Priority.CRITICAL).offer(type, -1, serviceId, 0, state, 0, 0,
                new UnsafeBuffer(payload), 0, payload.length);
    }
}
