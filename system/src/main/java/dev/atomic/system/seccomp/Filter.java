package dev.atomic.system.seccomp;

import dev.atomic.system.Descriptors;
import dev.atomic.system.Words;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.MemoryLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A seccomp filter under construction (a libseccomp context): a default action and rules by system call name,
 * compiled by libseccomp for this architecture. It can be exported as classic BPF (for {@code bwrap --seccomp FD},
 * or anything that loads a {@code struct sock_fprog}) or loaded into this process.
 * <p>
 * Every filter kills the process when a call arrives in another architecture's calling convention (an i386
 * {@code int 0x80} from an x86_64 process), since a deny-list written for one numbering means nothing in another.
 * Loading sets {@code no_new_privs}, which the kernel requires of a process without CAP_SYS_ADMIN, and applies the
 * filter to every thread of the process (TSYNC), which a JVM, already running dozens of threads, needs.
 */
public final class Filter implements AutoCloseable {
    /** struct scmp_arg_cmp { unsigned int arg; enum scmp_compare op; scmp_datum_t datum_a, datum_b; }. */
    private static final StructLayout ARG_CMP = MemoryLayout.structLayout(
            JAVA_INT.withName("arg"), JAVA_INT.withName("op"), JAVA_LONG.withName("datum_a"), JAVA_LONG.withName("datum_b"));

    private final Action defaultAction;
    private final List<Rule> rules = new ArrayList<>();
    private final List<String> absent = new ArrayList<>();
    private MemorySegment ctx;
    private boolean loaded;

    private Filter(Action defaultAction, MemorySegment ctx) {
        this.defaultAction = defaultAction;
        this.ctx = ctx;
    }

    /** A filter that gives every call no rule matches {@code defaultAction}. */
    public static Filter create(Action defaultAction) {
        LibSeccomp.require();
        MemorySegment ctx = MemorySegment.ofAddress(Words.plain(st -> Words.call(LibSeccomp.INIT, st,
                defaultAction.value())));
        if (ctx.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException("seccomp_init refused default action " + defaultAction);
        }
        Filter filter = new Filter(defaultAction, ctx);
        try {
            // Raw errnos from the kernel rather than libseccomp's catch-all ECANCELED, e.g. for a refused load.
            filter.attr("SCMP_FLTATR_API_SYSRAWRC", LibSeccomp.ATTR_API_SYSRAWRC, 1);
            filter.attr("SCMP_FLTATR_ACT_BADARCH", LibSeccomp.ATTR_ACT_BADARCH, Action.KILL_PROCESS.value());
            filter.attr("SCMP_FLTATR_CTL_NNP", LibSeccomp.ATTR_CTL_NNP, 1);
            filter.attr("SCMP_FLTATR_CTL_TSYNC", LibSeccomp.ATTR_CTL_TSYNC, 1);
        } catch (RuntimeException e) {
            filter.close();
            throw e;
        }
        return filter;
    }

    /** A filter with {@code defaultAction} and {@code rules}. */
    public static Filter of(Action defaultAction, List<Rule> rules) {
        Filter filter = create(defaultAction);
        try {
            rules.forEach(filter::add);
            return filter;
        } catch (RuntimeException e) {
            filter.close();
            throw e;
        }
    }

    public Action defaultAction() {
        return defaultAction;
    }

    /**
     * Adds a rule. A call this architecture does not have (e.g. {@code iopl} on aarch64) is skipped and listed in
     * {@link #absent()}; a name libseccomp does not know, or a rule it refuses (an action equal to the default, two
     * rules with the same condition), throws.
     */
    public Filter add(Rule rule) {
        MemorySegment context = context();
        OptionalInt nr = Seccomp.syscallNumber(rule.syscall());
        if (nr.isEmpty()) {
            absent.add(rule.syscall());
            return this;
        }
        int count = rule.args().size();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cmps = arena.allocate(ARG_CMP, Math.max(1, count));
            for (int i = 0; i < count; i++) {
                Arg arg = rule.args().get(i);
                long at = i * ARG_CMP.byteSize();
                cmps.set(JAVA_INT, at, arg.index());
                cmps.set(JAVA_INT, at + 4, arg.op().value);
                cmps.set(JAVA_LONG, at + 8, arg.datumA());
                cmps.set(JAVA_LONG, at + 16, arg.datumB());
            }
            int syscall = nr.getAsInt();
            int action = rule.action().value();
            LibSeccomp.check("seccomp_rule_add", rule, (int) Words.plain(st -> Words.call(
                    LibSeccomp.RULE_ADD_ARRAY, st, context.address(), action, syscall, count, cmps.address())));
        }
        rules.add(rule);
        return this;
    }

    public Filter add(String syscall, Action action, Arg... args) {
        return add(new Rule(syscall, action, "", args));
    }

    /** The rules added, in order, without those this architecture lacks. */
    public List<Rule> rules() {
        return List.copyOf(rules);
    }

    /** Names of calls ruled on that this architecture does not have. */
    public List<String> absent() {
        return List.copyOf(absent);
    }

    public boolean notifies() {
        return rules.stream().anyMatch(r -> r.action().equals(Action.NOTIFY)) || defaultAction.equals(Action.NOTIFY);
    }

    /** Writes the compiled program (an array of {@code struct sock_filter}) to {@code fd} at its file position. */
    public void exportBpf(int fd) {
        MemorySegment context = context();
        LibSeccomp.check("seccomp_export_bpf", fd,
                (int) Words.plain(st -> Words.call(LibSeccomp.EXPORT_BPF, st, context.address(), fd)));
    }

    /** The compiled program, as {@code bwrap --seccomp} reads it from its descriptor. */
    public byte[] bpf() {
        return exported(LibSeccomp.EXPORT_BPF, "seccomp_export_bpf");
    }

    /** The program written to {@code file} (replacing it), for a launcher that opens it as a descriptor. */
    public void writeBpf(Path file) throws IOException {
        Files.write(file, bpf());
    }

    /** libseccomp's pseudo filter code: the program as readable text, for review and debugging. */
    public String pfc() {
        return new String(exported(LibSeccomp.EXPORT_PFC, "seccomp_export_pfc"), StandardCharsets.UTF_8);
    }

    private byte[] exported(java.lang.invoke.MethodHandle export, String call) {
        MemorySegment context = context();
        int fd = Descriptors.memfd("atomic-seccomp");
        try {
            LibSeccomp.check(call, "memfd " + fd, (int) Words.plain(st -> Words.call(export, st,
                    context.address(), fd)));
            return Descriptors.readAll(fd);
        } finally {
            Descriptors.close(fd);
        }
    }

    /**
     * Loads the filter into this process, for every thread, for good: it can never be removed, only stacked on.
     * Returns the notification listener's descriptor when a rule or the default is {@link Action#NOTIFY} (empty
     * otherwise). A process holds at most one listener across all its filters: a second filter that notifies
     * fails to load with EBUSY.
     * <p>
     * Whoever holds the listener decides the trapped calls, so a process must not keep it while running code it
     * does not trust: hand it over (see {@code PidFd.takeFd}) and close it first.
     */
    public OptionalInt load() {
        MemorySegment context = context();
        if (loaded) {
            throw new IllegalStateException("this filter is already loaded");
        }
        // libseccomp keeps one listener per process and, once it has one, loads a notifying filter without asking
        // for another: its traps would then fail with ENOSYS and the old listener's number come back. Refuse instead.
        int existing = notifyFd(context);
        if (notifies() && existing >= 0) {
            throw new IllegalStateException("this process already has a seccomp listener (fd " + existing
                    + "), and the kernel allows one per process: " + this + " would trap calls nobody can answer");
        }
        LibSeccomp.check("seccomp_load", this, (int) Words.plain(st -> Words.call(LibSeccomp.LOAD, st,
                context.address())));
        loaded = true;
        if (!notifies()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(LibSeccomp.check("seccomp_notify_fd", this, notifyFd(context)));
    }

    /** The listener libseccomp holds for this process, or a negative number when it has none. */
    private static int notifyFd(MemorySegment context) {
        return (int) Words.plain(st -> Words.call(LibSeccomp.NOTIFY_FD, st, context.address()));
    }

    private void attr(String name, int attr, int value) {
        MemorySegment context = context();
        LibSeccomp.check("seccomp_attr_set", name + ", " + value,
                (int) Words.plain(st -> Words.call(LibSeccomp.ATTR_SET, st, context.address(), attr, value)));
    }

    private MemorySegment context() {
        if (ctx == null) {
            throw new IllegalStateException("filter closed");
        }
        return ctx;
    }

    /** "filter(default ALLOW, 42 rules)". */
    @Override
    public String toString() {
        return "filter(default " + defaultAction + ", " + rules.size() + " rules)";
    }

    /** Frees the context; a loaded filter stays in force. */
    @Override
    public void close() {
        if (ctx != null) {
            MemorySegment context = ctx;
            ctx = null;
            Words.plain(st -> Words.call(LibSeccomp.RELEASE, st, context.address()));
        }
    }
}
