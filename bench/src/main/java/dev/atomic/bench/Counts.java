package dev.atomic.bench;

/** Messages a client sends before timing starts, then while timing. */
record Counts(int warmup, int measured) {
    Counts {
        if (warmup < 0 || measured <= 0) {
            throw new IllegalArgumentException("warm-up " + warmup + ", measured " + measured);
        }
    }
}
