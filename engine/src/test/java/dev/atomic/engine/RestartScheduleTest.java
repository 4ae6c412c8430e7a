package dev.atomic.engine;

import dev.atomic.component.RestartPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The back-off schedule, on a clock of the test's own: failures at chosen nanoseconds, no waiting. */
class RestartScheduleTest {
    private static final long SECOND = 1_000_000_000L;

    private static List<Duration> delays(RestartPolicy policy, int failures, long apart) {
        Deque<Long> kept = new ArrayDeque<>();
        List<Duration> out = new ArrayList<>();
        for (int i = 0; i < failures; i++) {
            RestartSchedule.Decision d = RestartSchedule.next(policy, kept, i * apart);
            out.add(d.givenUp() ? null : d.delay());
        }
        return out;
    }

    @Test
    void aSingleCrashRestartsAtOnceThenTheDelayDoublesUpToTheMaximum() {
        RestartPolicy policy = new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 8, Duration.ofMinutes(1),
                Duration.ZERO, Duration.ofMillis(500));
        assertEquals(List.of(Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(500), Duration.ofMillis(500)), delays(policy, 6, 1));
    }

    @Test
    void aFirstDelayIsWaitedFirstAndDoubledAfter() {
        RestartPolicy policy = new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 5, Duration.ofMinutes(1),
                Duration.ofMillis(300), Duration.ofSeconds(1));
        assertEquals(List.of(Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(600),
                Duration.ofSeconds(1)), delays(policy, 4, 1));
    }

    @Test
    void failuresOutsideTheWindowAreForgottenSoTheNextCrashRestartsAtOnce() {
        RestartPolicy policy = new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 2, Duration.ofSeconds(10));
        // 11 s apart: each failure is alone in its window, never backed off, never given up.
        assertEquals(List.of(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO), delays(policy, 4, 11 * SECOND));
        // 1 s apart: the third in 10 s is one too many.
        List<Duration> close = delays(policy, 3, SECOND);
        assertEquals(List.of(Duration.ZERO, Duration.ofMillis(100)), close.subList(0, 2));
        assertEquals(null, close.get(2), "given up on the third failure in the window");
    }

    @Test
    void givingUpSaysWhy() {
        Deque<Long> kept = new ArrayDeque<>();
        RestartPolicy policy = new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 1, Duration.ofSeconds(30));
        assertFalse(RestartSchedule.next(policy, kept, 0).givenUp());
        RestartSchedule.Decision last = RestartSchedule.next(policy, kept, SECOND);
        assertTrue(last.givenUp());
        assertEquals("it failed 2 times in 30 s (at most 1 restarts)", last.reason());
        assertEquals("its restart policy is 'never'", RestartSchedule.next(new RestartPolicy(
                RestartPolicy.Mode.NEVER, 5, Duration.ofSeconds(30)), new ArrayDeque<>(), 0).reason());
    }

    @Test
    void aVeryLongLoopNeverOverflowsTheDelay() {
        RestartPolicy policy = new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 1000, Duration.ofHours(1),
                Duration.ofMinutes(1), Duration.ofMinutes(10));
        assertEquals(Duration.ofMinutes(10), policy.delayBefore(1000));
        assertEquals(Duration.ofMinutes(10), policy.delayBefore(64));
    }
}
