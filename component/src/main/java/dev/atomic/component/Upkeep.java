package dev.atomic.component;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What the component host does for the Engine besides serving: hands over a checkpointed component's state every
 * {@link Watch#checkpointEvery()} and when asked, and asks the component its health every
 * {@link Watch#healthEvery()}, reporting it after {@link Watch#FAILED_CHECKS} failing answers in a row.
 */
final class Upkeep implements AutoCloseable {
    /** How a checkpoint or a health report reaches the Engine; false when it could not be sent now. */
    interface Sender {
        boolean checkpoint(byte[] state);

        boolean unhealthy(String why);

        /** The largest checkpoint one frame carries. */
        int maxCheckpoint();
    }

    private final Component component;
    private final Watch watch;
    private final boolean checkpointed;
    private final Sender engine;
    private final PrintStream log;
    private final ScheduledExecutorService timer;
    private byte[] handedOver;
    private int failing;

    Upkeep(Component component, Watch watch, boolean checkpointed, Sender engine, PrintStream log) {
        this(component, watch, checkpointed, timer(), engine, log);
    }

    /** @param timer its thread, which may be started already ({@link #timer()}); shut down by {@link #close()} */
    Upkeep(Component component, Watch watch, boolean checkpointed, ScheduledThreadPoolExecutor timer, Sender engine,
           PrintStream log) {
        this.timer = timer;
        this.component = component;
        this.watch = watch;
        this.checkpointed = checkpointed;
        this.engine = engine;
        this.log = log;
    }

    /**
     * The thread the periodic work runs on. Its first task starts it, which makes the starter wait until it runs: a
     * host starts it ahead ({@link ScheduledThreadPoolExecutor#prestartCoreThread}), so that the lane thread does not
     * wait for a CPU for it after COMPONENT_READY, when its first requests come.
     */
    static ScheduledThreadPoolExecutor timer() {
        return new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon().name("upkeep").unstarted(r));
    }

    /** Starts the periodic work, once the component is running. */
    void start() {
        long every = watch.checkpointEvery().toMillis();
        if (checkpointed && every > 0) {
            timer.scheduleWithFixedDelay(this::checkpoint, every, every, TimeUnit.MILLISECONDS);
        }
        long health = watch.healthEvery().toMillis();
        if (health > 0) {
            timer.scheduleWithFixedDelay(this::checkHealth, health, health, TimeUnit.MILLISECONDS);
        }
    }

    /** Hands over the component's state unless the Engine has it already; what the Engine asks for, too. */
    synchronized void checkpoint() {
        if (!checkpointed) {
            return;
        }
        byte[] state;
        try {
            state = component.checkpoint();
        } catch (Exception | LinkageError e) {
            log.println("checkpoint failed: " + e);
            return;
        }
        if (state == null || Arrays.equals(state, handedOver)) {
            return;
        }
        if (state.length > engine.maxCheckpoint()) {
            log.println("checkpoint of " + state.length + " bytes not handed over: at most " + engine.maxCheckpoint()
                    + " fit one frame");
            return;
        }
        if (engine.checkpoint(state)) {
            handedOver = state;
        }
    }

    synchronized void checkHealth() {
        Health health;
        try {
            health = component.health();
        } catch (Exception | LinkageError e) {
            health = Health.failing("its health check threw " + e);
        }
        failing = health.ok() ? 0 : failing + 1;
        if (failing == Watch.FAILED_CHECKS && !engine.unhealthy(health.detail())) {
            failing--; // the lane is full: say it at the next check
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
