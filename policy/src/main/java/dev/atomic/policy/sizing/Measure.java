package dev.atomic.policy.sizing;

import dev.atomic.policy.Observation;
import dev.atomic.policy.Tunable;

import java.time.Duration;

/**
 * A resource a component is sized for (issue 7's policy 3): resident memory against its memory limit, CPU against
 * its CPU quota. Each is a per-component tunable, {@code memory.limit.<id>} or {@code cpu.quota.<id>} (named as the
 * Engine's own per-component tunables are):
 * a value between a floor and its ceiling, the ceiling its default, so that a policy that stops leaves the component
 * where its manifest put it.
 */
public enum Measure {
    /** Bytes; the ceiling is the manifest's limit ({@link Observation#memoryLimit}), the floor a quarter of it. */
    MEMORY("memory.limit", "resident memory", Tunable.Kind.BYTES, "engine/memory", new double[]{1}, 2) {
        @Override
        public double of(Observation o) {
            return o.rssBytes();
        }

        @Override
        public double ceiling(Observation o) {
            return o.memoryLimit();
        }

        @Override
        public String say(double v) {
            return String.format("%.1f MiB", v / (1 << 20));
        }
    },
    /** CPUs; the ceiling is the host's CPUs (no quota), the floor a twentieth of a CPU. */
    CPU("cpu.quota", "CPU", Tunable.Kind.REAL, "engine/cpu", new double[]{0.95, 0.97, 0.98, 0.99, 0.995, 0.997, 0.999}, 1) {
        @Override
        public double of(Observation o) {
            return o.cpu();
        }

        @Override
        public double ceiling(Observation o) {
            return Runtime.getRuntime().availableProcessors();
        }

        @Override
        public String say(double v) {
            return String.format("%.2f CPU", v);
        }
    };

    /** How long a size holds unless the policy sets it again: long enough to ride out a stalled policy. */
    public static final Duration DECAY = Duration.ofSeconds(120);

    public final String tunable;
    public final String said;
    /**
     * A sizing model's margin: a quantile of its errors on traces it was not fit on (each in the error expected
     * there), times a factor. Memory over its limit is killed, so memory gets twice the largest error seen. CPU over
     * its quota is only slowed, so CPU gets whichever of these quantiles (each taken apart for steady and bursty
     * windows) reserves least on those traces while throttling no more than the fixed rule does there
     * ({@link SizingModel}).
     */
    private final double[] covers;
    public final double marginFactor;
    private final Tunable.Kind kind;
    private final String owner;

    Measure(String tunable, String said, Tunable.Kind kind, String owner, double[] covers,
            double marginFactor) {
        this.tunable = tunable;
        this.said = said;
        this.kind = kind;
        this.owner = owner;
        this.covers = covers;
        this.marginFactor = marginFactor;
    }

    /** The quantiles of the held-back errors a margin may be chosen from. */
    public double[] covers() {
        return covers.clone();
    }

    /** The demand an observation shows. */
    public abstract double of(Observation o);

    /** The most the component may be given: its default. */
    public abstract double ceiling(Observation o);

    public abstract String say(double v);

    /** The least a policy may give: a quarter of the memory limit, a twentieth of a CPU. */
    public double floor(Observation o) {
        return this == MEMORY ? ceiling(o) / 4 : Math.min(0.05, ceiling(o));
    }

    public String tunableOf(String component) {
        return tunable + "." + component;
    }

    /** The component's tunable for this measure, as the Engine (or an evaluation) defines it on first sight. */
    public Tunable tunable(Observation o) {
        return new Tunable(tunableOf(o.component()), kind, floor(o), ceiling(o), ceiling(o), owner,
                DECAY, said + " allowed to " + o.component() + ", sized from its history");
    }
}
