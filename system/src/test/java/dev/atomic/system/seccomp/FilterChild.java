package dev.atomic.system.seccomp;

import java.lang.foreign.Arena;

/**
 * Child side of {@link FilterTest}: loads a small filter, then prints {@code <case> <errno>} per call.
 * {@code args}: how argument comparisons see the upper half of an int argument. {@code kill}: a KILL_PROCESS rule;
 * the process dies of SIGSYS before it can print {@code survived}. {@code twice}: a second notifying filter.
 */
public final class FilterChild {
    static final int EAFNOSUPPORT = 97;
    static final long AF_INET = 2;
    static final long AF_INET6 = 10;
    static final long HIGH_BIT = 1L << 32;

    private FilterChild() {
    }

    public static void main(String[] args) {
        try (Filter filter = Filter.create(Action.ALLOW)) {
            switch (args[0]) {
                case "args" -> filter
                        .add("socket", Action.errno(EAFNOSUPPORT), Arg.int32Eq(0, (int) AF_INET))
                        .add("socket", Action.errno(EAFNOSUPPORT), Arg.eq(0, AF_INET6))
                        .add("uname", Action.LOG);
                case "kill" -> filter.add("acct", Action.KILL_PROCESS);
                case "twice" -> filter.add("acct", Action.NOTIFY);
                default -> throw new IllegalArgumentException(args[0]);
            }
            filter.load();
        }
        if (args[0].equals("twice")) {
            try (Filter second = Filter.create(Action.ALLOW).add("quotactl", Action.NOTIFY)) {
                second.load();
                System.out.println("loaded twice");
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage());
            }
            return;
        }
        if (args[0].equals("kill")) {
            System.out.println("loaded");
            System.out.flush();
            RawSyscall.call("acct", 0);
            System.out.println("survived");
            return;
        }
        print("inet", RawSyscall.call("socket", AF_INET, 1, 0));
        print("inet-high", RawSyscall.call("socket", HIGH_BIT | AF_INET, 1, 0));
        print("inet6", RawSyscall.call("socket", AF_INET6, 1, 0));
        print("inet6-high", RawSyscall.call("socket", HIGH_BIT | AF_INET6, 1, 0));
        try (Arena arena = Arena.ofConfined()) {
            print("uname", RawSyscall.call("uname", arena.allocate(6 * 65).address()));
        }
    }

    private static void print(String name, long result) {
        System.out.println(name + " " + (result < 0 ? -result : 0));
    }
}
