package dev.atomic.engine;

import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.Priority;
import dev.atomic.component.StateKind;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What the Engine does, on the duty cycle, when a policy predicted a component's failure, as far as its
 * {@code proactive.<id>} tunable says (and the operator's ceiling allows): at {@link EngineTunables#CHECKPOINT} it
 * asks a checkpointed component for its state now, once per process, so a failure loses less; at
 * {@link EngineTunables#RESTART} it restarts it, planned ({@link Supervisor#restart}: its state saved first, no fault
 * report), at most once per {@link #RESTART_EVERY_NANOS} — its new process is judged afresh. Each action is said,
 * with who asked for it and why.
 */
final class ProactiveActions {
    static final long RESTART_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final long[] checkpointed;
    private final long[] restartedAt;
    private final Consumer<String> say;

    ProactiveActions(int members, Consumer<String> say) {
        this.checkpointed = new long[members];
        this.restartedAt = new long[members];
        this.say = say;
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
            if (m.spec.state() == StateKind.CHECKPOINTED && checkpointed[m.slot] != m.pid) {
                checkpointed[m.slot] = m.pid;
                m.segment.deliveries().lane(Priority.CRITICAL).offer(FrameType.CHECKPOINT, -1, m.slot, 0, 0, 0, 0);
                say.accept("proactive: asked " + m.label() + " for a checkpoint now (" + EngineTunables.PROACTIVE
                        + m.spec.id() + " = " + level + ", " + tunables.proactiveReason(m.slot) + ")");
            }
            if (level >= EngineTunables.RESTART
                    && (restartedAt[m.slot] == 0 || now - restartedAt[m.slot] >= RESTART_EVERY_NANOS)) {
                restartedAt[m.slot] = now;
                say.accept("proactive: restarting " + m.label() + " before it fails (" + EngineTunables.PROACTIVE
                        + m.spec.id() + " = " + level + ", " + tunables.proactiveReason(m.slot) + ")");
                supervisor.restart(m);
            }
        }
    }
}
