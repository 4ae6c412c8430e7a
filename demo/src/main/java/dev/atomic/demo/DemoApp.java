package dev.atomic.demo;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ServiceClient;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A Drivers &amp; Apps component that keeps calling the echo service and checks every answer: the traffic the boot
 * report and the restart tests watch.
 */
public final class DemoApp implements Component {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final long PAUSE_MILLIS = 20;

    private volatile boolean running = true;
    private Echo echo;
    /** The untyped client: zero-copy calls lend a pool buffer, which a typed stub does not. */
    private ServiceClient pooled;
    private ComponentContext context;

    @Override
    public void init(ComponentContext context) {
        this.context = context;
        this.echo = context.client(Echo.class, TIMEOUT);
        this.pooled = context.client("echo");
    }

    @Override
    public void start() {
        Thread.ofPlatform().name("demo-app").daemon().start(this::loop);
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
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
    }
}
