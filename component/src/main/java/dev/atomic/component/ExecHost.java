package dev.atomic.component;

import dev.atomic.bridge.LaneSegment;
import dev.atomic.system.Descriptors;
import dev.atomic.system.Exec;
import dev.atomic.system.Prctl;
import dev.atomic.system.SharedMemory;
import dev.atomic.system.Signals;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The seccomp trampoline of an executable image (docs/seccomp.md): a program that is not a JVM cannot load the
 * second seccomp layer itself, and only the process that loads a filter gets its listener. So, in the program's
 * sandbox and as its process, this loads the second layer ({@link HostFilter}), publishes the listener, waits until
 * the Engine has taken its copy, closes its own, and then execs the program: the filters stay with the process
 * across execve, the program runs under both layers with its trapped calls decided by the Engine, and it holds no
 * listener of its own. The JVM is gone once the program runs.
 */
public final class ExecHost {
    /** How long the Engine has to take the listener (it takes it as soon as it sees it published). */
    private static final long TAKEN_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(10);

    private ExecHost() {
    }

    /** {@code ExecHost <id> <network: true|false> <program> [its arguments…]}. */
    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: ExecHost <component-id> <network> <program> [arguments…]");
            System.exit(2);
        }
        Prctl.setParentDeathSignal(Signals.SIGKILL); // kept across execve: the program dies with its sandbox
        String id = args[0];
        int listener;
        try {
            listener = HostFilter.install(Boolean.parseBoolean(args[1]));
        } catch (IllegalStateException e) {
            System.err.println(id + " not started: " + e.getMessage());
            System.exit(4);
            return;
        }
        if (listener >= 0) {
            try (SharedMemory lanes = SharedMemory.open(InheritedSegments.lane())) {
                LaneSegment segment = LaneSegment.attach(lanes);
                HostFilter.publish(segment, listener);
                long giveUp = System.nanoTime() + TAKEN_WITHIN_NANOS;
                while (segment.seccompListener() != LaneSegment.LISTENER_TAKEN && System.nanoTime() - giveUp < 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                HostFilter.handOver(segment, listener, System.err);
            }
        }
        List<String> program = Arrays.asList(args).subList(2, args.length);
        System.err.flush();
        try {
            Exec.replace(program, System.getenv());
        } catch (RuntimeException e) {
            System.err.println(id + " not started: " + e.getMessage());
            System.exit(5);
        }
    }

    /** The arguments that have {@code program} run under the trampoline. */
    public static List<String> arguments(String id, boolean network, List<String> program) {
        List<String> args = new java.util.ArrayList<>(List.of(id, Boolean.toString(network)));
        args.addAll(program);
        return args;
    }
}
