package dev.atomic.bench;

import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ServiceHandler;

/**
 * The management plane's service in the carving benchmark: answers a probe at once, on its lane thread (inline),
 * with the request itself. Whatever a probe waits for is the Engine, the scheduler and the machine, not this.
 */
public final class Probe implements Component {
    /** Answer with the request. */
    static final int ECHO = 1;

    @Override
    public void init(ComponentContext context) {
        ServiceHandler echo = (method, request) -> request;
        context.provideInline(CarvingSystem.PROBE, echo);
    }
}
