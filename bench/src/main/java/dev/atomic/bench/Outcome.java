package dev.atomic.bench;

/** What became of one path under one workload: a measurement, or why there is none. */
record Outcome(Measurement measurement, String whyNone) {
    static Outcome measured(Measurement m) {
        return new Outcome(m, null);
    }

    static Outcome none(String why) {
        return new Outcome(null, why);
    }

    /** A further round of the same run: samples pool, a failure sticks. */
    Outcome plus(Outcome other) {
        if (measurement == null) {
            return this;
        }
        if (other.measurement == null) {
            return other;
        }
        return measured(measurement.plus(other.measurement));
    }
}
