package dev.atomic.vault;

import dev.atomic.vault.AuditResult.FileCheck;
import dev.atomic.vault.AuditResult.Status;
import dev.atomic.vault.ReleaseManifest.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * Makes the files of one deploy root match a manifest, entry by entry. Nothing is followed through a symbolic link,
 * so a link planted in the root cannot send a write outside it; each file is replaced by one rename.
 */
final class FileRestorer {

    private final Vault vault;
    private final Path root;
    private final Set<Path> directoriesChecked = new HashSet<>();

    /** {@code root} must be a real path (no symbolic link in it). */
    FileRestorer(Vault vault, Path root) {
        this.vault = vault;
        this.root = root;
    }

    /** Checks an entry's file and repairs it if it is missing, altered or has the wrong mode. */
    FileCheck audit(Entry e) {
        Path target = target(e);
        String problem;
        try {
            String directoryNote = ensureDirectories(e.path());
            BasicFileAttributes a = attributes(target);
            if (a != null && a.isDirectory()) {
                return new FileCheck(e, Status.UNREPAIRABLE, "a directory stands where the file belongs; it is left "
                        + "in place");
            }
            problem = differs(target, a, e);
            if (problem == null) {
                int mode = Modes.of(target);
                if (mode == e.mode()) {
                    return new FileCheck(e, Status.OK, "");
                }
                Modes.set(target, e.mode());
                return new FileCheck(e, Status.REPAIRED, "mode was " + Modes.octal(mode) + "; set to "
                        + Modes.octal(e.mode()));
            }
            if (directoryNote != null) {
                problem = directoryNote + "; " + problem;
            }
        } catch (IOException ex) {
            problem = "could not be checked (" + ex.getMessage() + ")";
        }
        return restore(e, target, problem, Status.REPAIRED);
    }

    /** Writes an entry's file into a root being deployed from scratch. */
    FileCheck install(Entry e) {
        try {
            ensureDirectories(e.path());
        } catch (IOException ex) {
            return new FileCheck(e, Status.UNREPAIRABLE, "its directory could not be made: " + ex.getMessage());
        }
        return restore(e, target(e), null, Status.INSTALLED);
    }

    private FileCheck restore(Entry e, Path target, String problem, Status success) {
        String before = problem == null ? "" : problem + "; ";
        Path temp = SafeFiles.tempBeside(target);
        try {
            vault.copyObject(e.sha256(), e.size(), temp, e.mode());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            SafeFiles.fsyncDirectory(target.getParent());
            return new FileCheck(e, success, problem == null ? "" : before + "restored from the Vault");
        } catch (VaultException ex) {
            return new FileCheck(e, Status.UNREPAIRABLE, before + "the Vault has no intact copy: " + ex.getMessage());
        } catch (IOException ex) {
            return new FileCheck(e, Status.UNREPAIRABLE, before + "could not be written: " + ex.getMessage());
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // Only a leftover temp file, which the next audit reports as unexpected.
            }
        }
    }

    /** Why the file differs from its entry, or null if its content is the entry's. */
    private static String differs(Path target, BasicFileAttributes a, Entry e) throws IOException {
        if (a == null) {
            return "missing";
        }
        if (a.isSymbolicLink()) {
            return "was a symbolic link";
        }
        if (!a.isRegularFile()) {
            return "was not a regular file";
        }
        if (a.size() != e.size()) {
            return "altered: " + a.size() + " bytes, the manifest says " + e.size();
        }
        String actual = Sha256.of(target);
        return actual.equals(e.sha256()) ? null : "altered: its content hashes to " + Sha256.brief(actual)
                + ", the manifest says " + Sha256.brief(e.sha256());
    }

    /**
     * Makes every directory above the entry's file a real directory. A link or file in a directory's place is
     * replaced (it cannot be an entry: validation forbids an entry below another), and this is reported.
     */
    private String ensureDirectories(String path) throws IOException {
        String note = null;
        Path dir = root;
        String[] segments = path.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            dir = dir.resolve(segments[i]);
            if (!directoriesChecked.add(dir)) {
                continue;
            }
            BasicFileAttributes a = attributes(dir);
            if (a != null && a.isDirectory()) {
                continue;
            }
            if (a != null) {
                note = "directory " + root.relativize(dir) + " was " + (a.isSymbolicLink() ? "a symbolic link"
                        : "not a directory") + "; replaced by an empty directory";
                Files.delete(dir);
            }
            Files.createDirectory(dir);
            Modes.set(dir, 0755);
        }
        return note;
    }

    private Path target(Entry e) {
        Path target = root.resolve(e.path());
        if (!target.normalize().startsWith(root)) {
            throw new IllegalStateException("a validated entry cannot leave the deploy root: " + e.path());
        }
        return target;
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
