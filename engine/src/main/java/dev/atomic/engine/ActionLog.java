package dev.atomic.engine;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * What the Engine did to each component and why — its restarts with the fault behind each, spares pre-warmed,
 * checkpoints and planned restarts on a policy's word, sizes and windows a policy set, demotions and promotions, fast
 * paths opened and revoked, throttling — kept for {@code atomic explain}: the last {@link #KEPT} of each component,
 * newest first, in {@link PolicyState#actions()}. Told from any thread without a lock (one queue offer); the policy
 * loop's thread takes them in once a second ({@link #collect}). What recurs (each second's throttling, a policy moving
 * one tunable step by step) is told with {@link #again}: one entry, counted, not a flood that pushes out the rest.
 */
final class ActionLog {
    static final int KEPT = 20;
    /** Told and not yet taken in, at most: past it (the loop stopped) more are dropped rather than kept forever. */
    static final int QUEUED = 1000;

    private record Told(String component, boolean folds, PolicyState.Action action) {
    }

    private final ConcurrentLinkedQueue<Told> told = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    /** The loop's thread's only. */
    private final Map<String, ArrayDeque<PolicyState.Action>> kept = new LinkedHashMap<>();
    private final LongSupplier clock;

    ActionLog() {
        this(System::currentTimeMillis);
    }

    ActionLog(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Something the Engine did to {@code component}.
     *
     * @param by   who decided: {@link #ENGINE} for the Engine's own rules, else the policy whose word it acted on
     * @param kind what sort of action ({@code fault}, {@code spare}, {@code checkpoint}, {@code demote} ...)
     * @param what what it did, in words
     * @param why  why, in words
     */
    void did(String component, String by, String kind, String what, String why) {
        tell(component, false, by, kind, what, why);
    }

    /** The same, folded into an entry of the same kind and words (the newest reason kept, the times counted). */
    void again(String component, String by, String kind, String what, String why) {
        tell(component, true, by, kind, what, why);
    }

    static final String ENGINE = "engine";

    private void tell(String component, boolean folds, String by, String kind, String what, String why) {
        if (queued.incrementAndGet() > QUEUED) {
            queued.decrementAndGet();
            return;
        }
        long now = clock.getAsLong();
        told.add(new Told(component, folds, new PolicyState.Action(now, by, kind, what, why, 1, now)));
    }

    /**
     * On the loop's thread: what a dead predecessor had kept (newest first, per component), kept here behind
     * everything this log was told, older as it is.
     */
    void carryOn(Map<String, List<PolicyState.Action>> before) {
        before.forEach((component, actions) -> {
            ArrayDeque<PolicyState.Action> kept = this.kept.computeIfAbsent(component, c -> new ArrayDeque<>());
            for (PolicyState.Action a : actions) {
                if (kept.size() >= KEPT) {
                    break;
                }
                kept.addLast(a);
            }
        });
    }

    /** On the loop's thread: what was told since, taken in; each component's last {@link #KEPT}, newest first. */
    Map<String, List<PolicyState.Action>> collect() {
        for (Told t; (t = told.poll()) != null; ) {
            queued.decrementAndGet();
            ArrayDeque<PolicyState.Action> actions = kept.computeIfAbsent(t.component(), c -> new ArrayDeque<>());
            PolicyState.Action a = t.action();
            if (t.folds()) {
                for (Iterator<PolicyState.Action> i = actions.iterator(); i.hasNext(); ) {
                    PolicyState.Action before = i.next();
                    if (before.kind().equals(a.kind()) && before.what().equals(a.what()) && before.by().equals(a.by())) {
                        i.remove();
                        a = new PolicyState.Action(a.timeMillis(), a.by(), a.kind(), a.what(), a.why(),
                                before.times() + 1, before.sinceMillis());
                        break;
                    }
                }
            }
            actions.addFirst(a);
            if (actions.size() > KEPT) {
                actions.removeLast();
            }
        }
        Map<String, List<PolicyState.Action>> out = new LinkedHashMap<>();
        kept.forEach((c, actions) -> out.put(c, List.copyOf(actions)));
        return out;
    }
}
