package dev.atomic.bench;

import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;

/**
 * A service of the idle benchmark that does nothing but answer, at once, with the request: the service named after
 * its component. What it costs idle is the component host's own upkeep.
 */
public final class Sleeper implements Component {
    @Override
    public void init(ComponentContext context) {
        context.provideInline(context.id(), (method, request) -> request);
    }
}
