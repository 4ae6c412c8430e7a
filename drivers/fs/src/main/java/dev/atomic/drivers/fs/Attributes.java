package dev.atomic.drivers.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What FUSE says of a file (struct fuse_attr), from its backing file's stat. Times in nanoseconds since the epoch.
 */
record Attributes(long ino, long size, long atime, long mtime, long ctime, int mode, int nlink, int uid, int gid,
                  int rdev) {
    static final int S_IFMT = 0170000;
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    private static final String WANTED = "unix:ino,size,lastAccessTime,lastModifiedTime,ctime,mode,nlink,uid,gid,rdev";

    static Attributes of(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, WANTED, LinkOption.NOFOLLOW_LINKS);
        return new Attributes((long) a.get("ino"), (long) a.get("size"), nanos(a.get("lastAccessTime")),
                nanos(a.get("lastModifiedTime")), nanos(a.get("ctime")), (int) a.get("mode"), (int) a.get("nlink"),
                (int) a.get("uid"), (int) a.get("gid"), (int) (long) a.get("rdev"));
    }

    /** The d_type of a directory entry: the type bits shifted down. */
    int direntType() {
        return (mode & S_IFMT) >>> 12;
    }

    private static long nanos(Object time) {
        java.time.Instant i = ((FileTime) time).toInstant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
