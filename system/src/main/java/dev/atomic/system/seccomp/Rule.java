package dev.atomic.system.seccomp;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One line of a policy: what {@code syscall} gets when all of {@code args} hold (always, when there are none), and
 * why. Several rules for one call are alternatives: the first that matches, strictest first, decides.
 */
public record Rule(String syscall, Action action, List<Arg> args, String why) {
    public Rule {
        args = List.copyOf(args);
        if (syscall.isBlank()) {
            throw new IllegalArgumentException("a rule needs a system call name");
        }
    }

    public Rule(String syscall, Action action, String why, Arg... args) {
        this(syscall, action, List.of(args), why);
    }

    /** e.g. {@code socket(arg0 != 1) -> NOTIFY}. */
    @Override
    public String toString() {
        String condition = args.isEmpty() ? "" : args.stream().map(Arg::toString).collect(Collectors.joining(" && "));
        return syscall + "(" + condition + ") -> " + action;
    }
}
