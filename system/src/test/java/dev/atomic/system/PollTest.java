package dev.atomic.system;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PollTest {

    @Test
    void marksExactlyTheReadyDescriptors() {
        try (EventFd a = EventFd.create(); EventFd b = EventFd.create(); EventFd c = EventFd.create()) {
            int[] fds = {a.fd(), b.fd(), c.fd()};
            boolean[] ready = {true, true, true};
            assertEquals(0, Poll.poll(fds, 0, ready));
            assertArrayEquals(new boolean[] {false, false, false}, ready);

            a.signal(1);
            c.signal(1);
            assertEquals(2, Poll.poll(fds, 1000, ready));
            assertArrayEquals(new boolean[] {true, false, true}, ready);

            a.await();
            assertEquals(1, Poll.poll(fds, 1000, ready));
            assertArrayEquals(new boolean[] {false, false, true}, ready);
        }
    }

    @Test
    void waitsForTheTimeout() {
        try (EventFd a = EventFd.create()) {
            long start = System.nanoTime();
            assertEquals(0, Poll.poll(new int[] {a.fd()}, 100, new boolean[1]));
            assertTrue(System.nanoTime() - start >= 100_000_000L);
        }
    }

    @Test
    void aClosedDescriptorIsACallerBug() {
        EventFd a = EventFd.create();
        int fd = a.fd();
        a.close();
        assertThrows(IllegalArgumentException.class, () -> Poll.poll(new int[] {fd}, 0, new boolean[1]));
        assertThrows(IllegalArgumentException.class, () -> Poll.poll(new int[] {1, 2}, 0, new boolean[1]));
    }
}
