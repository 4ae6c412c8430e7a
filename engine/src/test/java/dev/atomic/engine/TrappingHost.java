package dev.atomic.engine;

import dev.atomic.bridge.LaneSegment;
import dev.atomic.system.Descriptors;
import dev.atomic.system.SharedMemory;
import dev.atomic.system.Signals;
import dev.atomic.system.SyscallException;
import dev.atomic.system.seccomp.ComponentPolicy;
import dev.atomic.system.seccomp.Filter;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Child side of {@link SyscallTrapsTest}, doing what a component host does before it runs a component's code:
 * loads the component policy, publishes the listener in its lane segment, waits for the Engine to take it (a host
 * learns that from WELCOME; there is no Engine loop here to send one) and closes its own copy. Then it signals its parent (outside its sandbox) and a child of its own (inside).
 */
public final class TrappingHost {
    private TrappingHost() {
    }

    public static void main(String[] args) throws Exception {
        try (LaneSegment segment = LaneSegment.attach(SharedMemory.open(Path.of(args[0])));
             Filter filter = ComponentPolicy.filter(ProcessHandle.current().pid(), false)) {
            int listener = filter.load().orElseThrow();
            segment.publishSeccompListener(listener);
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (segment.seccompListener() != LaneSegment.LISTENER_TAKEN && System.nanoTime() < giveUp) {
                Thread.sleep(1);
            }
            System.out.println("taken " + (segment.seccompListener() == LaneSegment.LISTENER_TAKEN));
            Descriptors.close(listener);
        }
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        try {
            Signals.kill(parent, 0);
            System.out.println("parent signalled");
        } catch (SyscallException e) {
            System.out.println("parent " + e.errnoName());
        }
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        Signals.kill(sleeper.pid(), Signals.SIGTERM);
        System.out.println("child " + (sleeper.waitFor(10, TimeUnit.SECONDS) ? "ended" : "alive"));
    }
}
