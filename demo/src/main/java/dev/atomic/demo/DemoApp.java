package dev.atomic.demo;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.Injection;
import dev.atomic.component.ServiceClient;
import dev.atomic.console.service.Console;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A Drivers &amp; Apps component that keeps calling the echo service and checks every answer: the traffic the boot
 * report and the restart tests watch. Every {@link #ROUND} it has the on-demand digest service (started by its first
 * call, frozen in between) digest what it was answered, asks the console service for its one-line summary, and counts
 * the input driver's key presses and the sensor driver's readings it received; where it is granted the file system
 * driver's mount, it writes files there and reads them back ({@link MountJournal}); all go to its log. It offers
 * test hooks for {@code atomic inject} hang, leak and storm.
 */
public final class DemoApp implements Component {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final long PAUSE_MILLIS = 20;
    static final Duration ROUND = Duration.ofSeconds(10);
    /** The digest service's first call starts its JVM. */
    private static final Duration DIGEST_TIMEOUT = Duration.ofSeconds(15);
    private static final long LEAK_BYTES = 8L << 20;

    private volatile boolean running = true;
    private Echo echo;
    /** The untyped client: zero-copy calls lend a pool buffer, which a typed stub does not. */
    private ServiceClient pooled;
    private ComponentContext context;
    private Digest digest;
    private Console console;
    /** Null unless its manifest grants it the fs driver's mount. */
    private MountJournal journal;
    /** What echo answered since the last round, for the digest. */
    private final StringBuilder answered = new StringBuilder();
    /** Since the last round: key presses, and readings (a coalesced event stands for several). */
    private final java.util.concurrent.atomic.LongAdder keys = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder readings = new java.util.concurrent.atomic.LongAdder();

    @Override
    public void init(ComponentContext context) {
        this.context = context;
        this.echo = context.client(Echo.class, TIMEOUT);
        this.pooled = context.client("echo");
        // The default system grants all of these; a smaller system (a test's, an older release's) only echo.
        if (calls(context, "digest")) {
            this.digest = context.client(Digest.class, DIGEST_TIMEOUT);
        }
        if (calls(context, "console")) {
            this.console = context.client(Console.class, TIMEOUT);
        }
        if (context.spec().provides("input-events")) {
            context.onEvent("input-events", (method, event, count) -> keys.add(count));
        }
        if (context.spec().provides("readings")) {
            context.onEvent("readings", (method, event, count) -> readings.add(count));
        }
        context.mount("fs").ifPresent(mount -> journal = new MountJournal(mount, context.log()));
    }

    private static boolean calls(ComponentContext context, String service) {
        return context.spec().calls().stream().anyMatch(c -> c.name().equals(service));
    }

    @Override
    public void start() {
        Thread.ofPlatform().name("demo-app").daemon().start(this::loop);
        Thread.ofPlatform().name("demo-app-rounds").daemon().start(this::rounds);
        if (journal != null) {
            Thread.ofPlatform().name("demo-app-files").daemon().start(this::files);
        }
    }

    /** Files written into the fs driver's mount and read back, one every {@link MountJournal#EVERY_MILLIS}. */
    private void files() {
        while (running) {
            journal.once();
            pause(MountJournal.EVERY_MILLIS);
        }
    }

    /** Every round: the digest of what echo answered, and the console's summary of the system. */
    private void rounds() {
        while (running) {
            try {
                Thread.sleep(ROUND);
            } catch (InterruptedException e) {
                return;
            }
            String text;
            synchronized (answered) {
                text = answered.toString();
                answered.setLength(0);
            }
            try {
                if (digest != null) {
                    context.log().println("demo-app: digest of " + text.length() + " answered bytes: "
                            + digest.sha256(text));
                }
            } catch (CallFailedException e) {
                context.log().println("demo-app: digest: " + e.getMessage());
            }
            context.log().println("demo-app: " + keys.sumThenReset() + " key press(es) from input, "
                    + readings.sumThenReset() + " reading(s) from sensor");
            if (journal != null) {
                context.log().println("demo-app: " + journal.round());
            }
            try {
                if (console != null) {
                    context.log().println("demo-app: the console says: " + console.summary());
                }
            } catch (CallFailedException e) {
                context.log().println("demo-app: console: " + e.getMessage());
            }
        }
    }

    /** Every tenth call lends its text in a pool buffer instead of copying it through the lanes. */
    private void loop() {
        long n = 0;
        while (running) {
            String text = "hello #" + n;
            try {
                String answer = n++ % 10 == 9 ? lent(text) : echo.upper(text);
                if (!answer.equals(text.toUpperCase(Locale.ROOT))) {
                    context.log().println("demo-app: wrong answer to '" + text + "': '" + answer + "'");
                }
                synchronized (answered) {
                    answered.append(answer).append('\n');
                }
            } catch (CallFailedException e) {
                context.log().println("demo-app: " + e.getMessage());
            }
            pause();
        }
    }

    /** The call {@link Echo#upper} makes, its text lent in a pool buffer: a lone string is the whole request. */
    private String lent(String text) throws CallFailedException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new String(pooled.callPooled(Echo.UPPERCASE, bytes.length,
                buffer -> MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length), TIMEOUT),
                StandardCharsets.UTF_8);
    }

    private static void pause() {
        pause(PAUSE_MILLIS);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * atomic inject: a hang stops the lane thread this runs on (no heartbeat); a leak grows its resident memory by
     * {@link #LEAK_BYTES} four times a second, off the heap, so the JVM's heap limit does not stop it first; a storm
     * sends events to echo as fast as the lane takes them.
     */
    @Override
    public Runnable inject(Injection kind) {
        return switch (kind) {
            case HANG -> () -> {
                while (true) {
                    java.util.concurrent.locks.LockSupport.park();
                }
            };
            case LEAK -> () -> Thread.ofPlatform().name("demo-app-leak").daemon().start(() -> {
                while (true) {
                    Arena.global().allocate(LEAK_BYTES).fill((byte) 1); // touched: resident, and never freed
                    pause(250);
                }
            });
            case STORM -> () -> Thread.ofPlatform().name("demo-app-storm").daemon().start(() -> {
                byte[] event = "storm".getBytes(StandardCharsets.UTF_8);
                while (true) {
                    pooled.emit(Echo.UPPERCASE, event);
                }
            });
            case CRASH -> null; // the Engine's own kill, never asked of the component
        };
    }

    @Override
    public void stop() {
        running = false;
    }
}
