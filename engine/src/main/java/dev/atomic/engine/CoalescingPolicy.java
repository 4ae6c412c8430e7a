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
 * each rung is measured for {@link #EPOCH} busy ticks after one to settle; its cost is the CPU of the whole system (the
 * Engine and every component observed) over the source's events, kept per tick so that its noise is known, its
 * latency the longest an event of the source was held. A rung whose window at the source's rate, with how long events
 * were held past their window in two ticks of the last epoch (the duty cycle's delay; one tick's is a pause, a
 * collection or a compilation, no window's doing), would pass the bound is not tried; one whose events were held past
 * the bound all the same in two ticks of an epoch is given up (the default only until the next revisit: a stall of
 * the host's may have done it). Events held past the
 * bound whatever the window (the duty cycle came back late by more than the bound) are no window's fault: the source
 * is left on the default.
 * <p>
 * It keeps the default window unless a longer one is measured cheaper by more than {@link #GAIN} and by more than
 * {@link #Z} standard errors of the two means: a shorter window means more frames, never less CPU, and 3-second
 * epochs on a quiet host are noisier than the gain (the smallest window within it, the rule before, was one below
 * the default in the live runs whose CPU per event was 1.45x policies off's);
 * it goes below the default only when the bound leaves it no other rung. It measures again every {@link #REVISIT}
 * epochs, as the load changes. Its value is the Engine's tunable {@code coalescing.window.<id>}.
 */
final class CoalescingPolicy implements Policy {
    static final String NAME = "coalescing";
    static final long[] LADDER = {25, 50, 100, 200, 400, 800};
    static final int EPOCH = 3;
    static final double GAIN = 0.05;
    /** How many standard errors of the difference a longer window's saving must exceed. */
    static final double Z = 2;
    static final int REVISIT = 20;
    /** The lane of an observation that says a source's events: their rate, and the longest one was held. */
    static final String EVENTS = "events";
    private static final int DEFAULT = Arrays.binarySearch(LADDER, Coalescer.DEFAULT_MICROS_PER_KRATE);

    /** A rung's cost per event, tick by tick: its mean and the standard error of that mean. */
    private static final class Cost {
        int n;
        double sum;
        double squares;

        void add(double x) {
            n++;
            sum += x;
            squares += x * x;
        }

        void add(Cost c) {
            n += c.n;
            sum += c.sum;
            squares += c.squares;
        }

        boolean measured() {
            return n > 1;
        }

        double mean() {
            return sum / n;
        }

        double variance() {
            return Math.max(0, (squares - sum * sum / n) / (n - 1));
        }

        /** Whether this rung is cheaper than {@code than} beyond both the gain asked for and the noise. */
        boolean cheaper(Cost than) {
            double saved = than.mean() - mean();
            return saved > GAIN * than.mean() && saved > Z * Math.sqrt(variance() / n + than.variance() / than.n);
        }
    }

    private static final class Source {
        int rung = DEFAULT;
        /** Rungs at and above this were held past the bound. */
        int ceiling = LADDER.length;
        final Cost[] cost = new Cost[LADDER.length];
        Cost epoch = new Cost();
        int settling = 1;
        double longestMicros;
        /** This epoch's ticks whose longest hold passed the bound. */
        int overBound;
        int epochs;
        double rate;
        /**
         * How long events were held past their window in at least two ticks of the last epoch (the duty cycle's
         * delay: a host's stall weighs on the next decision only, and one tick's pause, a collection or a
         * compilation, on none), allowed for before a rung is tried; and this epoch's two longest so far.
         */
        double lateMicros;
        double lateNowMicros;
        double lateSecondMicros;
        String reason;

        Source() {
            Arrays.setAll(cost, i -> new Cost());
        }

        /** At a revisit: every cost measured anew; the default, if given up, tried again (a stall may have done it). */
        void forget() {
            Arrays.setAll(cost, i -> new Cost());
            ceiling = Math.max(ceiling, DEFAULT + 1);
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
                s.epoch = new Cost();
                s.longestMicros = 0;
                s.overBound = 0;
                continue;
            }
            if (s.settling > 0) {
                s.settling--;
                continue;
            }
            s.epoch.add(cpu / events.rate());
            s.longestMicros = Math.max(s.longestMicros, events.latencyMicros());
            s.overBound += events.latencyMicros() > boundMicros ? 1 : 0;
            double late = events.latencyMicros() - Coalescer.window((long) s.rate, LADDER[s.rung]) / 1000.0;
            if (late > s.lateNowMicros) {
                s.lateSecondMicros = s.lateNowMicros;
                s.lateNowMicros = late;
            } else {
                s.lateSecondMicros = Math.max(s.lateSecondMicros, late);
            }
            if (s.epoch.n == EPOCH) {
                step(s);
            }
        }
    }

    private void step(Source s) {
        Cost epoch = s.epoch;
        double longest = s.longestMicros;
        s.epoch = new Cost();
        s.longestMicros = 0;
        s.lateMicros = s.lateSecondMicros;
        s.lateNowMicros = 0;
        s.lateSecondMicros = 0;
        boolean overBound = s.overBound >= 2; // in one tick only, a pause: no window's doing
        s.overBound = 0;
        if (++s.epochs % REVISIT == 0) {
            s.forget();
        }
        int was = s.rung;
        double late = longest - Coalescer.window((long) s.rate, LADDER[s.rung]) / 1000.0;
        if (late >= boundMicros) {
            // Held past the bound whatever the window: the duty cycle's delay, which no window shortens.
            s.rung = DEFAULT;
            s.reason = String.format("events held up to %.1f ms, %.1f ms past their window: the delay is not the "
                    + "window's, which stays the default", longest / 1000, late / 1000);
        } else if (overBound) {
            s.ceiling = s.rung;
            s.cost[s.rung] = new Cost();
            s.rung = Math.max(0, s.rung - 1);
            s.reason = String.format("events held up to %.1f ms at %d us/1000 events/s, past the bound of %.1f ms: "
                    + "a shorter window", longest / 1000, LADDER[was], boundMicros / 1000.0);
        } else {
            s.cost[s.rung].add(epoch);
            int best = best(s);
            s.rung = next(s, best);
            s.reason = String.format("%.2f us of CPU per event at %d us/1000 events/s (%.0f events/s, held up to "
                    + "%.1f ms, bound %.1f ms)%s", s.cost[was].mean() * 1e6, LADDER[was], s.rate, longest / 1000,
                    boundMicros / 1000.0, s.rung > best ? ": trying a longer window"
                    : best > DEFAULT ? String.format(": %d us/1000 events/s costs %.2f us, more than %d%% and the "
                    + "noise below the default", LADDER[best], s.cost[best].mean() * 1e6, Math.round(GAIN * 100))
                    : best < DEFAULT ? ": the longest window the bound allows"
                    : ": no longer window measured cheaper beyond the noise, so the default");
        }
        s.settling = s.rung == was ? 0 : 1;
    }

    /**
     * The rung to settle on: the default (or, when the bound rules it out, the longest below it that the bound
     * allows), unless a longer rung was measured cheaper than it beyond the gain and the noise.
     */
    private int best(Source s) {
        int base = DEFAULT;
        while (base > 0 && !(base < s.ceiling && allowed(s, base))) {
            base--;
        }
        int best = base;
        for (int i = base + 1; i < s.ceiling && allowed(s, i); i++) {
            if (s.cost[i].measured() && s.cost[best].measured() && s.cost[i].cheaper(s.cost[best])) {
                best = i;
            }
        }
        return best;
    }

    /** The rung to measure next: the best one, until it is measured; then the untried longer one above it. */
    private int next(Source s, int best) {
        int up = best + 1;
        if (s.cost[best].measured() && up < s.ceiling && allowed(s, up) && !s.cost[up].measured()) {
            return up;
        }
        return best;
    }

    /**
     * Whether the rung's window at the source's rate, and the most an event was seen held past its window, stay within
     * the bound: judged before any event is held by it.
     */
    private boolean allowed(Source s, int rung) {
        return Coalescer.window((long) s.rate, LADDER[rung]) / 1000.0 + s.lateMicros <= boundMicros;
    }
}
