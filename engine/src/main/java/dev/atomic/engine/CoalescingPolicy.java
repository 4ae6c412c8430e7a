package dev.atomic.engine;

import dev.atomic.policy.Decision;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Policy 4 (issue 7), adaptive coalescing: for each event source, the window that costs the least CPU per event
 * under a latency bound. A hill-climb over a ladder of windows ({@link #LADDER}, microseconds per 1,000 events/s):
 * each rung is tried for {@link #EPOCH} busy ticks after one to settle; its cost is the CPU of the whole system (the
 * Engine and every component observed) over the source's events, its latency the longest an event of the source was
 * held. A rung whose window at the source's rate, with the longest an event was held past its window over the last
 * epoch (the duty cycle's delay), would pass the bound is not tried; one whose events were held past the bound all the same is
 * given up and the ladder capped below it. Events held past the bound whatever the window (the duty cycle came back
 * late by more than the bound) are no window's fault: the source is left on the default. It settles on the smallest rung within {@link #GAIN} of
 * the cheapest it measured (a longer window that saves nothing only adds latency), and measures again every
 * {@link #REVISIT} epochs, as the load changes. Its value is the Engine's tunable {@code coalescing.window.<id>}.
 */
final class CoalescingPolicy implements Policy {
    static final String NAME = "coalescing";
    static final long[] LADDER = {25, 50, 100, 200, 400, 800};
    static final int EPOCH = 3;
    static final double GAIN = 0.05;
    static final int REVISIT = 20;
    /** The lane of an observation that says a source's events: their rate, and the longest one was held. */
    static final String EVENTS = "events";

    private static final class Source {
        int rung = Arrays.binarySearch(LADDER, Coalescer.DEFAULT_MICROS_PER_KRATE);
        /** Rungs at and above this were held past the bound. */
        int ceiling = LADDER.length;
        final double[] cost = new double[LADDER.length];
        int settling = 1;
        int ticks;
        double costSum;
        double longestMicros;
        int epochs;
        double rate;
        /**
         * The most an event was held past its window over the last epoch (the duty cycle's delay: a host's stall
         * weighs on the next decision only), allowed for before a rung is tried; and over this epoch so far.
         */
        double lateMicros;
        double lateNowMicros;
        String reason;

        Source() {
            Arrays.fill(cost, Double.NaN);
        }
    }

    private final long boundMicros;
    private final Map<String, Source> sources = new HashMap<>();
    private final List<Observation> tick = new ArrayList<>();
    private long tickMillis = Long.MIN_VALUE;

    /** @param boundMicros the latency bound: the longest an event may be held */
    CoalescingPolicy(long boundMicros) {
        this.boundMicros = boundMicros;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void observe(Observation o) {
        if (o.timeMillis() != tickMillis) {
            weigh();
            tick.clear();
            tickMillis = o.timeMillis();
        }
        tick.add(o);
    }

    @Override
    public Decision decide(long nowMillis) {
        weigh();
        tick.clear();
        List<Decision.Setting> settings = new ArrayList<>();
        sources.forEach((id, s) -> {
            if (s.reason != null) {
                settings.add(new Decision.Setting(EngineTunables.WINDOW + id, LADDER[s.rung], s.reason));
            }
        });
        return new Decision(settings, List.of());
    }

    /** The rung the source is on now (for tests). */
    long windowPerKrate(String source) {
        Source s = sources.get(source);
        return s == null ? Coalescer.DEFAULT_MICROS_PER_KRATE : LADDER[s.rung];
    }

    /** One tick's observations, all in: each busy source's cost and latency on its rung. */
    private void weigh() {
        if (tick.isEmpty()) {
            return;
        }
        double cpu = tick.stream().mapToDouble(Observation::cpu).sum();
        for (Observation o : tick) {
            Observation.Lane events = o.lanes().stream().filter(l -> l.name().equals(EVENTS)).findFirst().orElse(null);
            if (events == null || events.rate() < Coalescer.CALM_RATE) {
                continue;
            }
            Source s = sources.computeIfAbsent(o.component(), c -> new Source());
            s.rate = events.rate();
            if (!allowed(s, s.rung) && s.rung > 0 && s.lateMicros < boundMicros) {
                s.rung--;
                s.reason = String.format("%d us/1000 events/s at %.0f events/s would hold events past the bound of "
                        + "%.1f ms: a shorter window", LADDER[s.rung + 1], s.rate, boundMicros / 1000.0);
                s.settling = 1;
                s.ticks = 0;
                s.costSum = 0;
                s.longestMicros = 0;
                continue;
            }
            if (s.settling > 0) {
                s.settling--;
                continue;
            }
            s.ticks++;
            s.costSum += cpu / events.rate();
            s.longestMicros = Math.max(s.longestMicros, events.latencyMicros());
            s.lateNowMicros = Math.max(s.lateNowMicros, events.latencyMicros()
                    - Coalescer.window((long) s.rate, LADDER[s.rung]) / 1000.0);
            if (s.ticks == EPOCH) {
                step(s);
            }
        }
    }

    private void step(Source s) {
        double cost = s.costSum / s.ticks;
        double longest = s.longestMicros;
        s.ticks = 0;
        s.costSum = 0;
        s.longestMicros = 0;
        s.lateMicros = s.lateNowMicros;
        s.lateNowMicros = 0;
        if (++s.epochs % REVISIT == 0) {
            Arrays.fill(s.cost, Double.NaN);
        }
        int was = s.rung;
        double late = longest - Coalescer.window((long) s.rate, LADDER[s.rung]) / 1000.0;
        if (late >= boundMicros) {
            // Held past the bound whatever the window: the duty cycle's delay, which no window shortens.
            s.rung = Arrays.binarySearch(LADDER, Coalescer.DEFAULT_MICROS_PER_KRATE);
            s.reason = String.format("events held up to %.1f ms, %.1f ms past their window: the delay is not the "
                    + "window's, which stays the default", longest / 1000, late / 1000);
        } else if (longest > boundMicros) {
            s.ceiling = s.rung;
            s.cost[s.rung] = Double.NaN;
            s.rung = Math.max(0, s.rung - 1);
            s.reason = String.format("events held up to %.1f ms at %d us/1000 events/s, past the bound of %.1f ms: "
                    + "a shorter window", longest / 1000, LADDER[was], boundMicros / 1000.0);
        } else {
            s.cost[s.rung] = cost;
            s.rung = next(s);
            s.reason = String.format("%.2f us of CPU per event at %d us/1000 events/s (%.0f events/s, held up to "
                    + "%.1f ms, bound %.1f ms)%s", cost * 1e6, LADDER[was], s.rate, longest / 1000,
                    boundMicros / 1000.0, s.rung == was ? ": the cheapest within " + Math.round(GAIN * 100) + "%"
                    : s.rung > was ? ": trying a longer window" : ": a shorter window costs no more");
        }
        s.settling = s.rung == was ? 0 : 1;
    }

    /** The rung to measure next: an untried longer one within the bound, else the smallest near the cheapest. */
    private int next(Source s) {
        int up = s.rung + 1;
        if (up < s.ceiling && allowed(s, up) && (Double.isNaN(s.cost[up]) || s.cost[up] < s.cost[s.rung] * (1 - GAIN))) {
            return up;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < LADDER.length; i++) {
            if (!Double.isNaN(s.cost[i]) && i < s.ceiling && allowed(s, i)) {
                best = Math.min(best, s.cost[i]);
            }
        }
        for (int i = 0; i < LADDER.length; i++) {
            if (!Double.isNaN(s.cost[i]) && i < s.ceiling && allowed(s, i) && s.cost[i] <= best * (1 + GAIN)) {
                return i;
            }
        }
        return s.rung;
    }

    /**
     * Whether the rung's window at the source's rate, and the most an event was seen held past its window, stay within
     * the bound: judged before any event is held by it.
     */
    private boolean allowed(Source s, int rung) {
        return Coalescer.window((long) s.rate, LADDER[rung]) / 1000.0 + s.lateMicros <= boundMicros;
    }
}
