package dev.atomic.policy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Where observations are published, at a fixed cadence, and read in-process: by subscription as they come, or as
 * each component's recent history. Thread-safe: the sampler publishes on its thread, policies read on theirs.
 */
public final class ObservationBus {
    /** The default cadence: once a second, the Engine's leak detector's own. */
    public static final Duration CADENCE = Duration.ofSeconds(1);

    private final Duration cadence;
    private final int historyLength;
    private final Map<String, ArrayDeque<Observation>> history = new LinkedHashMap<>();
    private final List<Consumer<Observation>> subscribers = new CopyOnWriteArrayList<>();

    /** @param historyLength observations kept per component */
    public ObservationBus(Duration cadence, int historyLength) {
        if (cadence.isNegative() || cadence.isZero() || historyLength < 1) {
            throw new IllegalArgumentException("a cadence must be positive and a history hold at least one");
        }
        this.cadence = cadence;
        this.historyLength = historyLength;
    }

    public Duration cadence() {
        return cadence;
    }

    /**
     * Publishes one tick's observation of a component to every subscriber. Refused when it is not later than the
     * component's previous one: a history is in time order, and a duplicate tick would count its interval twice.
     */
    public void publish(Observation o) {
        synchronized (history) {
            ArrayDeque<Observation> h = history.computeIfAbsent(o.component(), c -> new ArrayDeque<>());
            Observation last = h.peekLast();
            if (last != null && o.timeMillis() <= last.timeMillis()) {
                throw new IllegalArgumentException("observation of " + o.component() + " at " + o.timeMillis()
                        + " is not after its previous one at " + last.timeMillis());
            }
            if (h.size() == historyLength) {
                h.removeFirst();
            }
            h.addLast(o);
        }
        for (Consumer<Observation> s : subscribers) {
            s.accept(o);
        }
    }

    /** Called with every observation published from now on, on the publisher's thread: it must be quick. */
    public void subscribe(Consumer<Observation> subscriber) {
        subscribers.add(subscriber);
    }

    /** The component's recent observations, oldest first (empty when never observed). */
    public List<Observation> history(String component) {
        synchronized (history) {
            ArrayDeque<Observation> h = history.get(component);
            return h == null ? List.of() : List.copyOf(h);
        }
    }

    public List<String> components() {
        synchronized (history) {
            return new ArrayList<>(history.keySet());
        }
    }
}
