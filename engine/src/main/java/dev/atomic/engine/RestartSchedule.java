package dev.atomic.engine;

import dev.atomic.component.RestartPolicy;
import dev.atomic.component.Say;

import java.time.Duration;
import java.util.Deque;

/**
 * What follows a component's failure under its restart policy: a restart after a back-off delay, or giving up, with
 * the reason. A pure function of the policy, the failures kept and the time, so that it is tested without a clock.
 */
final class RestartSchedule {
    /**
     * @param attempt the restart's number within the window (1 for the first)
     * @param delay   how long to wait before it; zero when given up
     * @param reason  why it was given up on; null when it is restarted
     */
    record Decision(int attempt, Duration delay, String reason) {
        boolean givenUp() {
            return reason != null;
        }
    }

    private RestartSchedule() {
    }

    /** Records a failure seen at {@code now} (nanoseconds) in {@code failures}, forgetting those outside the window. */
    static Decision next(RestartPolicy policy, Deque<Long> failures, long now) {
        if (policy.mode() == RestartPolicy.Mode.NEVER) {
            return new Decision(0, Duration.ZERO, "its restart policy is 'never'");
        }
        long window = policy.window().toNanos();
        failures.addLast(now);
        while (!failures.isEmpty() && now - failures.peekFirst() > window) {
            failures.removeFirst();
        }
        int n = failures.size();
        if (n > policy.limit()) {
            return new Decision(n, Duration.ZERO, "it failed " + n + " times in " + Say.duration(policy.window())
                    + " (at most " + policy.limit() + " restarts)");
        }
        return new Decision(n, policy.delayBefore(n), null);
    }
}
