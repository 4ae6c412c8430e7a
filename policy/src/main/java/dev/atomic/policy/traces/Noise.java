package dev.atomic.policy.traces;

import java.util.SplittableRandom;

/** The random draws a trace is made of, all from one seeded generator: the same seed, the same trace. */
final class Noise {
    private final SplittableRandom random;

    Noise(long seed) {
        this.random = new SplittableRandom(seed);
    }

    double uniform(double from, double to) {
        return from + random.nextDouble() * (to - from);
    }

    /** Uniform in the logarithm: a rate as likely to be 10/s as 1000/s. */
    double logUniform(double from, double to) {
        return Math.exp(uniform(Math.log(from), Math.log(to)));
    }

    int between(int from, int toInclusive) {
        return random.nextInt(from, toInclusive + 1);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    double gaussian() {
        return random.nextGaussian();
    }

    /** A Poisson count: exact for small means, the normal approximation for large ones. */
    long poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 30) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
        }
        double limit = Math.exp(-mean);
        double p = random.nextDouble();
        long k = 0;
        while (p > limit) {
            p *= random.nextDouble();
            k++;
        }
        return k;
    }
}
