package dev.atomic.component;

import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.bridge.Priority;
import dev.atomic.system.SharedMemory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.atomic.component.SystemSpec.refs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A component whose start calls a service still coming up waits for it, within the call's timeout, instead of
 * failing at once; one given up on fails at once; and once started, a call to a provider being restarted fails at
 * once, as before. A call a new Engine sends back (its dead predecessor held the only other copy) is sent again
 * once its provider is up. The test plays the Engine on a lane segment in memory.
 */
class StartWaitsForProvidersTest {
    private static final SystemSpec SYSTEM = new SystemSpec("start", List.of(
            new ComponentSpec("app", Kernel.DAK, "app", "x.App", refs(), refs("echo@1"), 64 << 20, 16,
                    SystemSpec.DEFAULT_RATE),
            new ComponentSpec("echo", Kernel.SERVICES, "service", "x.Echo", refs("echo@1"), refs(), 64 << 20, 16,
                    SystemSpec.DEFAULT_RATE)));
    private static final int ECHO = SYSTEM.serviceId("echo");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** Calls echo in its start, and once more when asked, keeping what each call gave. */
    private static final class Caller implements Component {
        final AtomicReference<String> inStart = new AtomicReference<>();
        private ComponentContext context;

        @Override
        public void init(ComponentContext context) {
            this.context = context;
        }

        @Override
        public void start() {
            inStart.set(call());
        }

        String call() {
            try {
                return new String(context.client("echo").call(1, "hi".getBytes(StandardCharsets.UTF_8), TIMEOUT),
                        StandardCharsets.UTF_8);
            } catch (CallFailedException e) {
                return "failed: " + e.getMessage();
            }
        }
    }

    @Test
    void aCallInStartWaitsForAProviderStillComingUp() throws Exception {
        try (Engine engine = new Engine()) {
            engine.welcome(FrameType.DOWN_RESTARTING, "echo is down: its provider echo is starting, not ready yet");
            Thread.sleep(300); // start is now waiting, not failed
            assertEquals(null, engine.caller.inStart.get(), "it waits while echo comes up");
            engine.serviceUp();
            engine.answerOneRequest("HI");
            engine.awaitReady();
            assertEquals("HI", engine.caller.inStart.get());

            // Started: a provider being restarted now fails calls at once, as a dependent of a crash should see it.
            engine.serviceDown(FrameType.DOWN_RESTARTING, "echo is down: its provider echo is restarting");
            engine.awaitDelivered();
            AtomicReference<String> later = new AtomicReference<>();
            long began = System.nanoTime();
            Thread t = Thread.ofPlatform().start(() -> later.set(engine.caller.call()));
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertEquals("failed: call to echo failed at once: echo is down: its provider echo is restarting",
                    later.get());
            assertTrue(System.nanoTime() - began < TIMEOUT.toNanos(), "it did not wait out the call's timeout");
        }
    }

    @Test
    void aProviderGivenUpOnIsNotWaitedFor() throws Exception {
        try (Engine engine = new Engine()) {
            engine.welcome(FrameType.DOWN_GIVEN_UP, "echo is down: its provider echo was given up on: crash loop");
            engine.awaitReady();
            assertEquals("failed: call to echo failed at once: echo is down: its provider echo was given up on: "
                    + "crash loop", engine.caller.inStart.get());
        }
    }

    @Test
    void aCallANewEngineSendsBackIsSentAgainOnceItsProviderIsUp() throws Exception {
        try (Engine engine = new Engine()) {
            engine.welcome(FrameType.DOWN_RESTARTING, "echo is down: its provider echo is starting, not ready yet");
            engine.serviceUp();
            engine.answerOneRequest("HI");
            engine.awaitReady();

            AtomicReference<String> later = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> later.set(engine.caller.call()));
            long first = engine.request();
            // A new Engine found it held by its dead predecessor: echo said down first, then the call sent back.
            engine.serviceDown(FrameType.DOWN_RESTARTING, "echo is down: its provider echo is restarting");
            engine.error(first, FrameType.ERROR_RESEND, "its copy died with the Engine: call again");
            Thread.sleep(300);
            assertEquals(null, later.get(), "neither failed nor sent again while echo is down");
            engine.serviceUp();
            long again = engine.request();
            assertTrue(again != first, "sent again as a new call: " + first + ", " + again);
            engine.reply(again, "AGAIN");
            t.join(TimeUnit.SECONDS.toMillis(15));
            assertEquals("AGAIN", later.get());

            // The usual ERROR fails the call: it is not sent again.
            t = Thread.ofPlatform().start(() -> later.set(engine.caller.call()));
            engine.error(engine.request(), FrameType.ERROR_FAILED, "echo said no");
            t.join(TimeUnit.SECONDS.toMillis(15));
            assertEquals("failed: echo said no", later.get());
        }
    }

    /** The Engine's side: HELLO answered with a WELCOME granting echo, then what the test says. */
    private static final class Engine implements AutoCloseable {
        final Caller caller = new Caller();
        private final LaneSegment segment;
        private final Thread lane;
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private boolean ready;

        Engine() {
            LaneSegment.Capacities capacities = LaneSegment.Capacities.uniform(64 * 1024);
            segment = LaneSegment.format(SharedMemory.create("start-waits-test", LaneSegment.sizeFor(capacities)), 0,
                    capacities);
            ComponentHost host = ComponentHost.rehearsing("app", segment, SYSTEM,
                    new PrintStream(OutputStream.nullOutputStream()));
            segment.componentPid(ProcessHandle.current().pid());
            lane = Thread.ofPlatform().daemon().start(() -> {
                try {
                    host.serve(-1, () -> caller);
                } catch (Exception e) {
                    failure.set(e);
                }
            });
        }

        /** Waits for HELLO; answers WELCOME with echo granted, and echo said down with {@code status}. */
        void welcome(int status, String why) {
            read(type -> type == FrameType.HELLO, "HELLO");
            UnsafeBuffer w = new UnsafeBuffer(new byte[256]);
            int at = 0;
            w.putInt(at, 1);
            w.putInt(at + 4, ECHO);
            w.putInt(at + 8, 1);
            at += 12;
            at += w.putStringUtf8(at, "echo");
            at += w.putStringUtf8(at, "");
            w.putInt(at, 0); // no pools
            at += 4;
            // As the Engine does: what is down first (critical lane), then WELCOME.
            serviceDown(status, why);
            segment.deliveries().lane(Priority.NORMAL).offer(FrameType.WELCOME, -1, 0, 0, 0, 0, 0, w, 0, at);
        }

        void serviceDown(int status, String why) {
            byte[] text = why.getBytes(StandardCharsets.UTF_8);
            assertTrue(segment.deliveries().lane(Priority.CRITICAL).offer(FrameType.SERVICE_DOWN, -1, ECHO, 0, status,
                    0, 0, new UnsafeBuffer(text), 0, text.length));
        }

        /** Until the host's lane thread has handled what was sent to it (a ring's head moves past what it handled). */
        void awaitDelivered() throws InterruptedException {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!segment.deliveries().lane(Priority.CRITICAL).isEmpty()) {
                assertTrue(System.nanoTime() - giveUp < 0, "the host did not read its critical lane within 15 s");
                Thread.sleep(1);
            }
        }

        void serviceUp() {
            byte[] text = "echo is back".getBytes(StandardCharsets.UTF_8);
            assertTrue(segment.deliveries().lane(Priority.CRITICAL).offer(FrameType.SERVICE_UP, -1, ECHO, 0, 0, 0, 0,
                    new UnsafeBuffer(text), 0, text.length));
        }

        void answerOneRequest(String answer) {
            reply(request(), answer);
        }

        /** The correlation of the next call the host sends. */
        long request() {
            long[] correlation = {-1};
            read(type -> type == FrameType.REQUEST, "the call", (b, i) -> correlation[0] = Frame.correlation(b, i));
            return correlation[0];
        }

        void reply(long correlation, String answer) {
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            assertTrue(segment.deliveries().lane(Priority.NORMAL).offer(FrameType.REPLY, 0, 1, 0, 1, 0,
                    correlation, 0, new UnsafeBuffer(bytes), 0, bytes.length));
        }

        /** An ERROR, on the critical lane as a new Engine sends back a call its predecessor held. */
        void error(long correlation, int status, String why) {
            byte[] bytes = why.getBytes(StandardCharsets.UTF_8);
            assertTrue(segment.deliveries().lane(Priority.CRITICAL).offer(FrameType.ERROR, -1, 0, 1, status,
                    correlation, 0, new UnsafeBuffer(bytes), 0, bytes.length));
        }

        void awaitReady() {
            if (!ready) {
                read(type -> type == FrameType.COMPONENT_READY, "COMPONENT_READY");
                ready = true;
            }
        }

        private void read(java.util.function.IntPredicate wanted, String what) {
            read(wanted, what, (b, i) -> { });
        }

        /** Reads what the host sends until a frame {@code wanted}, seen by {@code seen}. */
        private void read(java.util.function.IntPredicate wanted, String what,
                          java.util.function.ObjIntConsumer<org.agrona.DirectBuffer> seen) {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            boolean[] found = {false};
            while (!found[0]) {
                segment.requests().poll((type, b, index, length) -> {
                    if (!found[0] && wanted.test(type)) {
                        found[0] = true;
                        seen.accept(b, index);
                    }
                }, 1);
                if (failure.get() != null) {
                    throw new AssertionError("the host failed", failure.get());
                }
                if (System.nanoTime() - giveUp > 0) {
                    throw new AssertionError("the host sent no " + what + " within 15 s");
                }
                segment.requests().await(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }

        @Override
        public void close() throws InterruptedException {
            segment.deliveries().lane(Priority.CRITICAL).offer(FrameType.STOP, -1, 0, 0, 0, 0, 0);
            lane.join(TimeUnit.SECONDS.toMillis(10));
            segment.close();
        }
    }
}
