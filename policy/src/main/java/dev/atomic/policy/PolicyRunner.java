package dev.atomic.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs the policies, one round per observation tick, and keeps them advisory. The built-in heuristics (fixed
 * thresholds, trusted) run first on the caller's thread; each learned policy runs on a thread of its own, and the
 * round waits for them at most its time bound. A learned policy that throws is ignored for the round; one that
 * stalls is ignored and skipped until its call returns (its late decision is dropped); a proposal out of bounds,
 * for a tunable that does not exist or a component never observed, is dropped. Each is reported, and none of it
 * stops the heuristics or the other policies.
 */
public final class PolicyRunner implements AutoCloseable {
    /** What one round came to: the recommendations accepted (built-in ones first) and the faults reported. */
    public record Round(long timeMillis, List<Recommendation> recommendations, List<PolicyFault> faults) {
    }

    private static final class Slot {
        final Policy policy;
        final ExecutorService thread;
        final AtomicBoolean busy = new AtomicBoolean();

        Slot(Policy policy) {
            this.policy = policy;
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "policy-" + policy.name());
                t.setDaemon(true);
                return t;
            });
        }
    }

    private final TunableStore store;
    private final Duration bound;
    private final Consumer<PolicyFault> reports;
    private final List<Policy> builtIn = new ArrayList<>();
    private final List<Slot> learned = new ArrayList<>();
    private final Set<String> observed = new HashSet<>();
    /** Per component, each policy's last recommendation: what {@link #beliefs} says. */
    private final Map<String, Map<String, Recommendation>> beliefs = new LinkedHashMap<>();

    /**
     * @param bound   how long a round waits for the learned policies
     * @param reports told of every fault as it is found
     */
    public PolicyRunner(TunableStore store, Duration bound, Consumer<PolicyFault> reports) {
        this.store = store;
        this.bound = bound;
        this.reports = reports;
    }

    public synchronized void addBuiltIn(Policy p) {
        builtIn.add(p);
    }

    public synchronized void add(Policy p) {
        learned.add(new Slot(p));
    }

    /** One round: every policy observes {@code fresh} (this tick's observations) and decides. */
    public synchronized Round round(long now, List<Observation> fresh) {
        fresh.forEach(o -> observed.add(o.component()));
        List<Recommendation> accepted = new ArrayList<>();
        List<PolicyFault> faults = new ArrayList<>();
        for (Policy p : builtIn) {
            try {
                fresh.forEach(p::observe);
                apply(p.name(), p.decide(now), now, accepted, faults);
            } catch (RuntimeException e) {
                fault(faults, now, p.name(), PolicyFault.Kind.THREW, describe(e));
            }
        }
        Map<Slot, Future<Decision>> running = new LinkedHashMap<>();
        for (Slot s : learned) {
            if (!s.busy.compareAndSet(false, true)) {
                continue; // still in a call that stalled: reported when it did
            }
            running.put(s, s.thread.submit(() -> {
                try {
                    fresh.forEach(s.policy::observe);
                    return s.policy.decide(now);
                } finally {
                    s.busy.set(false);
                }
            }));
        }
        long deadline = System.nanoTime() + bound.toNanos();
        for (Map.Entry<Slot, Future<Decision>> r : running.entrySet()) {
            String name = r.getKey().policy.name();
            try {
                Decision d = r.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                apply(name, d, now, accepted, faults);
            } catch (TimeoutException e) {
                r.getValue().cancel(true);
                fault(faults, now, name, PolicyFault.Kind.STALLED, "no decision within " + bound.toMillis()
                        + " ms: ignored, and skipped until its call returns");
            } catch (ExecutionException e) {
                fault(faults, now, name, PolicyFault.Kind.THREW, describe(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Recommendation rec : accepted) {
            beliefs.computeIfAbsent(rec.component(), c -> new LinkedHashMap<>()).put(rec.policy(), rec);
        }
        return new Round(now, List.copyOf(accepted), List.copyOf(faults));
    }

    /** Each policy's last recommendation about the component, by policy name (empty when none recommended). */
    public synchronized Map<String, Recommendation> beliefs(String component) {
        return Map.copyOf(beliefs.getOrDefault(component, Map.of()));
    }

    private void apply(String policy, Decision d, long now, List<Recommendation> accepted, List<PolicyFault> faults) {
        if (d == null) {
            return;
        }
        for (Decision.Setting s : d.settings()) {
            Tunable t = store.tunable(s.tunable());
            if (t == null) {
                fault(faults, now, policy, PolicyFault.Kind.UNKNOWN, "no tunable " + s.tunable());
            } else if (!t.allows(s.value())) {
                fault(faults, now, policy, PolicyFault.Kind.OUT_OF_BOUNDS, s.tunable() + " = " + s.value()
                        + " is outside [" + t.min() + ", " + t.max() + "]: ignored");
            } else {
                store.set(t.name(), s.value(), policy, s.reason(), now);
            }
        }
        for (Recommendation r : d.recommendations()) {
            if (r.action() == null || !observed.contains(r.component())) {
                fault(faults, now, policy, PolicyFault.Kind.UNKNOWN, "a recommendation for " + r.component()
                        + ", a component never observed, or without an action: ignored");
            } else if (!(r.confidence() >= 0 && r.confidence() <= 1)) {
                fault(faults, now, policy, PolicyFault.Kind.OUT_OF_BOUNDS, "confidence " + r.confidence()
                        + " is outside [0, 1]: ignored");
            } else {
                accepted.add(r.by(policy));
            }
        }
    }

    private void fault(List<PolicyFault> faults, long now, String policy, PolicyFault.Kind kind, String detail) {
        PolicyFault f = new PolicyFault(now, policy, kind, detail);
        faults.add(f);
        reports.accept(f);
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** Stops the policies' threads (interrupting a stalled one). */
    @Override
    public synchronized void close() {
        learned.forEach(s -> s.thread.shutdownNow());
    }
}
