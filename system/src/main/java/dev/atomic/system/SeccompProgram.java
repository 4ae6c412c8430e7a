package dev.atomic.system;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Loads a compiled seccomp program (classic BPF, as libseccomp exports it) with seccomp(2) itself, without
 * libseccomp: a component host loads the filter the Sovereign compiled once per boot rather than building it in
 * every new JVM (docs/seccomp.md). Loaded as libseccomp would load it with notification and thread sync.
 */
public final class SeccompProgram {
    private static final long SECCOMP_SET_MODE_FILTER = 1;
    private static final long SECCOMP_FILTER_FLAG_TSYNC = 1;
    private static final long SECCOMP_FILTER_FLAG_NEW_LISTENER = 8;
    /** With a listener, a thread that cannot be synchronised is ESRCH rather than its id (Linux 5.7). */
    private static final long SECCOMP_FILTER_FLAG_TSYNC_ESRCH = 16;
    private static final int INSTRUCTION_BYTES = 8;
    /** BPF_MAXINSNS: the kernel refuses longer programs. */
    private static final int MAX_INSTRUCTIONS = 4096;
    private static final long SYS_SECCOMP = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 317;
        case "aarch64" -> 277;
        default -> -1;
    };

    private SeccompProgram() {
    }

    /**
     * Loads {@code program} into this process, for every thread, for good, and returns its notification listener.
     * Sets {@code no_new_privs} first, as the kernel requires without CAP_SYS_ADMIN. Throws, saying why, for a
     * program that is no whole number of instructions or that the kernel refuses.
     */
    public static int loadWithListener(byte[] program) {
        if (program.length == 0 || program.length % INSTRUCTION_BYTES != 0
                || program.length / INSTRUCTION_BYTES > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("not a seccomp program: " + program.length + " bytes");
        }
        Prctl.setNoNewPrivs();
        long flags = SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment instructions = arena.allocate(program.length, 8);
            instructions.copyFrom(MemorySegment.ofArray(program));
            // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
            MemorySegment fprog = arena.allocate(16, 8);
            fprog.set(JAVA_SHORT, 0, (short) (program.length / INSTRUCTION_BYTES));
            fprog.set(JAVA_LONG, 8, instructions.address());
            long address = fprog.address();
            return (int) Libc.check("seccomp", "SECCOMP_SET_MODE_FILTER, " + program.length / INSTRUCTION_BYTES
                    + " instructions", st -> Words.call(Libc.SYSCALL, st, SYS_SECCOMP,
                    SECCOMP_SET_MODE_FILTER, flags, address, 0L));
        }
    }
}
