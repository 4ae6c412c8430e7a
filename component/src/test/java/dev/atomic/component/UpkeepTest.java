package dev.atomic.component;

import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the component host hands the Engine: changed checkpoints only, and health after three failures in a row. */
class UpkeepTest {
    private final List<String> sent = new ArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private byte[] state = {1};
    private Health health = Health.OK;

    private final Component component = new Component() {
        @Override
        public byte[] checkpoint() {
            return state;
        }

        @Override
        public Health health() {
            return health;
        }
    };

    private Upkeep upkeep(boolean checkpointed, int maxCheckpoint) {
        return new Upkeep(component, Watch.DEFAULT, checkpointed, sender(maxCheckpoint), new PrintStream(log, true));
    }

    /** Keeps what upkeep sends, in words. */
    private Upkeep.Sender sender(int maxCheckpoint) {
        return new Upkeep.Sender() {
            @Override
            public boolean checkpoint(byte[] s) {
                return sent.add("checkpoint " + s.length);
            }

            @Override
            public boolean unhealthy(String why) {
                return sent.add("unhealthy: " + why);
            }

            @Override
            public int maxCheckpoint() {
                return maxCheckpoint;
            }
        };
    }

    /** A host starts upkeep's thread ahead: once its component runs, the periodic work starts no thread. */
    @Test
    void itsPeriodicWorkRunsOnTheThreadStartedAhead() throws Exception {
        java.util.concurrent.ScheduledThreadPoolExecutor timer = Upkeep.timer();
        assertTrue(timer.prestartCoreThread());
        java.util.Set<Thread> ahead = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("upkeep")).collect(java.util.stream.Collectors.toSet());
        java.util.concurrent.CompletableFuture<Thread> checkedOn = new java.util.concurrent.CompletableFuture<>();
        Component asked = new Component() {
            @Override
            public Health health() {
                checkedOn.complete(Thread.currentThread());
                return Health.OK;
            }
        };
        try (Upkeep u = new Upkeep(asked, new Watch(java.time.Duration.ofSeconds(5), java.time.Duration.ofMillis(100),
                java.time.Duration.ofSeconds(10)), false, timer, sender(4), new PrintStream(log, true))) {
            u.start();
            Thread on = checkedOn.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(ahead.contains(on), "checked on " + on + ", not on the thread started ahead: " + ahead);
            assertEquals(1, timer.getLargestPoolSize(), "no other thread started");
        }
    }

    @Test
    void aCheckpointIsHandedOverOnlyWhenItChanged() {
        Upkeep u = upkeep(true, 4);
        u.checkpoint();
        u.checkpoint();
        state = new byte[]{1, 2};
        u.checkpoint();
        state = new byte[5];
        u.checkpoint();
        assertEquals(List.of("checkpoint 1", "checkpoint 2"), sent);
        assertEquals("checkpoint of 5 bytes not handed over: at most 4 fit one frame\n", log.toString());
        upkeep(false, 4).checkpoint();
        assertEquals(2, sent.size(), "a stateless component hands nothing over");
    }

    @Test
    void healthIsReportedAfterThreeFailuresInARowOnce() {
        Upkeep u = upkeep(false, 4);
        health = Health.failing("disk gone");
        u.checkHealth();
        u.checkHealth();
        health = Health.OK;
        u.checkHealth();
        health = Health.failing("disk gone");
        u.checkHealth();
        u.checkHealth();
        assertEquals(List.of(), sent, "a blip, then two: not yet");
        u.checkHealth();
        u.checkHealth();
        assertEquals(List.of("unhealthy: disk gone"), sent);
    }
}
