package dev.atomic.sovereign;

import dev.atomic.component.ComponentSpec;
import dev.atomic.vault.ClassPathImage;
import dev.atomic.vault.Layer;
import dev.atomic.vault.ReleaseManifest;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code atomic update apply}, run by the Sovereign on the live system, one step per layer that changed: the Engine
 * (a standby started from the new image, warm, then promoted in place of the active one), then the Services kernel,
 * then Drivers &amp; Apps (each changed component restarted from its new image). Each step is health-gated: every
 * switched process must be up — the Engine promoted and ready, each component ready again — within the gate. If a
 * gate fails, every step done so far is undone in reverse, through the same gates. Only when all passed does the
 * instance's pointer move to the new release, in one rename; the journal beside it lets a boot after a power cut at
 * any step run the old release, whole. The sovereign layer, on its own channel, changes at the next boot, when the
 * Sovereign restarts itself from the new image.
 * <p>
 * A state machine: {@link #tick} is called from the Sovereign's serve loop, which goes on watching the Engine and
 * serving spawns meanwhile.
 */
final class LiveUpdate {
    /** What the update needs of the Sovereign. */
    interface Host {
        VaultBoot.Booted running(Layer layer);

        void switchTo(Layer layer, VaultBoot.Booted booted);

        List<ComponentSpec> components();

        /** Replaces the standby by one started from the Engine layer's current image; its pid. */
        long replaceStandby() throws IOException;

        boolean standbyWaiting(long pid);

        /** Kills the active Engine on purpose: the standby takes over, as on a failover. Its pid. */
        long retireEngine();

        /** The active Engine's pid once it is a promoted, ready Engine other than {@code old}; else 0. */
        long readyEngineOtherThan(long old);

        void restartComponent(int slot);

        long componentPid(int slot);

        boolean componentReady(int slot);

        void kill(long pid);

        void commit(String release) throws IOException;

        void say(String line);
    }

    /** The component stopped for a restart gets this long to exit by itself before the Sovereign kills it. */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private record Step(Layer layer, List<Integer> slots) {
        String label() {
            return layer == Layer.ENGINE ? "engine" : layer.label() + " (" + slots.size() + " component(s))";
        }
    }

    private enum Phase { START, STANDBY, PROMOTE, COMPONENTS, DONE }

    private final Host host;
    private final VaultBoot.Booted from;
    private final VaultBoot.Booted to;
    private final UpdateJournal journal;
    private final long gateNanos;
    private final BlockingQueue<String> output;
    private final Deque<Step> todo = new ArrayDeque<>();
    private final Deque<Step> done = new ArrayDeque<>();
    private boolean rollingBack;
    /** A rollback gate failed too: the system runs as it is. */
    private boolean stuck;
    private String failure;
    private Step step;
    private Phase phase = Phase.START;
    private long deadline;
    private long standbyPid;
    private long retiredPid;
    private final Map<Integer, Long> oldPids = new HashMap<>();
    private long stopAskedAt;

    /** End of the output: the last line, then this. */
    static final String END = "\u0000";

    /** @param output where the lines for whoever asked go, ending with {@link #END} */
    LiveUpdate(Host host, VaultBoot.Booted to, UpdateJournal journal, long gateNanos, BlockingQueue<String> output)
            throws IOException {
        this.host = host;
        this.output = output;
        this.from = host.running(Layer.ENGINE);
        this.to = to;
        this.journal = journal;
        this.gateNanos = gateNanos;
        ReleaseManifest a = from.manifest();
        ReleaseManifest b = to.manifest();
        java.util.Optional<String> refused = SystemFiles.liveUpdateProblem(a, b);
        if (refused.isPresent()) {
            throw new IOException(refused.get());
        }
        say("updating from release '" + a.release() + "' to '" + b.release() + "' (signed by " + to.release().signer()
                + "); health gate " + TimeUnit.NANOSECONDS.toMillis(gateNanos) + " ms per step");
        if (changed(VaultBoot.engineImage(), a, b)) {
            todo.add(new Step(Layer.ENGINE, List.of()));
        }
        for (Layer layer : List.of(Layer.SERVICES, Layer.DAK)) {
            List<Integer> slots = new ArrayList<>();
            List<ComponentSpec> components = host.components();
            for (int slot = 0; slot < components.size(); slot++) {
                ComponentSpec c = components.get(slot);
                if (VaultBoot.layerOf(c) == layer && changed(VaultBoot.componentImage(c), a, b)) {
                    slots.add(slot);
                }
            }
            if (!slots.isEmpty()) {
                todo.add(new Step(layer, slots));
            }
        }
        boolean sovereign = changed(VaultBoot.sovereignImage(), a, b);
        say("to switch: " + (todo.isEmpty() ? "nothing live" : String.join(", ", todo.stream().map(Step::label)
                .toList())) + (sovereign ? "; the sovereign layer (" + b.channels().get(Layer.SOVEREIGN)
                + " channel) changes at the next boot" : ""));
        journal.begin(a.release(), b.release());
    }

    private static boolean changed(ClassPathImage image, ReleaseManifest a, ReleaseManifest b) {
        return !image.differences(a, b).isEmpty();
    }

    /** Advances the update as far as it can now; true once it is over (committed or rolled back). */
    boolean tick() throws IOException {
        long now = System.nanoTime();
        if (phase == Phase.START) {
            if (!next()) {
                return finish();
            }
        }
        if (phase != Phase.DONE && now - deadline > 0) {
            fail(step.label() + ": the health gate was not passed within " + TimeUnit.NANOSECONDS.toMillis(gateNanos)
                    + " ms (" + waitingFor() + ")");
            return phase == Phase.DONE && finish();
        }
        switch (phase) {
            case STANDBY -> {
                if (host.standbyWaiting(standbyPid)) {
                    retiredPid = host.retireEngine();
                    say("engine: standby " + standbyPid + " is warm and verified; retired the active Engine (pid "
                            + retiredPid + ")");
                    phase = Phase.PROMOTE;
                }
            }
            case PROMOTE -> {
                long promoted = host.readyEngineOtherThan(retiredPid);
                if (promoted != 0) {
                    say("engine: pid " + promoted + " runs release '" + host.running(Layer.ENGINE).manifest().release()
                            + "' and is ready: gate passed");
                    phase = Phase.START;
                }
            }
            case COMPONENTS -> {
                boolean all = true;
                for (int slot : step.slots()) {
                    long pid = host.componentPid(slot);
                    long old = oldPids.get(slot);
                    if (pid == old && old != 0 && now - stopAskedAt > STOP_GRACE_NANOS) {
                        host.kill(old); // it did not stop when asked: the Sovereign, its parent, ends it
                    }
                    all &= pid != 0 && pid != old && host.componentReady(slot);
                }
                if (all) {
                    say(step.layer().label() + ": " + names(step) + " ready again from release '"
                            + host.running(step.layer()).manifest().release() + "': gate passed");
                    phase = Phase.START;
                }
            }
            default -> {
            }
        }
        if (phase == Phase.START) {
            return tick();
        }
        return false;
    }

    /** Starts the next step, forward or back; false when there is none. */
    private boolean next() throws IOException {
        if (step != null) {
            done.push(step);
        }
        step = todo.poll();
        if (step == null) {
            return false;
        }
        VaultBoot.Booted target = rollingBack ? from : to;
        if (!rollingBack) {
            journal.step(step.layer().label());
        }
        deadline = System.nanoTime() + gateNanos;
        host.switchTo(step.layer(), target);
        if (step.layer() == Layer.ENGINE) {
            standbyPid = host.replaceStandby();
            say("engine: started standby " + standbyPid + " from release '" + target.manifest().release() + "'");
            phase = Phase.STANDBY;
        } else {
            oldPids.clear();
            stopAskedAt = System.nanoTime();
            for (int slot : step.slots()) {
                oldPids.put(slot, host.componentPid(slot));
                host.restartComponent(slot);
            }
            say(step.layer().label() + ": restarting " + names(step) + " from release '" + target.manifest().release()
                    + "'");
            phase = Phase.COMPONENTS;
        }
        return true;
    }

    private String waitingFor() {
        return switch (phase) {
            case STANDBY -> "the standby Engine (pid " + standbyPid + ") never became ready to take over";
            case PROMOTE -> "no new Engine became ready";
            case COMPONENTS -> "not ready: " + String.join(", ", step.slots().stream()
                    .filter(s -> !host.componentReady(s) || host.componentPid(s) == oldPids.get(s))
                    .map(s -> host.components().get(s).id()).toList());
            default -> "";
        };
    }

    private void fail(String why) throws IOException {
        if (rollingBack) {
            failure = failure + "; and rolling back, " + why;
            say("rollback: " + why + "; giving up: the system runs as it is, see the lines above");
            stuck = true;
            phase = Phase.DONE;
            return;
        }
        failure = why;
        say("gate FAILED: " + why + "; rolling back to release '" + from.manifest().release() + "'");
        rollingBack = true;
        todo.clear();
        done.push(step);
        todo.addAll(done);
        done.clear();
        step = null;
        phase = Phase.START;
        tick();
    }

    private boolean finish() throws IOException {
        phase = Phase.DONE;
        if (stuck) {
            say("update to '" + to.manifest().release() + "' FAILED and could not be rolled back (" + failure
                    + "); the pointer still names '" + from.manifest().release() + "', which the next boot runs");
            say("result: failed");
        } else if (rollingBack) {
            journal.clear();
            say("update to '" + to.manifest().release() + "' rolled back: release '" + from.manifest().release()
                    + "' runs, whole (" + failure + ")");
            say("result: rolled back");
        } else {
            journal.step("commit");
            host.commit(to.manifest().release());
            journal.clear();
            say("update committed: release '" + to.manifest().release() + "' is current; 'atomic update rollback' "
                    + "returns to '" + from.manifest().release() + "'");
            say("result: committed");
        }
        output.add(END);
        return true;
    }

    private String names(Step s) {
        return String.join(", ", s.slots().stream().map(slot -> host.components().get(slot).id()).toList());
    }

    private void say(String line) {
        host.say("update: " + line);
        output.add(line);
    }
}
