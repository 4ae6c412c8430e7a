package dev.atomic.vault;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Decides whether a Vault on disk can be trusted: nobody but its owner (us or root) may be able to change it,
 * and nothing in it may be a symbolic link leading elsewhere.
 */
final class VaultGuard {

    private static final int MY_UID = effectiveUid();

    private VaultGuard() {
    }

    /** Checks the directories above the Vault, the Vault itself and every directory in it. */
    static void checkTree(Path root, List<Path> dirs) throws IOException {
        for (Path above = root.getParent(); above != null; above = above.getParent()) {
            int mode = Modes.of(above);
            if ((mode & Modes.GROUP_OR_OTHER_WRITE) != 0 && (mode & Modes.STICKY) == 0) {
                throw new VaultException("Vault " + root + " lies in " + above + ", which is writable by "
                        + writers(mode) + " (mode " + Modes.octal(mode) + ") without the sticky bit: anyone there "
                        + "could put another Vault in its place; refusing to trust it");
            }
        }
        for (Path dir : dirs) {
            checkDirectory(root, dir);
        }
        try (DirectoryStream<Path> fanout = Files.newDirectoryStream(root.resolve("objects"))) {
            for (Path entry : fanout) {
                // A stray file here is only reported (verifyObjects) and removed (gc); a link could redirect writes.
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(entry)) {
                    checkDirectory(root, entry);
                }
            }
        }
    }

    static void checkDirectory(Path root, Path dir) throws IOException {
        BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory()) {
            throw new VaultException((dir.equals(root) ? "Vault " + dir : "Vault entry " + dir) + " is "
                    + (a.isSymbolicLink() ? "a symbolic link" : "not a directory") + ": refusing to trust the Vault "
                    + root);
        }
        checkOwnerAndMode(root, dir);
    }

    /** A file the Vault trusts by content it cannot check by hash alone (keys, manifests, signatures). */
    static void checkFile(Path root, Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new VaultException("Vault file " + file + " is " + (a.isSymbolicLink() ? "a symbolic link"
                    : "not a regular file") + ": refusing to trust it");
        }
        checkOwnerAndMode(root, file);
    }

    private static void checkOwnerAndMode(Path root, Path p) throws IOException {
        int mode = Modes.of(p);
        if ((mode & Modes.GROUP_OR_OTHER_WRITE) != 0) {
            String what = p.equals(root) ? "Vault " + p : "Vault " + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                    ? "directory " : "file ") + p;
            throw new VaultException(what + " is writable by " + writers(mode) + " (mode " + Modes.octal(mode)
                    + "): refusing to trust " + (p.equals(root) ? "it" : "the Vault " + root) + "; fix with chmod go-w -R "
                    + root);
        }
        int uid = Modes.owner(p);
        if (MY_UID >= 0 && uid != MY_UID && uid != 0) {
            throw new VaultException("Vault " + (p.equals(root) ? "" : "entry ") + p + " is owned by uid " + uid
                    + ", neither by you (uid " + MY_UID + ") nor by root: that user could change it; refusing to trust "
                    + (p.equals(root) ? "it" : "the Vault " + root));
        }
    }

    private static String writers(int mode) {
        return (mode & 0002) != 0 ? "others" : "its group";
    }

    /** The effective uid, from {@code /proc/self/status}; -1 where that cannot be read (the check is then skipped). */
    private static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
