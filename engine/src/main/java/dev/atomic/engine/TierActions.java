package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.FrameType;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What the Engine does, on the duty cycle once a second, on policy 5's word ({@code tier.<id>}, set by
 * {@link TierPolicy}) as far as the operator's ceiling allows ({@link EngineTunables#TIER_CEILING}):
 * <ul>
 * <li>at {@link EngineTunables#OFF_FAST_PATHS}, its fast paths are revoked (losslessly, as any revocation) and held
 * closed: its calls go through the Engine, which checks and audits each; back at 0 they open again, as the manifests
 * allow them and no further;</li>
 * <li>at {@link EngineTunables#OUT_OF_TIER_1}, a Tier 1 component is moved to a sandboxed process of its own without a
 * fault: the Sovereign is told it starts so from its next start ({@link FrameType#DEMOTE_PLANNED}) and asked for a warm
 * spare of it, which is now a Tier 2 process; once it answered (or after {@link SpareWaits#WAIT_NANOS}) the component is
 * restarted, planned ({@link Supervisor#restart}: its state checkpointed first, no fault report) onto that spare.
 * Back at 0 (the policy promoted it after a clean period, or its word decayed), a demotion the policy made is lifted
 * the same way, into its kernel's partition host again; one the Engine's own rule made never is. A component whose
 * Tier 1 is earned ({@code tier-earned}) starts so demoted, at its tunable's default of the most distrust: policy 5's
 * promotion, refreshed, moves it in. No tier is moved unless the operator's ceiling allows moves.</li>
 * </ul>
 * A component's tier is moved at most once per {@link #MOVE_EVERY_NANOS}. Each action is said, and kept for
 * {@code atomic explain}, with who asked and why.
 */
final class TierActions {
    static final long MOVE_EVERY_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final boolean[] heldOff;
    private final long[] movedAt;
    /** The spares planned demotions wait for. */
    private final SpareWaits spares;
    private final Consumer<String> say;
    private final ActionLog actions;

    TierActions(int members, Consumer<String> say, ActionLog actions) {
        this.heldOff = new boolean[members];
        this.movedAt = new long[members];
        this.spares = new SpareWaits(members);
        this.say = say;
        this.actions = actions;
    }

    void tick(long now, Member[] members, EngineTunables tunables, Supervisor supervisor, FastPaths fastPaths,
              ControlRegion control) {
        for (Member m : members) {
            int s = m.slot;
            int distrust = tunables.distrust(s);
            boolean hold = distrust >= EngineTunables.OFF_FAST_PATHS;
            if (hold != heldOff[s]) {
                heldOff[s] = hold;
                if (fastPaths.hold(m, hold, "policy 5: " + tunables.tierReason(s))) {
                    said(m, tunables, hold ? "demote" : "promote", hold ? "held it off its fast paths: its calls go "
                            + "through the Engine, each one checked and audited" : "let its fast paths open again, "
                            + "as the manifests allow them");
                }
            }
            if (m.spec.tier() != 1 || m.state != Member.State.READY || m.containing || m.frozen()) {
                continue;
            }
            if (spares.waiting(s)) {
                if (!m.demotion.planned()) {
                    spares.forget(s); // it started again meanwhile (a fault): in a process of its own already
                } else if (spares.over(s, now)) {
                    spares.forget(s);
                    said(m, tunables, "planned-restart", "restarting it, planned, into a sandboxed process of its "
                            + "own (Tier 2)");
                    supervisor.restart(m);
                }
                continue;
            }
            if (movedAt[s] != 0 && now - movedAt[s] < MOVE_EVERY_NANOS) {
                continue;
            }
            boolean out = distrust >= EngineTunables.OUT_OF_TIER_1;
            if (out && m.demotion.plan(true)) {
                movedAt[s] = now;
                supervisor.mirror(m); // a successor knows it is planned, and whose word it was
                control.admin().offer(FrameType.DEMOTE, -1, s, 0, FrameType.DEMOTE_PLANNED, 0, 0);
                spares.ask(m, now, supervisor);
                said(m, tunables, "demote", "demoting it to Tier 2 without a fault: from its next start in a "
                        + "sandboxed process of its own; a warm spare asked for, then a planned restart onto it (its "
                        + "state checkpointed first)");
            } else if (!out && tunables.tierCeiling() >= EngineTunables.OUT_OF_TIER_1 && m.demotion.byPolicy()
                    && m.demotion.plan(false)) {
                movedAt[s] = now;
                control.admin().offer(FrameType.DEMOTE, -1, s, 0, FrameType.DEMOTE_LIFTED, 0, 0);
                said(m, tunables, "promote", m.spec.tierEarned() ? "it earned Tier 1 (its manifest's "
                        + "tier-earned): a planned restart into its kernel's partition host" : "lifting policy 5's demotion: a planned "
                        + "restart back into its kernel's partition host (Tier 1, as its manifest says)");
                supervisor.restart(m);
            }
        }
    }

    /** The Sovereign's answer to a spare asked for: a planned demotion waits for it no longer. */
    void spareAnswered(int slot) {
        spares.answered(slot);
    }

    private void said(Member m, EngineTunables tunables, String kind, String what) {
        String by = tunables.tierBy(m.slot);
        String why = EngineTunables.TIER + m.spec.id() + " = " + -tunables.distrust(m.slot) + ", "
                + tunables.tierReason(m.slot);
        say.accept("policy 5: " + m.label() + ": " + what + " (" + why + ")");
        actions.did(m.spec.id(), by != null ? by : dev.atomic.policy.TunableChange.DECAY, kind, what, why);
    }
}
