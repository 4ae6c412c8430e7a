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
    private ServiceClient echo;
    private ComponentContext context;

    @Override
    public void init(ComponentContext context) {
        this.context = context;
        this.echo = context.client("echo");
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
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            try {
                byte[] reply = n++ % 10 == 9
                        ? echo.callPooled(EchoService.UPPERCASE, bytes.length,
                                buffer -> MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length), TIMEOUT)
                        : echo.call(EchoService.UPPERCASE, bytes, TIMEOUT);
                String answer = new String(reply, StandardCharsets.UTF_8);
                if (!answer.equals(text.toUpperCase(Locale.ROOT))) {
                    context.log().println("demo-app: wrong answer to '" + text + "': '" + answer + "'");
                }
            } catch (CallFailedException e) {
                context.log().println("demo-app: " + e.getMessage());
            }
            pause();
        }
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
