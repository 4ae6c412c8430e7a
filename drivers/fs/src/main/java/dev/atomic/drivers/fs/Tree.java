package dev.atomic.drivers.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The directory tree this driver serves, by node id: what each request does to the backing files. Every change is
 * safe to make twice: the kernel sends again what a driver read and died before answering (a {@code replay}), which
 * that driver may have done already. So, for a replay only, a directory or file to make that is already there, a name
 * to remove that is already gone, a rename already made, are answered as done; a write at an offset is the same
 * write again. The first time, each gets the ordinary error.
 */
final class Tree implements Closeable {
    /** One entry of a directory listing: its inode number, d_type and name. */
    record Entry(long ino, int type, String name) {
    }

    private final Path root;
    private final NodeTable nodes;
    private final OpenFiles files = new OpenFiles();
    /** Each open directory's listing, taken when it is read from its start, so later reads continue the same one. */
    private final Map<Long, List<Entry>> listings = new HashMap<>();

    Tree(Path root, NodeTable nodes) {
        this.root = root;
        this.nodes = nodes;
    }

    int nodeCount() {
        return nodes.size();
    }

    Path path(long id) throws IOException {
        Path p = nodes.path(root, id);
        if (p == null) {
            throw new Errors.Failure(Errors.ESTALE, "node " + id + " is not one this session handed out");
        }
        return p;
    }

    Attributes attributes(long id) throws IOException {
        return Attributes.of(path(id));
    }

    /** The node id of {@code name} in {@code parent}, which must exist. */
    long lookup(long parent, String name) throws IOException {
        Path p = path(parent).resolve(name);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(p.toString());
        }
        return nodes.idOf(parent, name);
    }

    long mkdir(long parent, String name, int mode, boolean replay) throws IOException {
        Path p = path(parent).resolve(name);
        try {
            Files.createDirectory(p);
        } catch (FileAlreadyExistsException e) {
            if (!replay || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw e;
            }
        }
        Files.setAttribute(p, "unix:mode", mode & 07777, LinkOption.NOFOLLOW_LINKS);
        return nodes.idOf(parent, name);
    }

    /** A new regular file (CREATE, MKNOD of a regular file). */
    long create(long parent, String name, int mode, boolean replay) throws IOException {
        Path p = path(parent).resolve(name);
        try {
            Files.createFile(p);
            Files.setAttribute(p, "unix:mode", mode & 07777, LinkOption.NOFOLLOW_LINKS);
        } catch (FileAlreadyExistsException e) {
            if (!replay || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                throw e;
            }
        }
        return nodes.idOf(parent, name);
    }

    long symlink(long parent, String name, String target, boolean replay) throws IOException {
        Path p = path(parent).resolve(name);
        try {
            Files.createSymbolicLink(p, Path.of(target));
        } catch (FileAlreadyExistsException e) {
            if (!replay || !Files.isSymbolicLink(p) || !Files.readSymbolicLink(p).toString().equals(target)) {
                throw e;
            }
        }
        return nodes.idOf(parent, name);
    }

    long link(long id, long newParent, String newName, boolean replay) throws IOException {
        Path existing = path(id);
        Path p = path(newParent).resolve(newName);
        try {
            Files.createLink(p, existing);
        } catch (FileAlreadyExistsException e) {
            if (!replay || !Files.isSameFile(p, existing)) {
                throw e;
            }
        }
        return nodes.idOf(newParent, newName);
    }

    String readlink(long id) throws IOException {
        return Files.readSymbolicLink(path(id)).toString();
    }

    /** UNLINK and RMDIR: the kernel has checked which it is from its own view of the entry. */
    void remove(long parent, String name, boolean replay) throws IOException {
        Path p = path(parent).resolve(name);
        if (!Files.deleteIfExists(p) && !replay) {
            throw new NoSuchFileException(p.toString());
        }
        nodes.drop(parent, name);
    }

    void rename(long parent, String name, long newParent, String newName, boolean noReplace, boolean replay)
            throws IOException {
        Path from = path(parent).resolve(name);
        Path to = path(newParent).resolve(newName);
        if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS) && replay && Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            // The kernel saw the source when it sent this: only its first run, by a driver now dead, moved it; that
            // run may have died before journaling the move, or after (the target's node is then the one moved).
            if (nodes.find(parent, name) != 0) {
                nodes.move(parent, name, newParent, newName);
            }
            return;
        }
        if (noReplace && Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(to.toString());
        }
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        nodes.move(parent, name, newParent, newName);
    }

    /** SETATTR's changes, each made if {@code valid} names it. */
    void setAttributes(long id, int valid, int mode, int uid, int gid, long size, FileTime atime, FileTime mtime)
            throws IOException {
        Path p = path(id);
        if ((valid & Fuse.FATTR_MODE) != 0) {
            Files.setAttribute(p, "unix:mode", mode & 07777, LinkOption.NOFOLLOW_LINKS);
        }
        if ((valid & Fuse.FATTR_UID) != 0) {
            Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        }
        if ((valid & Fuse.FATTR_GID) != 0) {
            Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
        if ((valid & Fuse.FATTR_SIZE) != 0) {
            FileChannel c = files.channel(id, p);
            if (size < c.size()) {
                c.truncate(size);
            } else if (size > c.size()) {
                c.write(ByteBuffer.allocate(1), size - 1);
            }
        }
        if (atime != null || mtime != null) {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(mtime, atime, null);
        }
    }

    /** Reads up to {@code into}'s size at {@code offset}; how many bytes (fewer only at the end of the file). */
    int read(long id, long offset, ByteBuffer into) throws IOException {
        FileChannel c = files.channel(id, nodes.path(root, id));
        int total = 0;
        while (into.hasRemaining()) {
            int n = c.read(into, offset + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    void write(long id, long offset, ByteBuffer data) throws IOException {
        FileChannel c = files.channel(id, nodes.path(root, id));
        long at = offset;
        while (data.hasRemaining()) {
            at += c.write(data, at);
        }
    }

    void fsync(long id) throws IOException {
        files.channel(id, nodes.path(root, id)).force(true);
    }

    /** The listing of directory {@code id} from entry {@code offset} on: ".", "..", then its names in order. */
    List<Entry> list(long id, long offset) throws IOException {
        List<Entry> listing = offset == 0 ? null : listings.get(id);
        if (listing == null) {
            listing = listing(id);
            listings.put(id, listing);
        }
        return listing.subList((int) Math.min(offset, listing.size()), listing.size());
    }

    void closeDirectory(long id) {
        listings.remove(id);
    }

    private List<Entry> listing(long id) throws IOException {
        Path dir = path(id);
        Attributes self = Attributes.of(dir);
        List<Entry> entries = new ArrayList<>(List.of(new Entry(self.ino(), self.direntType(), "."),
                new Entry(self.ino(), self.direntType(), "..")));
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(children::add);
        }
        children.sort(null);
        for (Path child : children) {
            try {
                Attributes a = Attributes.of(child);
                entries.add(new Entry(a.ino(), a.direntType(), child.getFileName().toString()));
            } catch (NoSuchFileException gone) {
                // removed since the listing began
            }
        }
        return entries;
    }

    /** struct fuse_kstatfs of the backing file system: blocks, bfree, bavail, files, ffree; block size, name length. */
    long[] statfs() throws IOException {
        java.nio.file.FileStore store = Files.getFileStore(root);
        long block = 4096;
        return new long[]{store.getTotalSpace() / block, store.getUnallocatedSpace() / block,
                store.getUsableSpace() / block, 0, 0, block, 255};
    }

    @Override
    public void close() throws IOException {
        files.close();
        nodes.close();
    }
}
