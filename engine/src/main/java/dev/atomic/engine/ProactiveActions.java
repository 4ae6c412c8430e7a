package dev.atomic.engine;

import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.Priority;
import dev.atomic.component.StateKind;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What the Engine does, on the duty cycle, when a policy predicted a component's failure, as far as its
 * {@code proactive.<id>} tunable says (and the operator's ceiling allows): at {@link EngineTunables#CHECKPOINT} it
 * asks the Sovereign for a warm spare of it (so that the failure, should it come, is recovered from without a JVM's
 * start) and a checkpointed component for its state now, each once per process; at {@link EngineTunables#RESTART} it
 * restarts it, planned ({@link Supervisor#restart}: its state saved first, no fault report) onto that spare — once the
 * Sovereign said whether there is one, or after {@link SpareWaits#WAIT_NANOS} without an answer — at most once per
 * {@link #RESTART_EVERY_NANOS}: its new process is judged afresh. Each action is said, with who asked for it and why.
 */
final class ProactiveActions {
    static final long RESTART_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final long[] checkpointed;
    private final long[] restartedAt;
    /** Per slot: the pid a spare was asked for, and the wait for it. */
    private final long[] spareFor;
    private final SpareWaits spares;
    private final Consumer<String> say;
    private final ActionLog actions;

    ProactiveActions(int members, Consumer<String> say, ActionLog actions) {
        this.checkpointed = new long[members];
        this.restartedAt = new long[members];
        this.spareFor = new long[members];
        this.spares = new SpareWaits(members);
        this.say = say;
        this.actions = actions;
    }

    void tick(long now, Member[] members, EngineTunables tunables, Supervisor supervisor) {
        for (Member m : members) {
            int level = tunables.proactive(m.slot);
            if (level == EngineTunables.ADVISE) {
                checkpointed[m.slot] = 0; // a new prediction checkpoints again
                continue;
            }
            if (m.state != Member.State.READY || m.containing || m.frozen()) {
                continue;
            }
            String by = tunables.proactiveBy(m.slot);
            String why = EngineTunables.PROACTIVE + m.spec.id() + " = " + level + ", "
                    + tunables.proactiveReason(m.slot);
            if (spareFor[m.slot] != m.pid) {
                spareFor[m.slot] = m.pid;
                spares.ask(m, now, supervisor);
                said(m, by, "spare", "asked the Sovereign for a warm spare of " + m.label(), why);
            }
            if (m.spec.state() == StateKind.CHECKPOINTED && checkpointed[m.slot] != m.pid) {
                checkpointed[m.slot] = m.pid;
                m.segment.deliveries().lane(Priority.CRITICAL).offer(FrameType.CHECKPOINT, -1, m.slot, 0, 0, 0, 0);
                said(m, by, "checkpoint", "asked " + m.label() + " for a checkpoint now", why);
            }
            if (level >= EngineTunables.RESTART
                    && spares.over(m.slot, now)
                    && (restartedAt[m.slot] == 0 || now - restartedAt[m.slot] >= RESTART_EVERY_NANOS)) {
                restartedAt[m.slot] = now;
                said(m, by, "planned-restart", "restarting " + m.label() + " before it fails", why);
                supervisor.restart(m);
            }
        }
    }

    /** Said, and kept as the component's action on the word of the policy that set its level. */
    private void said(Member m, String by, String kind, String what, String why) {
        say.accept("proactive: " + what + " (" + why + ")");
        actions.did(m.spec.id(), by != null ? by : ActionLog.ENGINE, kind, what, why);
    }

    /** The Sovereign's answer to a spare asked for: a planned restart waits for it no longer. */
    void spareAnswered(int slot, boolean ready, String words) {
        if (!spares.answered(slot)) {
            return;
        }
        say.accept("proactive: " + words + (ready ? "" : "; a planned restart would start it cold"));
    }
}
