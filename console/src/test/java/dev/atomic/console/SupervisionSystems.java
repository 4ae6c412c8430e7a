package dev.atomic.console;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.SystemProvider;
import dev.atomic.component.SystemSpec;
import dev.atomic.component.kabi.Method;
import dev.atomic.component.kabi.Service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system {@code SupervisionEndToEndTest} boots: a checkpointed counter, a tally that counts through it with calls
 * under way when it is killed and logs what it sees, and a component that crashes soon after each start.
 */
public final class SupervisionSystems implements SystemProvider {
    static final String NAME = "supervision";
    /** How long the calls under way at the kill take: long enough for the test to kill the counter meanwhile. */
    static final int SLOW_MILLIS = 4_000;

    @Override
    public Optional<SystemSpec> system(String name) {
        return ManifestSystems.ifAsked(name, SupervisionSystems.class, NAME);
    }

    @Service(name = "counter", version = 1)
    public interface CounterV1 {
        @Method(id = 1)
        long add(int n) throws CallFailedException;

        @Method(id = 2, idempotent = true)
        long total() throws CallFailedException;

        /** The total after a wait: a read, safe to replay. */
        @Method(id = 3, idempotent = true)
        long slowTotal(int millis) throws CallFailedException;

        /** An addition after a wait: not safe to replay. */
        @Method(id = 4)
        long slowAdd(int millis, int n) throws CallFailedException;
    }

    public static final class Counter implements Component, CounterV1 {
        private final AtomicLong total = new AtomicLong();

        @Override
        public void init(ComponentContext context) {
            context.provide(CounterV1.class, this);
        }

        @Override
        public byte[] checkpoint() {
            return ByteBuffer.allocate(8).putLong(total.get()).array();
        }

        @Override
        public void restore(byte[] state) {
            total.set(ByteBuffer.wrap(state).getLong());
        }

        @Override
        public long add(int n) {
            return total.addAndGet(n);
        }

        @Override
        public long total() {
            return total.get();
        }

        @Override
        public long slowTotal(int millis) {
            sleep(millis);
            return total.get();
        }

        @Override
        public long slowAdd(int millis, int n) {
            sleep(millis);
            return total.addAndGet(n);
        }

        private static void sleep(int millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Adds 1 ten times, waits for a checkpoint, then makes two slow calls at once and says so ("in flight"), for the
     * test to kill the counter under them. It logs what each call ends with, every state change of the counter
     * service, a call made while it is down, and the total once it is back.
     */
    public static final class Tally implements Component {
        private ComponentContext context;
        private CounterV1 counter;

        @Override
        public void init(ComponentContext context) {
            this.context = context;
            this.counter = context.client(CounterV1.class, Duration.ofSeconds(30));
            context.onServiceState((service, up, detail) -> {
                say(service + (up ? " up: " : " down: ") + detail);
                if (!up) {
                    // Right here, before anything else is read: a call while down fails at once, never waits.
                    say("call while down: " + attempt(counter::total));
                } else {
                    Thread.ofVirtual().start(() -> say("total once back: " + attempt(counter::total)));
                }
            });
        }

        @Override
        public void start() {
            Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10; i++) {
                    attempt(() -> counter.add(1));
                }
                say("total " + attempt(counter::total));
                sleep(1_000); // a checkpoint of 10 is taken every 200 ms
                Thread replayable = Thread.ofPlatform().start(() ->
                        say("idempotent call: " + attempt(() -> counter.slowTotal(SLOW_MILLIS))));
                Thread other = Thread.ofPlatform().start(() ->
                        say("non-idempotent call: " + attempt(() -> counter.slowAdd(SLOW_MILLIS, 5))));
                sleep(300); // both reach the counter
                say("in flight");
                join(replayable);
                join(other);
            });
        }

        private interface Call {
            long call() throws CallFailedException;
        }

        private static String attempt(Call call) {
            try {
                return "answered " + call.call();
            } catch (CallFailedException e) {
                return "failed: " + e.getMessage();
            }
        }

        private void say(String line) {
            context.log().println("tally: " + line);
        }

        private static void join(Thread t) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void sleep(int millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Up, then dead 300 ms later: a crash loop. */
    public static final class Crasher implements Component {
        @Override
        public void start() {
            Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Runtime.getRuntime().halt(1);
            });
        }
    }

    /**
     * Its first incarnation leaks 4 MiB of touched native memory every 250 ms until it is stopped; the next ones,
     * finding the mark it left in its state directory, do not.
     */
    public static final class Leaker implements Component {
        @Override
        public void start() throws IOException {
            Path mark = Path.of(System.getenv("ATOMIC_STATE_DIR"), "leaked-once");
            if (java.nio.file.Files.exists(mark)) {
                return;
            }
            java.nio.file.Files.createFile(mark);
            Thread.ofPlatform().daemon().start(() -> {
                while (true) {
                    java.lang.foreign.Arena.global().allocate(4 << 20).fill((byte) 1);
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
    }

    /** Its first incarnation says it has lost its disk at every health check; the next ones are well. */
    public static final class Sick implements Component {
        private boolean first;

        @Override
        public void start() throws IOException {
            Path mark = Path.of(System.getenv("ATOMIC_STATE_DIR"), "was-sick");
            first = !java.nio.file.Files.exists(mark);
            if (first) {
                java.nio.file.Files.createFile(mark);
            }
        }

        @Override
        public dev.atomic.component.Health health() {
            return first ? dev.atomic.component.Health.failing("lost its disk") : dev.atomic.component.Health.OK;
        }
    }
}
