package dev.atomic.component;

import java.time.Duration;

/**
 * When the Engine starts a failed component again: on any exit it did not ask for, or never; and how often before it
 * gives up on it (more than {@code limit} failures within {@code window}).
 */
public record RestartPolicy(Mode mode, int limit, Duration window) {
    public enum Mode {
        ON_FAILURE("on-failure"), NEVER("never");

        private final String word;

        Mode(String word) {
            this.word = word;
        }

        /** The spelling in manifests. */
        public String word() {
            return word;
        }
    }

    static final int MAX_LIMIT = 1000;
    static final Duration MAX_WINDOW = Duration.ofHours(1);
    /** At most 5 restarts in 30 s: Atomic's default since its first boot. */
    public static final RestartPolicy DEFAULT = new RestartPolicy(Mode.ON_FAILURE, 5, Duration.ofSeconds(30));

    public RestartPolicy {
        String problem = limitProblem(limit) != null ? limitProblem(limit) : windowProblem(window);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    static String limitProblem(long limit) {
        return limit >= 0 && limit <= MAX_LIMIT ? null : "a restart limit is 0 to " + MAX_LIMIT + ", not " + limit;
    }

    static String windowProblem(Duration window) {
        return window.compareTo(Duration.ofSeconds(1)) >= 0 && window.compareTo(MAX_WINDOW) <= 0 ? null
                : "a restart window is 1s to 1h, not " + window.toMillis() + "ms";
    }
}
