package dev.atomic.component;

/**
 * What a component author implements. The host calls {@link #init} once the component's lanes are open and its
 * grants are known, then {@link #start}; {@link #stop} when Atomic shuts it down. A component that dies is
 * restarted by the Engine: a new process, a new instance, {@code init} and {@code start} again.
 * <p>
 * A component whose manifest says {@code state = "checkpointed"} implements {@link #checkpoint} and
 * {@link #restore}: the host hands its state to the Engine periodically and when asked, and the last state handed
 * over is given back to its next instance before {@code start}. {@link #health} is asked periodically; failing
 * repeatedly, the component is reported, killed and restarted (docs/kabi.md).
 */
public interface Component {
    /** Declare provided services and look up clients here. */
    default void init(ComponentContext context) throws Exception {
    }

    /** Start work; may return at once (the host keeps serving requests) or run until stopped. */
    default void start() throws Exception {
    }

    default void stop() {
    }

    /**
     * The state a restarted instance needs, taken consistently (it runs on a thread of its own, beside the
     * handlers); null when there is none.
     */
    default byte[] checkpoint() throws Exception {
        return null;
    }

    /** Takes back the last checkpoint; called after {@code init}, before {@code start}, on a restarted instance. */
    default void restore(byte[] state) throws Exception {
    }

    /** Whether it can do its work right now, and if not, why. */
    default Health health() {
        return Health.OK;
    }

    /**
     * The test hook {@code atomic inject} calls (docs/console.md): the misbehaviour {@code kind} asks for, which the
     * host runs on the component's lane thread once it told the Engine it accepts — a {@link Injection#HANG} that
     * blocks there stops the heartbeat; a leak or a storm starts a thread of its own and returns. Null (the default)
     * when it offers none for that kind: the inject is refused, saying so. Never asked for {@link Injection#CRASH},
     * which is the Engine's own kill.
     */
    default Runnable inject(Injection kind) {
        return null;
    }
}
