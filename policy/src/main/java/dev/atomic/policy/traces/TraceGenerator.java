package dev.atomic.policy.traces;

import dev.atomic.policy.Observation;
import dev.atomic.policy.Trend;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes labelled telemetry of one component per trace, one observation a second, deterministic for a seed. Each
 * component is drawn its own size, limit, traffic, budget and latency, so that no one fixed threshold fits all;
 * half the faulty ones are noisy besides. The fault starts at its onset, 90 to 150 s in (after a healthy stretch
 * a policy can learn the component's baseline from), and the trace ends 30 s after the failure.
 */
public final class TraceGenerator {
    /** How long a healthy trace is, in seconds. */
    static final int HEALTHY_SECONDS = 400;
    /** How long a trace goes on after its failure, in seconds. */
    static final int AFTER_FAILURE_SECONDS = 30;
    /** A faulty trace fails well within this (the slowest leak: 150 s + 400 s). */
    private static final int MAX_SECONDS = 1000;
    private static final long MIB = 1 << 20;

    private final long seed;

    public TraceGenerator(long seed) {
        this.seed = seed;
    }

    /** One trace of each failing scenario and two of each healthy one: the set a seed stands for. */
    public List<Trace> set() {
        List<Trace> all = new ArrayList<>();
        for (Scenario s : Scenario.values()) {
            for (int i = 0; i < (s.fails ? 1 : 2); i++) {
                all.add(trace(s, i));
            }
        }
        return all;
    }

    public Trace trace(Scenario scenario, int index) {
        Noise n = new Noise(seed * 1_000_003L + scenario.ordinal() * 1009L + index);
        return new Run(n, scenario, scenario.name().toLowerCase().replace('_', '-') + "-" + seed + "-" + index).trace();
    }

    /** One trace being made: the component's draw, then a second at a time. */
    private static final class Run {
        final Noise n;
        final Scenario scenario;
        final String name;
        final boolean noisy;
        final long baseRss;
        final long limit;
        final double baseRate;
        final long budget;
        final double baseLatency;
        final double baseCpu;
        final boolean psi;
        final int onset;
        /** The scenario's own draws: a leak's slope, a precursor's or a ramp's length, a storm's peak. */
        final double leakSlope;
        final int precursor;
        final double peak;
        final double gcAmplitude;
        final int gcPeriod;
        final boolean spins;

        final Trend trend = new Trend();
        int failure = -1;
        long rss;
        long progress;
        long restarts;
        int burstLeft;
        double burstFactor;
        int errorBurstLeft;
        double errorBurstRate;
        int spikeLeft;
        int downLeft;
        int nextCrash = -1;
        double psiNow;

        Run(Noise n, Scenario scenario, String name) {
            this.n = n;
            this.scenario = scenario;
            this.name = name;
            noisy = scenario == Scenario.NOISY || scenario.fails && n.chance(0.5);
            baseRss = Math.round(n.uniform(30, 200)) * MIB;
            limit = Math.round(baseRss * n.uniform(1.6, 3.0) / MIB) * MIB;
            baseRate = n.logUniform(5, 2000);
            budget = Math.round(baseRate * n.uniform(4, 10));
            baseLatency = n.logUniform(100, 5000);
            baseCpu = n.uniform(0.01, 0.3);
            psi = n.chance(0.85);
            onset = scenario.fails ? n.between(90, 150) : -1;
            leakSlope = (limit - baseRss) / n.uniform(40, 400);
            precursor = scenario == Scenario.LEAK ? 0 : n.chance(0.3) ? 0 : n.between(5, 40);
            peak = n.uniform(1.5, 5);
            gcAmplitude = baseRss * (noisy ? n.uniform(0.05, 0.2) : 0.02);
            gcPeriod = n.between(10, 40);
            spins = n.chance(0.5);
            rss = baseRss;
        }

        Trace trace() {
            List<Observation> out = new ArrayList<>();
            for (int t = 1; ; t++) {
                out.add(tick(t));
                if (failure > 0 ? t >= failure + AFTER_FAILURE_SECONDS : !scenario.fails && t >= HEALTHY_SECONDS) {
                    break;
                }
                if (t > MAX_SECONDS) {
                    throw new IllegalStateException(name + " was to fail but did not in " + MAX_SECONDS + " s");
                }
            }
            return new Trace(name, scenario, onset < 0 ? -1 : onset * 1000L, failure < 0 ? -1 : failure * 1000L, out);
        }

        /** Second {@code t}: the healthy workload, then what the scenario does to it. */
        Observation tick(int t) {
            List<String> faults = new ArrayList<>();
            double rate = baseRate * Math.max(0.05, 1 + (noisy ? 0.3 : 0.08) * n.gaussian());
            double latency = baseLatency * Math.exp((noisy ? 0.3 : 0.12) * n.gaussian());
            double errorRate = noisy ? 0.5 : 0.05;
            if (noisy) {
                rate *= burst();
                latency *= spike();
                errorRate = errorBurst(errorRate);
            }
            long heap = baseRss + Math.round(gcAmplitude * ((t % gcPeriod) / (double) gcPeriod))
                    + Math.round(baseRss * 0.005 * n.gaussian());
            double cpu = baseCpu * Math.sqrt(rate / baseRate);
            boolean answering = true;
            boolean started = onset > 0 && t >= onset;
            int into = t - onset;
            switch (scenario) {
                case LEAK -> {
                    if (started) {
                        rss += Math.round(leakSlope * (1 + 0.3 * n.gaussian()));
                    }
                    heap += rss - baseRss;
                    if (heap >= limit) {
                        faults.add("MEMORY_LIMIT");
                        fail(t);
                        rss = baseRss;
                        heap = baseRss / 2;
                    }
                }
                case HANG -> {
                    if (started && into < precursor) {
                        double worse = Math.pow(into / (double) precursor, 2);
                        latency *= 1 + worse * n.uniform(4, 19);
                        rate *= 1 - 0.7 * worse;
                        errorRate += worse * n.uniform(0, 3);
                    } else if (started) {
                        fail(t);
                        answering = false;
                        cpu = spins ? 1.0 : 0.001;
                    }
                }
                case STORM -> {
                    if (started) {
                        double ramp = precursor == 0 ? 1 : Math.min(1, into / (double) precursor);
                        double target = peak * budget;
                        rate = Math.max(rate, baseRate * Math.pow(target / baseRate, ramp) * (1 + 0.05 * n.gaussian()));
                        cpu = baseCpu * Math.sqrt(rate / baseRate);
                        latency *= 1 + Math.max(0, rate / budget - 0.5);
                        if (rate > budget && failure < 0) {
                            faults.add("STORM");
                            fail(t);
                        }
                    }
                }
                case CRASH_LOOP -> {
                    if (started && into < precursor) {
                        errorRate += Math.pow(into / (double) precursor, 2) * n.uniform(5, 40);
                        latency *= 1 + into / (double) precursor;
                    } else if (started) {
                        errorRate += 20;
                        if (failure < 0 || t == nextCrash) {
                            faults.add("CRASH");
                            fail(t);
                            restarts++;
                            downLeft = n.between(1, 3);
                            nextCrash = t + downLeft + n.between(3, 15);
                        }
                    }
                }
                default -> {
                }
            }
            if (downLeft > 0) {
                downLeft--;
                answering = false;
                cpu = 0;
                heap = 0;
                errorRate = 0;
            }
            return observe(t, answering, rate, latency, errorRate, cpu, heap, faults);
        }

        private Observation observe(int t, boolean answering, double rate, double latency, double errorRate,
                                    double cpu, long heap, List<String> faults) {
            long served = answering ? Math.round(rate) : 0;
            progress += answering ? served + 10 : 0; // answers, and the lane thread's ten beats a second
            int pending = answering ? (int) Math.min(10_000, n.poisson(rate * latency / 1e6))
                    : (int) Math.min(10_000, Math.round(rate * Math.max(1, t - failure)));
            double share = (double) heap / limit;
            double pressure = share < 0.8 ? 0 : 100 * Math.pow(Math.min(1, (share - 0.8) / 0.2), 2);
            psiNow += (pressure - psiNow) * 0.3; // avg10: a moving average, not the instant
            double psiSeen = psi ? Math.max(0, Math.min(100, psiNow + 0.5 * n.gaussian())) : Observation.NO_PSI;
            double slope = trend.add(t * 1000L, heap);
            List<Observation.Lane> lanes = served == 0 && !answering ? List.of(new Observation.Lane("requests", 0, 0))
                    : List.of(new Observation.Lane("requests", rate, latency));
            return new Observation(t * 1000L, name, "services", Math.max(0, cpu * (1 + 0.1 * n.gaussian())), heap,
                    slope, limit, psiSeen, lanes, n.poisson(errorRate), restarts, progress, pending, budget, faults);
        }

        private void fail(int t) {
            if (failure < 0) {
                failure = t;
            }
            if (scenario == Scenario.LEAK) {
                restarts++;
            }
        }

        /** A noisy component's traffic bursts: a few seconds at up to nine tenths of its budget. */
        private double burst() {
            if (burstLeft == 0 && n.chance(1 / 30.0)) {
                burstLeft = n.between(3, 10);
                burstFactor = n.uniform(2, 0.9 * budget / baseRate);
            }
            if (burstLeft > 0) {
                burstLeft--;
                return burstFactor;
            }
            return 1;
        }

        private double spike() {
            if (spikeLeft == 0 && n.chance(1 / 40.0)) {
                spikeLeft = n.between(1, 2);
            }
            if (spikeLeft > 0) {
                spikeLeft--;
                return n.uniform(3, 8);
            }
            return 1;
        }

        /** Bad requests from clients come in bursts: errors, but not the component's fault. */
        private double errorBurst(double rate) {
            if (errorBurstLeft == 0 && n.chance(1 / 60.0)) {
                errorBurstLeft = n.between(2, 5);
                errorBurstRate = n.uniform(8, 25);
            }
            if (errorBurstLeft > 0) {
                errorBurstLeft--;
                return rate + errorBurstRate;
            }
            return rate;
        }
    }
}
