package dev.atomic.demo;

import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;

import java.util.Locale;

/** A Services-kernel component implementing {@link Echo}. */
public final class EchoService implements Component, Echo {
    /** The method id of {@link Echo#upper}, for callers speaking the bridge protocol directly. */
    public static final int UPPERCASE = Echo.UPPERCASE;

    @Override
    public void init(ComponentContext context) {
        // Upper-casing a short string never blocks: answer on the lane thread, no hand-off.
        context.provideInline(Echo.class, this);
        context.log().println("echo: serving");
    }

    @Override
    public String upper(String text) {
        return text.toUpperCase(Locale.ROOT);
    }
}
