package dev.atomic.sovereign;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A spare is seen waiting only while a thread of it is blocked reading its standard input. */
class SpareProbeTest {
    @Test
    void aProcessReadingItsInputIsWaitingAndASleepingOneIsNot() throws Exception {
        Process reading = new ProcessBuilder("cat").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Process sleeping = new ProcessBuilder("sleep", "60").redirectInput(ProcessBuilder.Redirect.PIPE).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!SpareProbe.waiting(reading.pid()) && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            assertTrue(SpareProbe.waiting(reading.pid()), "cat, blocked reading its input, is not seen waiting");
            assertFalse(SpareProbe.waiting(sleeping.pid()), "sleep, in nanosleep, is seen waiting");
            assertTrue(SpareProbe.rssBytes(reading.pid()).orElseThrow() > 0);
            reading.getOutputStream().close(); // end of input: cat exits, as a dropped spare does
            assertTrue(reading.waitFor(20, TimeUnit.SECONDS));
            assertFalse(SpareProbe.waiting(reading.pid()), "a process that is gone is not waiting");
            assertTrue(SpareProbe.rssBytes(reading.pid()).isEmpty());
            assertTrue(SpareProbe.availableBytes().orElseThrow() > 0);
        } finally {
            reading.toHandle().destroy();
            sleeping.toHandle().destroy();
        }
    }
}
