package dev.atomic.system;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventFdTest {

    @Test
    void signalsAddUpAndAwaitResetsTheCounter() {
        try (EventFd e = EventFd.create()) {
            e.signal(3);
            e.signal(4);
            assertEquals(7, e.await());
            e.signal(1);
            assertEquals(1, e.await());
        }
    }

    @Test
    void awaitBlocksUntilAnotherThreadSignals() throws Exception {
        try (EventFd e = EventFd.create()) {
            CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(e::await);
            Thread.sleep(50);
            assertFalse(waiter.isDone(), "nothing signalled yet");
            e.signal(5);
            assertEquals(5, waiter.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aFailedWriteNamesTheCallAndTheErrno() {
        EventFd e = EventFd.create();
        e.close();
        SyscallException x = assertThrows(SyscallException.class, () -> e.signal(1));
        assertEquals("write", x.call());
        assertEquals("EBADF", x.errnoName());
        e.close();
    }
}
