package dev.atomic.system.seccomp;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A trapped call waiting for a decision (struct seccomp_notif). {@code pid} is the calling thread's id as the
 * receiving process sees it (0 if that thread is outside the receiver's pid namespace); the arguments are the
 * caller's registers, so a pid or fd among them means what it means in the caller's namespaces and table.
 */
public record Notification(long id, int pid, int arch, int nr, String syscall, long[] args, long instructionPointer) {
    public Notification {
        args = args.clone();
    }

    @Override
    public long[] args() {
        return args.clone();
    }

    public long arg(int index) {
        return args[index];
    }

    /** e.g. {@code socket(2, 1, 0) by 4242}. */
    @Override
    public String toString() {
        return syscall + "(" + Arrays.stream(args).limit(arity()).mapToObj(Long::toString)
                .collect(Collectors.joining(", ")) + ") by " + pid;
    }

    /** How many arguments are worth printing: up to the last non-zero one, at least one. */
    private int arity() {
        int n = args.length;
        while (n > 1 && args[n - 1] == 0) {
            n--;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Notification n && n.id == id && n.pid == pid && n.arch == arch && n.nr == nr
                && n.instructionPointer == instructionPointer && Arrays.equals(n.args, args);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }
}
