package dev.atomic.system.seccomp;

import dev.atomic.system.Words;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What seccomp can do here, and system call names and numbers as libseccomp knows them for this architecture, so
 * that policies name calls ({@code "mount"}) rather than numbers that differ between x86_64 and aarch64.
 */
public final class Seccomp {
    private static final Path ACTIONS_AVAIL = Path.of("/proc/sys/kernel/seccomp/actions_avail");
    /** __NR_SCMP_ERROR: libseccomp does not know the name. */
    private static final int NR_SCMP_ERROR = -1;

    private Seccomp() {
    }

    /**
     * Why filters cannot be built and loaded with user notification here, or empty when they can: libseccomp
     * missing or older than 2.5, a kernel without seccomp filters or without user notification (Linux 5.0), or
     * without notification together with thread sync (Linux 5.7, libseccomp API level 6).
     */
    public static Optional<String> unavailable() {
        String library = LibSeccomp.unavailable();
        if (library != null) {
            return Optional.of(library);
        }
        String actions;
        try {
            actions = Files.readString(ACTIONS_AVAIL);
        } catch (java.io.IOException e) {
            return Optional.of("this kernel has no seccomp filters (" + ACTIONS_AVAIL + " is missing)");
        }
        if (!actions.contains("user_notif")) {
            return Optional.of("this kernel has no seccomp user notification (Linux 5.0+; actions: " + actions.strip() + ")");
        }
        int level = apiLevel();
        if (level < LibSeccomp.API_NOTIFY_WITH_TSYNC) {
            return Optional.of("libseccomp reports API level " + level + " here; notification with thread sync needs "
                    + LibSeccomp.API_NOTIFY_WITH_TSYNC + " (Linux 5.7+)");
        }
        return Optional.empty();
    }

    /** libseccomp's API level for this kernel and process (see seccomp_api_get(3)); 0 without the library. */
    public static int apiLevel() {
        if (LibSeccomp.unavailable() != null) {
            return 0;
        }
        return (int) Words.plain(st -> Words.call(LibSeccomp.API_GET, st));
    }

    /** The AUDIT_ARCH_* token of this process's architecture, as seccomp_data.arch carries it. */
    public static int nativeArch() {
        LibSeccomp.require();
        return (int) Words.plain(st -> Words.call(LibSeccomp.ARCH_NATIVE, st));
    }

    /**
     * The number of {@code name} on this architecture; empty for a call this architecture does not have (libseccomp
     * gives those a negative pseudo number, e.g. {@code iopl} on aarch64). An unknown name is a caller bug.
     */
    public static OptionalInt syscallNumber(String name) {
        LibSeccomp.require();
        int nr;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = arena.allocateFrom(name);
            nr = (int) Words.plain(st -> Words.call(LibSeccomp.RESOLVE_NAME, st, cName.address()));
        }
        if (nr == NR_SCMP_ERROR) {
            throw new IllegalArgumentException("libseccomp knows no system call named '" + name + "'");
        }
        return nr < 0 ? OptionalInt.empty() : OptionalInt.of(nr);
    }

    /** The name of call {@code nr} on architecture {@code arch} (an AUDIT_ARCH_* token); "syscall N" if unknown. */
    @SuppressWarnings("restricted") // a NUL-terminated string libseccomp allocated; freed right after reading
    public static String syscallName(int arch, int nr) {
        LibSeccomp.require();
        MemorySegment s = MemorySegment.ofAddress(Words.plain(st -> Words.call(LibSeccomp.RESOLVE_NUM_ARCH, st, arch,
                nr)));
        if (s.equals(MemorySegment.NULL)) {
            return "syscall " + nr;
        }
        try {
            return s.reinterpret(Long.MAX_VALUE).getString(0);
        } finally {
            Words.plain(st -> Words.call(LibSeccomp.FREE, st, s.address()));
        }
    }
}
