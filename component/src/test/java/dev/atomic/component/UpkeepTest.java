package dev.atomic.component;

import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        return new Upkeep(component, Watch.DEFAULT, checkpointed, new Upkeep.Sender() {
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
        }, new PrintStream(log, true));
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
