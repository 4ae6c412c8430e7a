package dev.atomic.drivers.fs;

import dev.atomic.system.Descriptors;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

/**
 * Answers the requests of one FUSE session, read from its device descriptor one at a time on the calling thread.
 * The descriptor may be a session a dead predecessor served: the server first asks the kernel to send again what
 * that one read and never answered ({@link Fuse#NOTIFY_RESEND}); the INIT, if it never answered that either, is
 * among them, and otherwise never comes (the session is already initialised).
 */
final class FuseServer {
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int ENODEV = 19;

    private final int fd;
    private final Tree tree;
    private final PrintStream log;
    private final FuseRequest request;
    private final FuseReply reply;
    private long answered;

    FuseServer(int fd, Tree tree, PrintStream log) {
        this.fd = fd;
        this.tree = tree;
        this.log = log;
        Arena arena = Arena.ofAuto();
        this.request = new FuseRequest(arena.allocate(Fuse.BUFFER, 8));
        this.reply = new FuseReply(arena.allocate(Fuse.BUFFER, 8));
    }

    /**
     * Asks the kernel to queue again the requests read from this session and not answered; false when it cannot
     * (a kernel before 6.9), in which case they are never answered.
     */
    boolean requestResend() {
        long r = Descriptors.write(fd, reply.notification(Fuse.NOTIFY_RESEND).finish());
        return r >= 0;
    }

    /** Serves until the session ends (unmounted or aborted). */
    void serve() throws IOException {
        while (true) {
            long n = Descriptors.read(fd, request.buffer());
            if (n < 0) {
                int errno = (int) -n;
                if (errno == EINTR || errno == EAGAIN || errno == Errors.ENOENT) {
                    continue; // interrupted, or a request its caller gave up on as it was read
                }
                if (errno == ENODEV) {
                    log.println("fs: the session ended (unmounted); " + answered + " requests answered");
                    return;
                }
                throw new IOException("reading the FUSE device failed: errno " + errno);
            }
            MemorySegment answer = answer(request.read((int) n));
            if (answer != null) {
                long w = Descriptors.write(fd, answer);
                if (w < 0 && w != -Errors.ENOENT) { // ENOENT: its caller was interrupted meanwhile
                    throw new IOException("writing a FUSE reply failed: errno " + -w);
                }
                answered++;
            }
        }
    }

    /** The answer to {@code r}, valid until the next; null for the requests that take none. */
    MemorySegment answer(FuseRequest r) {
        long unique = r.unique();
        boolean replay = r.resent();
        if (replay) {
            log.println("fs: answering request " + (unique & ~Fuse.UNIQUE_RESEND) + " (opcode " + r.opcode()
                    + "), sent again: its first reader died before answering");
        }
        try {
            switch (r.opcode()) {
                case Fuse.FORGET, Fuse.BATCH_FORGET, Fuse.INTERRUPT -> {
                    return null;
                }
                case Fuse.INIT -> init(r);
                case Fuse.LOOKUP -> entry(unique, tree.lookup(r.nodeId(), r.name(0)));
                case Fuse.GETATTR -> reply.start(unique).attrOut(tree.attributes(r.nodeId()));
                case Fuse.SETATTR -> setattr(r);
                case Fuse.READLINK -> reply.start(unique).bytes(tree.readlink(r.nodeId())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                case Fuse.SYMLINK -> entry(unique, tree.symlink(r.nodeId(), r.name(0), r.name(r.afterName(0)), replay));
                case Fuse.MKNOD -> mknod(r, replay);
                case Fuse.MKDIR -> entry(unique, tree.mkdir(r.nodeId(), r.name(8), r.int32(0), replay));
                case Fuse.UNLINK, Fuse.RMDIR -> {
                    tree.remove(r.nodeId(), r.name(0), replay);
                    reply.start(unique);
                }
                case Fuse.RENAME -> rename(r, 8, 0, replay);
                case Fuse.RENAME2 -> rename(r, 16, r.int32(8), replay);
                case Fuse.LINK -> entry(unique, tree.link(r.int64(0), r.nodeId(), r.name(8), replay));
                case Fuse.OPEN, Fuse.OPENDIR -> reply.start(unique).openOut(r.nodeId());
                case Fuse.READ -> read(r);
                case Fuse.WRITE -> write(r);
                case Fuse.STATFS -> statfs(unique);
                case Fuse.FSYNC -> {
                    tree.fsync(r.nodeId());
                    reply.start(unique);
                }
                case Fuse.RELEASEDIR -> {
                    tree.closeDirectory(r.nodeId());
                    reply.start(unique);
                }
                case Fuse.RELEASE, Fuse.FLUSH, Fuse.FSYNCDIR, Fuse.DESTROY -> reply.start(unique);
                case Fuse.READDIR -> readdir(r);
                case Fuse.CREATE -> {
                    long id = tree.create(r.nodeId(), r.name(16), r.int32(4), replay);
                    entry(unique, id);
                    reply.openOut(id);
                }
                // ACCESS among them: with default_permissions the kernel checks, and stops asking once told ENOSYS.
                default -> reply.error(unique, Errors.ENOSYS);
            }
        } catch (IOException e) {
            reply.error(unique, Errors.of(e));
        } catch (RuntimeException e) {
            log.println("fs: request " + unique + " (opcode " + r.opcode() + ") failed: " + e);
            reply.error(unique, Errors.EIO);
        }
        return reply.finish();
    }

    private void entry(long unique, long id) throws IOException {
        reply.start(unique).entry(id, tree.attributes(id));
    }

    /**
     * struct fuse_init_in: major, minor, max_readahead, flags, flags2. The answer (struct fuse_init_out, 64 bytes)
     * takes what this driver wants of what the kernel offers.
     */
    private void init(FuseRequest r) {
        int major = r.int32(0);
        int minor = r.int32(4);
        if (major != Fuse.MAJOR) {
            log.println("fs: the kernel speaks FUSE " + major + "." + minor + ", this driver " + Fuse.MAJOR);
            reply.error(r.unique(), Errors.EPROTO);
            return;
        }
        long offered = Integer.toUnsignedLong(r.int32(12))
                | ((Integer.toUnsignedLong(r.int32(12)) & Fuse.INIT_EXT) != 0 ? Integer.toUnsignedLong(r.int32(16)) << 32 : 0);
        long flags = offered & Fuse.WANTED;
        reply.start(r.unique()).int32(Fuse.MAJOR).int32(Math.min(minor, Fuse.MINOR)).int32(r.int32(8))
                .int32((int) flags).int16(16).int16(12).int32(Fuse.MAX_WRITE).int32(1).int16(Fuse.MAX_PAGES_COUNT)
                .int16(0).int32((int) (flags >>> 32)).int32(0).zeros(24);
        log.println("fs: session initialised (FUSE " + major + "." + minor + ", the kernel "
                + ((offered & Fuse.HAS_RESEND) != 0 ? "resends" : "does NOT resend")
                + " what a dead driver read and never answered)");
    }

    /** struct fuse_setattr_in: valid, fh, size, lock_owner, atime, mtime, ctime, their nanoseconds, mode, uid, gid. */
    private void setattr(FuseRequest r) throws IOException {
        int valid = r.int32(0);
        FileTime atime = time(valid, Fuse.FATTR_ATIME, Fuse.FATTR_ATIME_NOW, r.int64(32), r.int32(56));
        FileTime mtime = time(valid, Fuse.FATTR_MTIME, Fuse.FATTR_MTIME_NOW, r.int64(40), r.int32(60));
        tree.setAttributes(r.nodeId(), valid, r.int32(68), r.int32(76), r.int32(80), r.int64(16), atime, mtime);
        reply.start(r.unique()).attrOut(tree.attributes(r.nodeId()));
    }

    private static FileTime time(int valid, int set, int now, long seconds, int nanos) {
        if ((valid & set) == 0) {
            return null;
        }
        return FileTime.from((valid & now) != 0 ? Instant.now() : Instant.ofEpochSecond(seconds, nanos));
    }

    /** struct fuse_mknod_in: mode, rdev, umask, padding; then the name. Only regular files: FIFOs and devices, no. */
    private void mknod(FuseRequest r, boolean replay) throws IOException {
        int mode = r.int32(0);
        if ((mode & Attributes.S_IFMT) != Attributes.S_IFREG) {
            reply.error(r.unique(), Errors.EPERM);
            return;
        }
        entry(r.unique(), tree.create(r.nodeId(), r.name(16), mode, replay));
    }

    /** RENAME: newdir, then the names; RENAME2: newdir, flags, padding, then the names. */
    private void rename(FuseRequest r, int namesAt, int flags, boolean replay) throws IOException {
        if ((flags & ~Fuse.RENAME_NOREPLACE) != 0) {
            reply.error(r.unique(), Errors.EINVAL); // RENAME_EXCHANGE, RENAME_WHITEOUT: not offered
            return;
        }
        tree.rename(r.nodeId(), r.name(namesAt), r.int64(0), r.name(r.afterName(namesAt)),
                flags == Fuse.RENAME_NOREPLACE, replay);
        reply.start(r.unique());
    }

    /** struct fuse_read_in: fh, offset, size, … The data follows the header straight from the file. */
    private void read(FuseRequest r) throws IOException {
        int size = Math.min(r.int32(16), Fuse.MAX_WRITE);
        reply.start(r.unique());
        ByteBuffer room = reply.room(size).asByteBuffer();
        reply.advance(tree.read(r.nodeId(), r.int64(8), room));
    }

    /** struct fuse_write_in (40 bytes: fh, offset, size, …), then the data; answered with struct fuse_write_out. */
    private void write(FuseRequest r) throws IOException {
        int size = r.int32(16);
        MemorySegment data = r.data(40, size);
        tree.write(r.nodeId(), r.int64(8), data.asByteBuffer());
        reply.start(r.unique()).int32(size).int32(0);
    }

    private void statfs(long unique) throws IOException {
        long[] s = tree.statfs();
        reply.start(unique).int64(s[0]).int64(s[1]).int64(s[2]).int64(s[3]).int64(s[4]).int32((int) s[5])
                .int32((int) s[6]).int32((int) s[5]).int32(0).zeros(24);
    }

    /** As many entries as fit in the size asked for, from the offset asked for; each says where the next starts. */
    private void readdir(FuseRequest r) throws IOException {
        long offset = r.int64(8);
        int limit = r.int32(16);
        List<Tree.Entry> entries = tree.list(r.nodeId(), offset);
        reply.start(r.unique());
        long next = offset;
        for (Tree.Entry e : entries) {
            if (!reply.dirent(e.ino(), ++next, e.type(), e.name(), limit)) {
                break;
            }
        }
    }
}
