package dev.atomic.drivers.fs;

/**
 * The numbers of the kernel's FUSE protocol (include/uapi/linux/fuse.h) this driver speaks: version 7.40, the first
 * with {@link #NOTIFY_RESEND}. Structures are little-endian C structs on the device; offsets are in
 * {@link FuseRequest} and {@link FuseReply}.
 */
final class Fuse {
    static final int MAJOR = 7;
    static final int MINOR = 40;
    static final long ROOT_ID = 1;

    // Opcodes.
    static final int LOOKUP = 1;
    static final int FORGET = 2;
    static final int GETATTR = 3;
    static final int SETATTR = 4;
    static final int READLINK = 5;
    static final int SYMLINK = 6;
    static final int MKNOD = 8;
    static final int MKDIR = 9;
    static final int UNLINK = 10;
    static final int RMDIR = 11;
    static final int RENAME = 12;
    static final int LINK = 13;
    static final int OPEN = 14;
    static final int READ = 15;
    static final int WRITE = 16;
    static final int STATFS = 17;
    static final int RELEASE = 18;
    static final int FSYNC = 20;
    static final int FLUSH = 25;
    static final int INIT = 26;
    static final int OPENDIR = 27;
    static final int READDIR = 28;
    static final int RELEASEDIR = 29;
    static final int FSYNCDIR = 30;
    static final int ACCESS = 34;
    static final int CREATE = 35;
    static final int INTERRUPT = 36;
    static final int DESTROY = 38;
    static final int BATCH_FORGET = 42;
    static final int RENAME2 = 45;

    /** A notification's code, in the error field of a header whose unique is 0: re-queue what was read, unanswered. */
    static final int NOTIFY_RESEND = 7;
    /** The bit the kernel sets in the unique of a request it sends again after {@link #NOTIFY_RESEND}. */
    static final long UNIQUE_RESEND = 1L << 63;

    // INIT flags (flags | flags2 << 32).
    static final long BIG_WRITES = 1L << 5;
    static final long PARALLEL_DIROPS = 1L << 18;
    static final long MAX_PAGES = 1L << 22;
    static final long INIT_EXT = 1L << 30;
    static final long HAS_RESEND = 1L << 39;
    /** What this driver asks for, of what the kernel offers. */
    static final long WANTED = BIG_WRITES | PARALLEL_DIROPS | MAX_PAGES | INIT_EXT;

    // SETATTR's valid bits.
    static final int FATTR_MODE = 1;
    static final int FATTR_UID = 1 << 1;
    static final int FATTR_GID = 1 << 2;
    static final int FATTR_SIZE = 1 << 3;
    static final int FATTR_ATIME = 1 << 4;
    static final int FATTR_MTIME = 1 << 5;
    static final int FATTR_ATIME_NOW = 1 << 7;
    static final int FATTR_MTIME_NOW = 1 << 8;

    /** RENAME2 flags. */
    static final int RENAME_NOREPLACE = 1;

    static final int IN_HEADER = 40;
    static final int OUT_HEADER = 16;
    /** The largest write this driver takes, and so the kernel sends. */
    static final int MAX_WRITE = 128 * 1024;
    static final int MAX_PAGES_COUNT = MAX_WRITE / 4096;
    /** A read buffer the kernel accepts: a header, a write's arguments and the largest write, with room to spare. */
    static final int BUFFER = MAX_WRITE + 4096;

    private Fuse() {
    }
}
