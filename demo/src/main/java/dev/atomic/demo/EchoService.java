package dev.atomic.demo;

import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** A Services-kernel component: method 1 answers the request in upper case. */
public final class EchoService implements Component {
    public static final int UPPERCASE = 1;

    @Override
    public void init(ComponentContext context) {
        // Upper-casing a short string never blocks: answer on the lane thread, no hand-off.
        context.provideInline("echo", (method, request) -> {
            if (method != UPPERCASE) {
                throw new IllegalArgumentException("echo has no method " + method);
            }
            return new String(request, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        });
        context.log().println("echo: serving");
    }
}
