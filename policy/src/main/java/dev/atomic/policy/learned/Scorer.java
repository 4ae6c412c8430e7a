package dev.atomic.policy.learned;

/** A learned model's judgement of one tick's {@link Features}: the higher, the more alarming. */
public interface Scorer {
    double score(double[] features);

    /** What the score means, for a reason: "unlike its own baseline", "fails within 30 s". */
    String meaning(double score);
}
