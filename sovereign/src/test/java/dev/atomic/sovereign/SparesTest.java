package dev.atomic.sovereign;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Image;
import dev.atomic.component.Kernel;
import dev.atomic.component.RestartPolicy;
import dev.atomic.component.SandboxGrants;
import dev.atomic.component.StateKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spares asked for by the Engine (PREWARM), for components whose manifests ask for none. */
class SparesTest {
    private static final ComponentSpec LEAKY = new ComponentSpec("leaky", Kernel.SERVICES, "service",
            Image.java("x.Leaky"), List.of(), List.of(), 1, 1, 1, 0, 0, "1.0.0", RestartPolicy.DEFAULT,
            StateKind.STATELESS, SandboxGrants.NONE, 2);

    /** Launches {@code cat} as the spare: like a spare host, it blocks reading its standard input. */
    private static final class CatHost implements Spares.Host {
        final AtomicInteger launched = new AtomicInteger();
        volatile boolean fail;

        @Override
        public Spares.Spare launch(int slot) throws IOException {
            if (fail) {
                throw new IOException("no sandbox here");
            }
            launched.incrementAndGet();
            Process p = new ProcessBuilder("cat").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return new Spares.Spare(slot, null, p, p.pid());
        }

        @Override
        public boolean ready(int slot) {
            return true;
        }

        @Override
        public void forget(Process process) {
        }

        @Override
        public void say(String line) {
        }

        @Override
        public void stage(String text, long nanos) {
        }
    }

    private record Answer(boolean ready, String words) {
    }

    private static Answer prewarm(Spares spares, int slot) throws Exception {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        spares.prewarm(slot, (ready, words) -> answer.complete(new Answer(ready, words)));
        return answer.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aSpareAskedForWaitsTakesOverOnceAndIsNotReplaced() throws Exception {
        assertFalse(Spares.wanted(LEAKY), "the manifest asks for no spare");
        CatHost host = new CatHost();
        try (Spares spares = new Spares(List.of(LEAKY), host)) {
            spares.arm();
            Answer first = prewarm(spares, 0);
            assertTrue(first.ready(), first.words());
            assertTrue(first.words().startsWith("is ready (pid "), first.words());
            Answer again = prewarm(spares, 0);
            assertTrue(again.ready(), again.words());
            assertEquals(1, host.launched.get(), "a spare already waiting is not started twice");

            Spares.Spare spare = spares.take(0, null);
            assertTrue(spare != null && spare.process().isAlive(), "the waiting spare is taken");
            spares.replenish(0);
            CountDownLatch drained = new CountDownLatch(1);
            spares.then(drained::countDown);
            assertTrue(drained.await(30, TimeUnit.SECONDS));
            assertEquals(1, host.launched.get(), "a spare the manifest does not ask for is not replaced");
            assertSame(null, spares.take(0, null), "nothing waits after it was taken");
            spare.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSpareThatCannotBeStartedIsAnsweredWithWhy() throws Exception {
        CatHost host = new CatHost();
        host.fail = true;
        try (Spares spares = new Spares(List.of(LEAKY), host)) {
            Answer answer = prewarm(spares, 0);
            assertFalse(answer.ready());
            assertEquals("could not be started: no sandbox here", answer.words());
        }
    }
}
