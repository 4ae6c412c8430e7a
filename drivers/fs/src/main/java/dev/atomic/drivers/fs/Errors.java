package dev.atomic.drivers.fs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Map;

/** The errno a failed backing operation answers the kernel with: what the JDK's exception stands for. */
final class Errors {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EIO = 5;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EROFS = 30;
    /** A protocol error: an INIT of a major version this driver does not speak. */
    static final int EPROTO = 71;
    static final int ENOSYS = 38;
    static final int ENOTEMPTY = 39;
    static final int ELOOP = 40;
    static final int ENAMETOOLONG = 36;
    /** A node id this session never handed out: the kernel's handle is stale. */
    static final int ESTALE = 116;

    /** The JDK words a FileSystemException's reason with strerror's text. */
    private static final Map<String, Integer> BY_REASON = Map.of("Operation not permitted", EPERM,
            "Is a directory", EISDIR, "Not a directory", ENOTDIR, "Invalid argument", EINVAL,
            "No space left on device", ENOSPC, "Read-only file system", EROFS, "Directory not empty", ENOTEMPTY,
            "Too many levels of symbolic links", ELOOP, "File name too long", ENAMETOOLONG,
            "Permission denied", EACCES);

    private Errors() {
    }

    /** A failure that is an errno of its own, not the JDK's. */
    static final class Failure extends IOException {
        private final int errno;

        Failure(int errno, String message) {
            super(message);
            this.errno = errno;
        }
    }

    static int of(IOException e) {
        return switch (e) {
            case Failure f -> f.errno;
            case NoSuchFileException x -> ENOENT;
            case FileAlreadyExistsException x -> EEXIST;
            case DirectoryNotEmptyException x -> ENOTEMPTY;
            case AccessDeniedException x -> EACCES;
            case NotDirectoryException x -> ENOTDIR;
            case NotLinkException x -> EINVAL;
            case FileSystemException x when x.getReason() != null -> BY_REASON.getOrDefault(x.getReason(), EIO);
            // FileChannel's reads and writes fail with a plain IOException worded as strerror words it.
            default -> BY_REASON.getOrDefault(String.valueOf(e.getMessage()), EIO);
        };
    }
}
