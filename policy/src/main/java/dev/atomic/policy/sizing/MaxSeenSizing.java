package dev.atomic.policy.sizing;

/** The fixed rule policy 3 is measured against: 1.5 times the highest demand seen so far. */
public final class MaxSeenSizing extends Sizing {
    static final double HEADROOM = 1.5;
    static final String NAME = "max-seen";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    double need(Measure m, Window w) {
        return HEADROOM * w.ever();
    }

    @Override
    String how(Measure m, Window w, double need) {
        return HEADROOM + " times the highest seen, " + m.say(w.ever());
    }
}
