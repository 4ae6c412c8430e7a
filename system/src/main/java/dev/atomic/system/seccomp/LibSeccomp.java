package dev.atomic.system.seccomp;

import dev.atomic.system.SyscallException;
import dev.atomic.system.Words;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * The handles into libseccomp.so.2 (2.5 or later). libseccomp answers with a negative errno rather than setting
 * errno, except that its notification calls answer a failed ioctl with -ECANCELED and leave the kernel's reason in
 * errno, which every call here captures ({@link Words}), so the reason is not lost.
 */
final class LibSeccomp {
    static final String LIBRARY = "libseccomp.so.2";

    // enum scmp_filter_attr
    static final int ATTR_ACT_BADARCH = 2;
    static final int ATTR_CTL_NNP = 3;
    static final int ATTR_CTL_TSYNC = 4;
    static final int ATTR_API_SYSRAWRC = 9;
    /** The API level from which SCMP_ACT_NOTIFY, the notify calls, and TSYNC together with a listener work. */
    static final int API_NOTIFY_WITH_TSYNC = 6;

    static final int ECANCELED = 125;

    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(PathElement.groupElement("errno"));

    private static final SymbolLookup LOOKUP = lookup();
    /** Why libseccomp cannot be used here, or null; set while the handles below are linked. */
    private static String unavailable = LOOKUP == null ? LIBRARY + " is not installed (apt-get install libseccomp2)" : null;

    static final MethodHandle INIT = function("seccomp_init");
    static final MethodHandle RELEASE = function("seccomp_release");
    static final MethodHandle ATTR_SET = function("seccomp_attr_set");
    /** int seccomp_rule_add_array(ctx, action, syscall, arg_cnt, const struct scmp_arg_cmp *). */
    static final MethodHandle RULE_ADD_ARRAY = function("seccomp_rule_add_array");
    static final MethodHandle LOAD = function("seccomp_load");
    static final MethodHandle EXPORT_BPF = function("seccomp_export_bpf");
    static final MethodHandle EXPORT_PFC = function("seccomp_export_pfc");
    static final MethodHandle NOTIFY_FD = function("seccomp_notify_fd");
    static final MethodHandle API_GET = function("seccomp_api_get");
    static final MethodHandle ARCH_NATIVE = function("seccomp_arch_native");
    static final MethodHandle RESOLVE_NAME = function("seccomp_syscall_resolve_name");
    /** Returns a string the caller frees. */
    static final MethodHandle RESOLVE_NUM_ARCH = function("seccomp_syscall_resolve_num_arch");
    static final MethodHandle NOTIFY_ALLOC = function("seccomp_notify_alloc");
    static final MethodHandle NOTIFY_FREE = function("seccomp_notify_free");
    static final MethodHandle NOTIFY_RECEIVE = function("seccomp_notify_receive");
    static final MethodHandle NOTIFY_RESPOND = function("seccomp_notify_respond");
    static final MethodHandle NOTIFY_ID_VALID = function("seccomp_notify_id_valid");
    static final MethodHandle FREE = glibc("free");

    private LibSeccomp() {
    }

    /** Why the library cannot be used (missing, or older than 2.5), or null. */
    static String unavailable() {
        return unavailable;
    }

    /** Throws, saying why, when the library cannot be used; every public entry point calls this first. */
    static void require() {
        if (unavailable != null) {
            throw new SeccompUnavailableException(unavailable);
        }
    }

    /** A libseccomp call returning 0 or a negative errno: throws naming the call and its key argument. */
    static int check(String call, Object argument, int rc) {
        if (rc < 0) {
            throw new SyscallException(call, String.valueOf(argument), -rc);
        }
        return rc;
    }

    /**
     * Runs a notify call: its result, or minus the kernel's errno when libseccomp hid it behind -ECANCELED.
     */
    static int notifyCall(Words.Call call) {
        int rc = (int) Words.plain(call);
        return rc == -ECANCELED ? -(int) ERRNO.get(Words.state(), 0L) : rc;
    }

    /** Linked with the one shape every Atomic native call shares ({@link Words}); null when missing. */
    private static MethodHandle function(String name) {
        return symbol(name).map(Words::link).orElse(null);
    }

    private static MethodHandle glibc(String name) {
        return Words.link(Linker.nativeLinker().defaultLookup().find(name).orElseThrow());
    }

    private static SymbolLookup lookup() {
        try {
            return SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Optional<MemorySegment> symbol(String name) {
        if (LOOKUP == null) {
            return Optional.empty();
        }
        Optional<MemorySegment> symbol = LOOKUP.find(name);
        if (symbol.isEmpty() && unavailable == null) {
            unavailable = LIBRARY + " has no " + name + ": libseccomp 2.5 or later is needed";
        }
        return symbol;
    }
}
