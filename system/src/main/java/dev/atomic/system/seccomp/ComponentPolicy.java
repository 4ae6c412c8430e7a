package dev.atomic.system.seccomp;

import dev.atomic.system.Errno;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The seccomp policy of a component host (docs/seccomp.md gives each rule with its reason). Everything is allowed
 * but calls no component needs and that reach past its sandbox, which are denied, and a few that are trapped for
 * the Engine to decide and record: a JVM makes too many, too variable calls for an allow-list to stay right
 * (docs/seccomp.md, "Why a deny-list").
 * <p>
 * {@link #denied()} says what each denied call gets in the end. Those that are attacks ({@link #reported}) are
 * trapped rather than failed by the filter, so that the Engine answers them with that errno and reports them:
 * when filters stack the kernel takes the strictest action and ERRNO beats NOTIFY, so a deny-list installed first
 * would answer them silently. {@link #startupFilter()}, which bubblewrap installs before the JVM's first instruction,
 * traps them too; it has no listener, so until the host loads its own filter they fail with ENOSYS, and once it
 * has, its listener (the newer filter wins a tie) gets them. {@link #trapped} names the process's own pid as it
 * sees it, so the host builds and loads {@link #filter} itself, before any component code runs.
 */
public final class ComponentPolicy {
    /**
     * Set to {@code required} in a component host's environment when the first layer was installed: the host must
     * then load {@link #filter} before any component code, or not start.
     */
    public static final String HOST_FILTER_ENV = "ATOMIC_SECCOMP";
    /**
     * Where the Sovereign compiled {@link #filter} once for every sandboxed host (their pid is the same in each
     * sandbox), and for which pid: a host with that pid loads the program rather than build the filter itself.
     */
    public static final String HOST_PROGRAM_ENV = "ATOMIC_SECCOMP_PROGRAM";
    public static final String HOST_PROGRAM_PID_ENV = "ATOMIC_SECCOMP_PROGRAM_PID";
    static final long AF_UNIX = 1;
    static final long TIOCSTI = 0x5412;
    static final long TIOCLINUX = 0x541C;
    /** personality(0xffffffff) only reads the persona. */
    static final long PERSONALITY_QUERY = 0xffff_ffffL;
    static final long PER_LINUX = 0;

    /** Namespace flags shared by clone and unshare (CLONE_NEWTIME only by unshare: in clone it is a signal bit). */
    static final long[] CLONE_NEW = {
            0x0002_0000L, // CLONE_NEWNS
            0x0200_0000L, // CLONE_NEWCGROUP
            0x0400_0000L, // CLONE_NEWUTS
            0x0800_0000L, // CLONE_NEWIPC
            0x1000_0000L, // CLONE_NEWUSER
            0x2000_0000L, // CLONE_NEWPID
            0x4000_0000L, // CLONE_NEWNET
    };
    static final long CLONE_NEWTIME = 0x80;

    private static final Action EPERM = Action.errno(Errno.EPERM);
    private static final Action ENOSYS = Action.errno(Errno.ENOSYS);
    /** The errno each denied call gets; every rule for one call gives the same. */
    private static final java.util.Map<String, Integer> DENIED_ERRNO = denied().stream()
            .collect(java.util.stream.Collectors.toMap(Rule::syscall, r -> r.action().errno(), (a, b) -> a));

    private ComponentPolicy() {
    }

    /** The calls denied to every component, with the errno each gets. No NOTIFY: bubblewrap's filter has no listener. */
    public static List<Rule> denied() {
        List<Rule> rules = new ArrayList<>();
        deny(rules, EPERM, "its file view is the one the sandbox built; a new mount could bring back what was left out",
                "mount", "umount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsconfig",
                "fsmount", "fspick", "mount_setattr");
        deny(rules, EPERM, "reads or changes another process's memory or descriptors",
                "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "process_madvise", "kcmp");
        deny(rules, EPERM, "replaces or stops the running kernel", "kexec_load", "kexec_file_load", "reboot");
        deny(rules, EPERM, "runs code in the kernel", "init_module", "finit_module", "delete_module");
        deny(rules, EPERM, "raw port I/O to devices", "iopl", "ioperm");
        deny(rules, EPERM, "large kernel attack surfaces no component needs; perf events also observe other processes",
                "perf_event_open", "bpf", "userfaultfd");
        deny(rules, EPERM, "the kernel keyring is not namespaced: keys of other users of the host",
                "keyctl", "add_key", "request_key");
        deny(rules, EPERM, "changes the whole host: swap, clocks, accounting, quotas, the kernel log",
                "swapon", "swapoff", "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "acct", "quotactl",
                "syslog");
        deny(rules, EPERM, "opens any file of a mounted file system by its handle, past the sandbox's mount view",
                "open_by_handle_at");
        deny(rules, EPERM, "joins another namespace", "setns");
        for (long flag : CLONE_NEW) {
            rules.add(new Rule("clone", EPERM, "creates namespaces: a new user namespace gives capabilities over it",
                    Arg.hasFlag(0, flag)));
        }
        for (long flag : Stream.concat(Stream.of(CLONE_NEWTIME), java.util.Arrays.stream(CLONE_NEW).boxed()).toList()) {
            rules.add(new Rule("unshare", EPERM, "creates namespaces: a new user namespace gives capabilities over it",
                    Arg.hasFlag(0, flag)));
        }
        rules.add(new Rule("clone3", ENOSYS, "its flags are in memory a filter cannot read, so namespace creation could "
                + "not be told apart; ENOSYS makes glibc fall back to clone, whose flags it can"));
        deny(rules, ENOSYS, "io_uring performs operations without system calls, out of this filter's sight; "
                + "ENOSYS makes libraries fall back to epoll", "io_uring_setup", "io_uring_enter", "io_uring_register");
        rules.add(new Rule("ioctl", EPERM, "pushes input into the terminal, to be run by its shell", Arg.int32Eq(1, (int) TIOCSTI)));
        rules.add(new Rule("ioctl", EPERM, "console control: also pushes input", Arg.int32Eq(1, (int) TIOCLINUX)));
        return List.copyOf(rules);
    }

    /**
     * The calls trapped for the Engine to decide and record, for a process whose pid, as it sees it, is
     * {@code selfPid}: signals to any other process, changes of persona, and, without a network grant, sockets
     * other than Unix ones. All are decided on their scalar arguments alone (see {@link #decide}).
     */
    public static List<Rule> trapped(long selfPid, boolean network) {
        List<Rule> rules = new ArrayList<>();
        String signal = "a signal to another process: allowed only within the component's own sandbox";
        for (String call : List.of("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")) {
            // NE on the full 64 bits: only the exact value passes untrapped, and the kernel reads it as that pid.
            rules.add(new Rule(call, Action.NOTIFY, signal, Arg.ne(0, selfPid)));
        }
        rules.add(new Rule("tkill", Action.NOTIFY, signal + " (a thread id: checked whatever it is)"));
        rules.add(new Rule("pidfd_send_signal", Action.NOTIFY, signal + " (through a pidfd, whose target the Engine "
                + "cannot see: denied)"));
        rules.add(new Rule("personality", Action.NOTIFY, "a persona without address randomisation or with executable "
                + "data weakens a program it then runs; reading it is allowed"));
        if (!network) {
            rules.add(new Rule("socket", Action.NOTIFY, "a socket other than a Unix one, without a network grant",
                    Arg.ne(0, AF_UNIX)));
        }
        return List.copyOf(rules);
    }

    /** Both layers: what a component host loads into itself. */
    public static List<Rule> rules(long selfPid, boolean network) {
        return Stream.concat(deniedLayer().stream(), trapped(selfPid, network).stream()).toList();
    }

    /**
     * Whether a denied call is an attack, trapped so that the Engine reports it, rather than one a program makes in
     * all innocence and falls back from (ENOSYS: clone3, io_uring), which the filter answers itself: reporting those
     * would report every JVM.
     */
    public static boolean reported(Rule denied) {
        return denied.action().errno() != Errno.ENOSYS;
    }

    /** {@link #denied()} as a filter layer: its attacks trapped, the rest failed by the filter itself. */
    static List<Rule> deniedLayer() {
        return denied().stream().map(r -> reported(r) ? new Rule(r.syscall(), Action.NOTIFY, r.args(), r.why()) : r)
                .toList();
    }

    /**
     * The filter bubblewrap installs ({@code bwrap --seccomp FD}) before the JVM's first instruction:
     * {@link #deniedLayer()} over a default of ALLOW. Without a listener its trapped calls fail with ENOSYS.
     */
    public static Filter startupFilter() {
        return Filter.of(Action.ALLOW, deniedLayer());
    }

    /** The filter a component host loads into itself: {@link #rules}, over a default of ALLOW. */
    public static Filter filter(long selfPid, boolean network) {
        return Filter.of(Action.ALLOW, rules(selfPid, network));
    }

    /** Whether a process, named by a pid or thread id as the trapped caller sees it, lies inside the caller's sandbox. */
    @FunctionalInterface
    public interface Sandbox {
        boolean holds(Notification caller, long target);
    }

    /**
     * The Engine's decision on a call {@link #trapped} trapped. Signals go through only to processes {@code sandbox}
     * says are the caller's own, never to a process group or to every process (a pid of 0 or less); a persona may
     * be read or reset to PER_LINUX, not changed; a socket without a network grant is refused as a sandbox without
     * network would refuse it (EACCES); a denied call ({@link #reported}) gets the errno {@link #denied()} gives it,
     * whatever its arguments: the filter trapped it only for the flags or requests that rule names. Each decision uses the notification's scalar arguments only, which the
     * kernel goes on to use unchanged, so allowing a call is not open to a change of memory after the check.
     */
    public static Decision decide(Notification n, Sandbox sandbox) {
        return switch (n.syscall()) {
            case "kill", "tgkill", "tkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo" -> {
                long target = (int) n.arg(0); // the kernel reads a pid_t: the low 32 bits, signed
                yield target > 0 && sandbox.holds(n, target) ? Decision.allow() : Decision.deny(Errno.EPERM);
            }
            case "personality" -> {
                long persona = n.arg(0) & 0xffff_ffffL; // an unsigned int to the kernel
                yield persona == PERSONALITY_QUERY || persona == PER_LINUX ? Decision.allow() : Decision.deny(Errno.EPERM);
            }
            case "socket" -> Decision.deny(Errno.EACCES);
            default -> Decision.deny(DENIED_ERRNO.getOrDefault(n.syscall(), Errno.EPERM));
        };
    }

    private static void deny(List<Rule> rules, Action action, String why, String... calls) {
        for (String call : calls) {
            rules.add(new Rule(call, action, why));
        }
    }
}
