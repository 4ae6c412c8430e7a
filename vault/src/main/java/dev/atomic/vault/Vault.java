package dev.atomic.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Maintenance Vault: a directory holding every image Atomic runs, named by SHA-256
 * ({@code objects/<aa>/<hash>}), the signed release manifests and the trusted keys. It is read-only on disk (files
 * 0444, directories 0555); only the Vault's own writes open a directory, briefly. An object is trusted only after
 * its content is hashed again: a corrupt object is reported, never handed out.
 */
public final class Vault {

    static final List<String> DIRECTORIES = List.of("objects", "manifests", "drafts", "keys", "keys/trusted", "tmp");

    private final Path root;

    private Vault(Path root) {
        this.root = root;
    }

    /** Opens an existing Vault, refusing one that anybody but its owner could have changed. */
    public static Vault open(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new VaultException("no Vault at " + abs + " (create one with atomic vault keygen)");
        }
        Path root = abs.toRealPath();
        List<Path> dirs = new ArrayList<>();
        dirs.add(root);
        for (String d : DIRECTORIES) {
            Path p = root.resolve(d);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new VaultException(root + " is not a Vault: it has no " + d + "/ directory");
            }
            dirs.add(p);
        }
        VaultGuard.checkTree(root, dirs);
        return new Vault(root);
    }

    /** Creates a Vault in a new or empty directory and opens it; an existing Vault is only opened (and checked). */
    public static Vault init(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(abs.resolve("objects"), LinkOption.NOFOLLOW_LINKS)) {
            return open(abs);
        }
        if (Files.isDirectory(abs)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(abs)) {
                if (s.iterator().hasNext()) {
                    throw new VaultException("cannot create a Vault in " + abs + ": it is not empty and not a Vault");
                }
            }
        }
        Files.createDirectories(abs);
        Modes.set(abs, 0755);
        for (String d : DIRECTORIES) {
            Files.createDirectory(abs.resolve(d));
            Modes.set(abs.resolve(d), 0755);
        }
        for (String d : DIRECTORIES.reversed()) {
            Modes.set(abs.resolve(d), Modes.READ_ONLY_DIR);
        }
        Modes.set(abs, Modes.READ_ONLY_DIR);
        SafeFiles.fsyncDirectory(abs);
        return open(abs);
    }

    public Path root() {
        return root;
    }

    public TrustStore trustStore() {
        return new TrustStore(this);
    }

    public Releases releases() {
        return new Releases(this);
    }

    /** Shorthand for {@code releases().verify(release)}. */
    public VerifiedRelease verify(String release) throws IOException {
        return releases().verify(release);
    }

    /**
     * Stores {@code file} and returns its SHA-256. The file is read once, hashed as it is copied, so what is stored
     * is what was hashed. Adding a stored file again changes nothing, except that a corrupt copy is replaced.
     */
    public String add(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new VaultException("cannot add " + file + ": not a regular file (symbolic links are not followed)");
        }
        Path tmp = root.resolve("tmp");
        Path objects = root.resolve("objects");
        Path temp = tmp.resolve("add-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try (WriteWindow w = new WriteWindow(tmp, objects); InputStream in = Files.newInputStream(file,
                LinkOption.NOFOLLOW_LINKS)) {
            try {
                String hash = SafeFiles.copy(in, temp, Long.MAX_VALUE - 1, Modes.READ_ONLY_FILE).sha256();
                Path target = objectPath(hash);
                if (Files.isDirectory(target.getParent(), LinkOption.NOFOLLOW_LINKS)) {
                    w.open(target.getParent());
                } else {
                    w.createDirectory(target.getParent());
                }
                if (problem(hash).isPresent()) {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                    SafeFiles.fsyncDirectory(target.getParent());
                }
                return hash;
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Whether an object by that name is stored; its content is not checked (see {@link #object}). */
    public boolean has(String hash) {
        return Sha256.isHash(hash) && Files.isRegularFile(objectPath(hash), LinkOption.NOFOLLOW_LINKS);
    }

    /** The stored object, only if its content still hashes to its name. */
    public Optional<Path> object(String hash) throws IOException {
        return problem(hash).isEmpty() ? Optional.of(objectPath(hash)) : Optional.empty();
    }

    /** Why object {@code hash} cannot be used, in plain words; empty when it is stored and intact. */
    public Optional<String> problem(String hash) throws IOException {
        if (!Sha256.isHash(hash)) {
            return Optional.of("'" + hash + "' is not an object name (64 lowercase hex digits)");
        }
        Path p = objectPath(hash);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of("object " + Sha256.brief(hash) + " is missing from the Vault");
        }
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of("object " + Sha256.brief(hash) + " is not a regular file");
        }
        String actual = Sha256.of(p);
        return actual.equals(hash) ? Optional.empty()
                : Optional.of("object " + Sha256.brief(hash) + " is corrupt: its content hashes to "
                        + Sha256.brief(actual));
    }

    /**
     * Copies object {@code hash} of {@code size} bytes into the new file {@code target} with {@code mode}, checking
     * the hash on the bytes as they are copied (so what was checked is what was written). Throws
     * {@link VaultException} saying what is wrong with the object, and leaves no {@code target} behind, if the copy
     * is not exactly the object named.
     */
    public void copyObject(String hash, long size, Path target, int mode) throws IOException {
        if (!Sha256.isHash(hash)) {
            throw new VaultException("'" + hash + "' is not an object name (64 lowercase hex digits)");
        }
        InputStream in;
        try {
            in = Files.newInputStream(objectPath(hash), LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new VaultException("object " + Sha256.brief(hash) + " is missing from the Vault");
        } catch (FileSystemException e) {
            throw new VaultException("object " + Sha256.brief(hash) + " cannot be read: " + e.getMessage(), e);
        }
        SafeFiles.Copy c;
        try (in) {
            c = SafeFiles.copy(in, target, size, mode);
        } catch (IOException e) {
            Files.deleteIfExists(target);
            throw e;
        }
        String problem = c.size() < size ? "is truncated or replaced: it holds " + c.size() + " of its " + size + " bytes"
                : c.size() > size ? "is corrupt: it holds more than its " + size + " bytes"
                : !c.sha256().equals(hash) ? "is corrupt: its content hashes to " + Sha256.brief(c.sha256())
                : null;
        if (problem != null) {
            Files.deleteIfExists(target);
            throw new VaultException("object " + Sha256.brief(hash) + " " + problem);
        }
    }

    /** Hashes every stored object again; one sentence per object that is corrupt or misplaced. */
    public List<String> verifyObjects() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path p : objectFiles()) {
            String name = p.getFileName().toString();
            if (!isObjectPath(p)) {
                problems.add("stray file " + root.relativize(p) + " (not an object name)");
            } else {
                problem(name).ifPresent(problems::add);
            }
        }
        return problems;
    }

    /** The names of every stored object (their content is not checked). */
    public Set<String> objectHashes() throws IOException {
        Set<String> hashes = new TreeSet<>();
        for (Path p : objectFiles()) {
            if (isObjectPath(p)) {
                hashes.add(p.getFileName().toString());
            }
        }
        return hashes;
    }

    /**
     * Removes every object not in {@code keep}, stray files among the objects, and leftovers of interrupted writes.
     * Returns what it removed: object hashes, and stray files by their path in the Vault.
     */
    public List<String> gc(Set<String> keep) throws IOException {
        List<String> removed = new ArrayList<>();
        Path tmp = root.resolve("tmp");
        try (WriteWindow w = new WriteWindow(tmp)) {
            for (Path p : objectFiles()) {
                String name = p.getFileName().toString();
                boolean object = isObjectPath(p);
                if (!object || !keep.contains(name)) {
                    w.open(p.getParent());
                    SafeFiles.deleteTree(p);
                    removed.add(object ? name : root.relativize(p).toString());
                }
            }
            try (DirectoryStream<Path> s = Files.newDirectoryStream(tmp)) {
                for (Path p : s) {
                    SafeFiles.deleteTree(p);
                    removed.add(root.relativize(p).toString());
                }
            }
        }
        return removed;
    }

    Path objectPath(String hash) {
        return root.resolve("objects").resolve(hash.substring(0, 2)).resolve(hash);
    }

    WriteWindow writeWindow(Path... dirs) throws IOException {
        return new WriteWindow(dirs);
    }

    private boolean isObjectPath(Path p) {
        String name = p.getFileName().toString();
        return Sha256.isHash(name) && p.getParent().getFileName().toString().equals(name.substring(0, 2))
                && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
    }

    /** Every entry two levels below {@code objects/}, and anything misplaced directly in it. */
    private List<Path> objectFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> fanout = Files.newDirectoryStream(root.resolve("objects"))) {
            for (Path dir : fanout) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(dir);
                    continue;
                }
                try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                    s.forEach(files::add);
                }
            }
        }
        files.sort(null);
        return files;
    }
}
