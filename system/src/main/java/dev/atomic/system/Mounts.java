package dev.atomic.system;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * mount(2) and umount2(2) themselves, for a mount whose options name a descriptor of this process (a FUSE session's
 * {@code fd=N}), which the mount tool, another process, could not pass.
 */
public final class Mounts {
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    /** Detach now, release once no longer busy. */
    public static final int MNT_DETACH = 2;

    private static final MethodHandle MOUNT = Libc.function("mount");
    private static final MethodHandle UMOUNT2 = Libc.function("umount2");

    private Mounts() {
    }

    public static void mount(String source, String target, String type, long flags, String data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocateFrom(source);
            MemorySegment t = arena.allocateFrom(target);
            MemorySegment ty = arena.allocateFrom(type);
            MemorySegment d = arena.allocateFrom(data);
            Libc.check("mount", Libc.quoted(target), st -> (int) Words.call(MOUNT, st, s.address(), t.address(),
                    ty.address(), flags, d.address()));
        }
    }

    /** Unmounts {@code target}; false when nothing was mounted there (EINVAL) or it is gone (ENOENT). */
    public static boolean unmount(String target, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment t = arena.allocateFrom(target);
            long r = Libc.raw(st -> (int) Words.call(UMOUNT2, st, t.address(), flags));
            if (r == -Errno.EINVAL || r == -2) {
                return false;
            }
            if (r < 0) {
                throw new SyscallException("umount2", Libc.quoted(target), (int) -r);
            }
            return true;
        }
    }
}
