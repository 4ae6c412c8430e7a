package dev.atomic.engine;

import dev.atomic.bridge.FastPathSegment;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.Priority;
import dev.atomic.component.FastPathSpec;
import dev.atomic.component.ServiceRef;
import org.agrona.ExpandableArrayBuffer;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fast paths the policy allows (seed 000: the Engine "sculpts temporary fast paths while maintaining
 * isolation"). Once both ends of a binding are up, the Engine audits the binding and hands them a direct ring pair;
 * it then stays out of the data path, watches the rings' progress, and can revoke the path at any moment.
 * Revocation loses nothing: the caller is told first and stops writing; only when it reports its fast calls over
 * is the provider told, which then drains what is left; only when both are done (or dead) are the rings reset.
 */
final class FastPaths {
    /** A provider that leaves requests unread this long on an open fast path has stalled: the path is revoked. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(1);

    enum State { CLOSED, OPEN, REVOKING_CALLER, REVOKING_PROVIDER }

    /** The reason of a revocation the manifest's churn asks for. */
    private static final String CHURN = "policy churn";

    interface Listener {
        void audit(Member member, String kind, String what);

        void say(String text);

        /** Something done to {@code member}'s fast path, kept for {@code atomic explain} (recurring ones counted). */
        void acted(Member member, String kind, String what, String why);
    }

    static final class Path {
        final int id;
        final FastPathSpec spec;
        final Member caller;
        final Member provider;
        final int serviceId;
        final ServiceRef grant;
        final FastPathSegment segment;
        final String path;
        State state = State.CLOSED;
        long openedAt;
        long reopenAt;
        long lastConsumed;
        long lastProgressAt;
        long opened;
        long reportedProduced;
        long reportedOpened;
        /** Bytes through the ring in earlier openings: each reset starts its positions from zero. */
        long producedBefore;
        /** Last revoked for policy churn: its reopening is routine, not told as an action. */
        boolean churned;

        Path(int id, FastPathSpec spec, Member caller, Member provider, int serviceId, ServiceRef grant,
             FastPathSegment segment, String path) {
            this.path = path;
            this.id = id;
            this.spec = spec;
            this.caller = caller;
            this.provider = provider;
            this.serviceId = serviceId;
            this.grant = grant;
            this.segment = segment;
        }
    }

    private final Path[] paths;
    /** Per slot: held off its fast paths on policy 5's word (its calls go through the Engine, each one audited). */
    private final boolean[] held;
    private final Listener engine;
    private final StateMirror mirror;
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
    private boolean stopping;

    /** @param segmentPaths where each segment can be opened, from the control region's fast path table */
    FastPaths(List<FastPathSpec> specs, List<FastPathSegment> segments, List<String> segmentPaths, Member[] members,
              List<String> services, int[] providers, Listener engine, StateMirror mirror) {
        this.engine = engine;
        this.mirror = mirror;
        this.paths = new Path[specs.size()];
        this.held = new boolean[members.length];
        for (int id = 0; id < paths.length; id++) {
            FastPathSpec spec = specs.get(id);
            Member caller = java.util.Arrays.stream(members).filter(m -> m.spec.id().equals(spec.caller()))
                    .findFirst().orElseThrow();
            int serviceId = services.indexOf(spec.service());
            paths[id] = new Path(id, spec, caller, members[providers[serviceId]], serviceId,
                    caller.spec.grant(spec.service()), segments.get(id), segmentPaths.get(id));
        }
    }

    void stopping() {
        stopping = true;
    }

    /** Opens what may open, revokes what churns or stalls. Called every duty cycle; allocates nothing when idle. */
    void tick(long now, Router router) {
        for (Path p : paths) {
            switch (p.state) {
                case CLOSED -> {
                    if (!stopping && now - p.reopenAt >= 0 && ready(p.caller) && ready(p.provider)
                            && !held[p.caller.slot] && !held[p.provider.slot]
                            && router.bindable(p.caller, p.serviceId)) {
                        open(p, now);
                    }
                }
                case OPEN -> watch(p, now);
                default -> {
                }
            }
        }
    }

    private static boolean ready(Member m) {
        return m.state == Member.State.READY && !m.containing;
    }

    private void open(Path p, long now) {
        // The provider first: whatever the caller writes before the provider maps the ring waits there, unlost.
        send(p.provider, FrameType.FASTPATH_OPEN, p, 1, true);
        send(p.caller, FrameType.FASTPATH_OPEN, p, 0, true);
        p.openedAt = now;
        p.lastProgressAt = now;
        p.lastConsumed = p.segment.requests().consumed();
        p.opened++;
        set(p, State.OPEN);
        if (!p.churned) {
            acted(p, "opened", "both ends ready, and the manifests allow it");
        }
        if (p.opened == 1) {
            engine.say("fast path open: " + p.caller.spec.id() + " → " + p.spec.service() + " (" + p.provider.spec.id()
                    + "), the Engine steps out of its data path");
        }
    }

    private void watch(Path p, long now) {
        long consumed = p.segment.requests().consumed();
        if (consumed != p.lastConsumed || p.segment.requests().produced() == consumed) {
            p.lastConsumed = consumed;
            p.lastProgressAt = now;
        } else if (now - p.lastProgressAt > STALL_NANOS) {
            engine.audit(p.provider, "fast-path-stalled", "fast path from " + p.caller.spec.id()
                    + " revoked: requests unread for " + STALL_NANOS / 1_000_000 + " ms");
            revoke(p, "the provider stopped reading it", false);
            return;
        }
        if (p.spec.churnMillis() > 0 && now - p.openedAt > TimeUnit.MILLISECONDS.toNanos(p.spec.churnMillis())) {
            revoke(p, CHURN, false);
        }
    }

    /**
     * An Engine that took over without a state mirror it could trust does not know which fast paths its predecessor
     * opened: it revokes them all (an end that has none open answers at once), so that each is drained, reset, and
     * opened again from a known state.
     */
    void resume() {
        for (Path p : paths) {
            p.state = State.OPEN;
            revoke(p, "the Engine restarted", false);
        }
    }

    /**
     * Holds {@code m} off its fast paths (each open one revoked, losslessly, with {@code why}), or lets them open again
     * as the manifests allow. True when it has a fast path this changes anything for.
     */
    boolean hold(Member m, boolean hold, String why) {
        held[m.slot] = hold;
        boolean any = false;
        for (Path p : paths) {
            if (p.caller == m || p.provider == m) {
                any = true;
                if (hold) {
                    revoke(p, why, false);
                }
            }
        }
        return any;
    }

    /** Starts a revocation: the caller first. */
    void revoke(Path p, String reason, boolean peerDied) {
        if (p.state != State.OPEN) {
            return;
        }
        revoked(p, reason);
        if (p.caller.state == Member.State.READY) {
            send(p.caller, FrameType.FASTPATH_REVOKE, p, peerDied ? 1 : 0, false, reason);
            set(p, State.REVOKING_CALLER);
        } else {
            revokeProvider(p, reason);
        }
    }

    private void revoked(Path p, String reason) {
        p.churned = reason.equals(CHURN);
        if (!p.churned) {
            acted(p, "revoked", reason);
        }
    }

    /** Told of both ends. */
    private void acted(Path p, String done, String why) {
        String what = done + " its fast path " + p.caller.spec.id() + " → " + p.spec.service() + " ("
                + p.provider.spec.id() + ")";
        engine.acted(p.caller, "fast-path", what, why);
        engine.acted(p.provider, "fast-path", what, why);
    }

    private void revokeProvider(Path p, String reason) {
        if (p.provider.state == Member.State.READY) {
            send(p.provider, FrameType.FASTPATH_REVOKE, p, 0, false, reason);
            set(p, State.REVOKING_PROVIDER);
        } else {
            finish(p);
        }
    }

    private void finish(Path p) {
        p.producedBefore += p.segment.requests().produced();
        p.segment.reset();
        p.reopenAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, p.spec.churnMillis() / 4));
        set(p, State.CLOSED);
    }

    /** A state change, mirrored once its frames are sent: a successor may redo the last step, never miss one. */
    private void set(Path p, State state) {
        p.state = state;
        mirror.fastPath(p);
    }

    /** Every path's record, for a mirror written afresh. */
    void mirrorAll() {
        for (Path p : paths) {
            mirror.fastPath(p);
        }
    }

    /**
     * A successor takes the paths as its predecessor's mirror left them: open ones stay open (their traffic never
     * needed the Engine), revocations carry on where they stood. Each row: state, times opened, bytes before.
     */
    void restore(long[][] found, long now) {
        for (Path p : paths) {
            long[] row = found[p.id];
            p.state = State.values()[(int) row[0]];
            p.opened = row[1];
            p.producedBefore = row[2];
            p.reportedOpened = p.opened;
            p.reportedProduced = p.producedBefore + p.segment.requests().produced();
            p.openedAt = now;
            p.lastProgressAt = now;
            p.lastConsumed = p.segment.requests().consumed();
            p.reopenAt = now;
        }
    }

    /** What went through each fast path since the last report, for the periodic traffic line. */
    String report() {
        StringBuilder out = new StringBuilder();
        for (Path p : paths) {
            long produced = p.producedBefore + p.segment.requests().produced();
            if (produced == p.reportedProduced && p.opened == p.reportedOpened) {
                continue;
            }
            out.append(out.isEmpty() ? "" : "; ").append("fast path ").append(p.caller.spec.id()).append(" → ")
                    .append(p.spec.service()).append(": ").append((produced - p.reportedProduced) / 1024)
                    .append(" KiB of requests, opened ").append(p.opened - p.reportedOpened).append(" time(s), ")
                    .append(p.state.name().toLowerCase().replace('_', ' '));
            p.reportedProduced = produced;
            p.reportedOpened = p.opened;
        }
        return out.toString();
    }

    /** A component answered FASTPATH_CLOSED. */
    void onClosed(Member from, int id) {
        if (id < 0 || id >= paths.length) {
            engine.audit(from, "bad-fast-path", "FASTPATH_CLOSED for unknown fast path " + id);
            return;
        }
        Path p = paths[id];
        if (p.state == State.REVOKING_CALLER && from == p.caller) {
            revokeProvider(p, "revoked");
        } else if (p.state == State.REVOKING_PROVIDER && from == p.provider) {
            finish(p);
        } else {
            engine.audit(from, "bad-fast-path", "FASTPATH_CLOSED for fast path " + id + " it was not asked to close");
        }
    }

    /** A component died: its fast paths are revoked, its dead end counting as closed. */
    void gone(Member m) {
        for (Path p : paths) {
            if (p.caller != m && p.provider != m) {
                continue;
            }
            switch (p.state) {
                case OPEN -> {
                    revoked(p, m.spec.id() + " died");
                    if (m == p.caller) {
                        revokeProvider(p, p.caller.spec.id() + " died");
                    } else {
                        send(p.caller, FrameType.FASTPATH_REVOKE, p, 1, false, p.provider.spec.id() + " died");
                        set(p, State.REVOKING_CALLER);
                    }
                }
                case REVOKING_CALLER -> {
                    if (m == p.caller) {
                        revokeProvider(p, p.caller.spec.id() + " died");
                    }
                }
                case REVOKING_PROVIDER -> {
                    if (m == p.provider) {
                        finish(p);
                    }
                }
                case CLOSED -> {
                }
            }
        }
    }

    private void send(Member to, int type, Path p, int status, boolean open, String... reason) {
        int at = 0;
        if (open) {
            scratch.putInt(at, p.serviceId);
            scratch.putInt(at + 4, p.grant.methods().size());
            at += 8;
            for (int method : p.grant.methods()) {
                scratch.putInt(at, method);
                at += 4;
            }
            at += scratch.putStringUtf8(at, p.path);
        } else {
            byte[] text = dev.atomic.bridge.Frame.utf8(reason.length > 0 ? reason[0] : "");
            scratch.putBytes(0, text);
            at = text.length;
        }
        if (!to.segment.deliveries().lane(Priority.CRITICAL).offer(type, -1, p.id, 0, status, 0, 0, scratch, 0, at)) {
            engine.audit(to, "fast-path-control-dropped", FrameType.name(type) + " for fast path " + p.id
                    + " could not be delivered: critical lane full");
        }
    }
}
