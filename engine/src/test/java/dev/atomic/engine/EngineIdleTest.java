package dev.atomic.engine;

import dev.atomic.bridge.Doorbell;
import dev.atomic.system.FutexSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** When the duty cycle goes to sleep: a sleep asks whether there is work first, which the test counts. */
class EngineIdleTest {
    private final AtomicInteger sleeps = new AtomicInteger();
    /** When the Engine's first held event is due. */
    private long due = Long.MAX_VALUE;

    private EngineIdle idle(Arena arena, boolean spinOnly) {
        assumeTrue(FutexSet.supported(), "futex_waitv is needed for the doorbell sleep");
        MemorySegment word = arena.allocate(Doorbell.LENGTH, 64);
        Doorbell bell = new Doorbell(new UnsafeBuffer(word.address(), Doorbell.LENGTH), word, 0);
        return new EngineIdle(spinOnly, List.of(bell), new HostLocks(new Member[0], null), () -> {
            sleeps.incrementAndGet();
            return true; // there is work: awaitAny returns without waiting
        }, () -> due);
    }

    @Test
    void whileTheComponentsStartItSleepsAtTheFirstIdleCycle() {
        try (Arena arena = Arena.ofConfined(); EngineIdle idle = idle(arena, false)) {
            idle.idle(1);
            idle.idle(0);
            assertEquals(1, sleeps.get());
            idle.idle(0);
            assertEquals(2, sleeps.get());
        }
    }

    @Test
    void onceStartedItSpinsAndYieldsBeforeItSleeps() {
        try (Arena arena = Arena.ofConfined(); EngineIdle idle = idle(arena, false)) {
            idle.started();
            idle.idle(1);
            int rounds = 0;
            while (sleeps.get() == 0) {
                idle.idle(0);
                rounds++;
            }
            assertEquals(220, rounds); // 200 spins, 20 yields, then the sleep
            idle.idle(1); // work starts the count again
            idle.idle(0);
            assertEquals(1, sleeps.get());
        }
    }

    @Test
    void onItsReservedCpuItNeverSleepsEvenWhileTheComponentsStart() {
        try (Arena arena = Arena.ofConfined(); EngineIdle idle = idle(arena, true)) {
            for (int i = 0; i < 1000; i++) {
                idle.idle(0);
            }
            assertEquals(0, sleeps.get());
        }
    }

    @Test
    void itDoesNotSleepPastAHeldEventsWindow() {
        try (Arena arena = Arena.ofConfined(); EngineIdle idle = idle(arena, false)) {
            due = System.nanoTime() - 1; // a coalesced event's window has ended: the next cycle delivers it
            idle.idle(0);
            assertEquals(0, sleeps.get());
            due = Long.MAX_VALUE;
            idle.idle(0);
            assertEquals(1, sleeps.get());
        }
    }
}
