package dev.atomic.vault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code atomic vault keygen | trust | add | sign | verify | list | gc} as plain methods returning the lines to
 * print, so the command line is a thin shell. A refusal or failure is a {@link VaultException} whose message is the
 * text to show; the command should then exit non-zero.
 */
public final class VaultCommands {

    private final Path vaultDir;

    public VaultCommands(Path vaultDir) {
        this.vaultDir = vaultDir;
    }

    /** Makes a key pair in {@code keyDir} and trusts its public key in this Vault (creating the Vault if needed). */
    public List<String> keygen(Path keyDir, String name) throws IOException {
        Vault vault = Vault.init(vaultDir);
        Keys.KeyFiles k = Keys.keygen(keyDir, name);
        vault.trustStore().trust(name, Keys.readPublic(k.publicKey()));
        return List.of(
                "private key  " + k.privateKey() + " (mode 0400; keep it secret, and away from the machines it signs for)",
                "public key   " + k.publicKey(),
                "fingerprint  " + k.fingerprint(),
                "trusted by the Vault " + vault.root() + " as '" + name + "'");
    }

    /** Trusts a public key file (X.509, PEM or DER) under its file name without {@code .pub}. */
    public List<String> trust(Path publicKey) throws IOException {
        Vault vault = Vault.init(vaultDir);
        String file = publicKey.getFileName().toString();
        String name = file.endsWith(".pub") ? file.substring(0, file.length() - 4) : file;
        TrustStore.TrustedKey k = vault.trustStore().trust(name, Keys.readPublic(publicKey));
        return List.of("trusted '" + k.name() + "' (" + k.fingerprint() + ") in the Vault " + vault.root());
    }

    /** Stores a file as an object, outside any release. */
    public List<String> add(Path file) throws IOException {
        Vault vault = Vault.init(vaultDir);
        String hash = vault.add(file);
        return List.of(hash + "  " + file + "  " + Files.size(vault.objectPath(hash)) + " bytes");
    }

    /**
     * Stores {@code source} (a file, or every file below a directory) and records it in the draft of
     * {@code release} under {@code path} (a directory's files below it). Modes are normalised: 0755 if the owner
     * may execute the file, else 0644.
     */
    public List<String> add(String release, Layer layer, String component, String path, Path source)
            throws IOException {
        Vault vault = Vault.init(vaultDir);
        Releases releases = vault.releases();
        if (releases.names().contains(release)) {
            throw new VaultException("release '" + release + "' is already published; releases are immutable, so add "
                    + "to a new release");
        }
        ReleaseManifest draft = releases.draft(release).orElse(ReleaseManifest.of(release, Instant.now(), List.of()));
        List<ReleaseManifest.Entry> added = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Path> f : placements(path, source).entrySet()) {
            String hash = vault.add(f.getValue());
            int mode = Modes.forRelease(f.getValue());
            ReleaseManifest.Entry e = new ReleaseManifest.Entry(f.getKey(), hash, Files.size(vault.objectPath(hash)),
                    layer, component, mode);
            added.add(e);
            lines.add("added  " + Modes.octal(mode) + "  " + Sha256.brief(hash) + "  " + e.path() + "  (" + component
                    + ", " + layer.label() + ", " + e.size() + " bytes)");
        }
        ReleaseManifest next = draft.with(added);
        releases.saveDraft(next);
        lines.add("draft '" + release + "': " + next.entries().size() + " file(s); publish it with atomic vault sign "
                + release + " --key <name>.key");
        return lines;
    }

    /**
     * Signs the draft of {@code release} with {@code privateKey} ({@code name.key}; {@code name.pub} must lie beside
     * it) and publishes it. Every object it names must be stored and intact.
     */
    public List<String> sign(String release, Path privateKey) throws IOException {
        Vault vault = Vault.open(vaultDir);
        Releases releases = vault.releases();
        ReleaseManifest draft = releases.draft(release).orElseThrow(() -> new VaultException("no draft of release '"
                + release + "': add files first with atomic vault add " + release + " ..."));
        List<String> problems = objectProblems(vault, draft);
        if (!problems.isEmpty()) {
            throw new VaultException("cannot sign release '" + release + "': " + String.join("; ", problems));
        }
        String file = privateKey.getFileName().toString();
        if (!file.endsWith(".key")) {
            throw new VaultException("private key " + privateKey + " must be named <name>.key, with <name>.pub beside it");
        }
        Path publicKey = privateKey.resolveSibling(file.substring(0, file.length() - 4) + ".pub");
        if (!Files.isRegularFile(publicKey)) {
            throw new VaultException("public key " + publicKey + " not found beside " + privateKey + ": the signature "
                    + "names its key by the public key's fingerprint");
        }
        PrivateKey priv = Keys.readPrivate(privateKey);
        PublicKey pub = Keys.readPublic(publicKey);
        ReleaseManifest manifest = draft.withCreated(Instant.now());
        String fingerprint = releases.publish(manifest, priv, pub);
        releases.deleteDraft(release);
        List<String> lines = new ArrayList<>();
        lines.add("published release '" + release + "': " + manifest.entries().size() + " file(s) in "
                + manifest.components().size() + " component(s), signed by key " + fingerprint);
        if (vault.trustStore().keys().stream().noneMatch(k -> k.fingerprint().equals(fingerprint))) {
            lines.add("note: this Vault does not trust that key, so the release will not verify here until "
                    + publicKey + " is trusted (atomic vault trust " + publicKey + ")");
        }
        return lines;
    }

    /** Checks the signature of {@code release} and that every object it names is stored and intact. */
    public List<String> verify(String release) throws IOException {
        Vault vault = Vault.open(vaultDir);
        VerifiedRelease v = vault.verify(release);
        List<String> problems = objectProblems(vault, v.manifest());
        String head = "release '" + release + "': signed by " + v.signer() + "; " + v.manifest().entries().size()
                + " file(s) in " + v.manifest().components().size() + " component(s)";
        if (!problems.isEmpty()) {
            throw new VaultException(head + ", but " + problems.size() + " object(s) cannot be used:\n  "
                    + String.join("\n  ", problems));
        }
        return List.of(head + "; every object intact");
    }

    /** Verifies every release and hashes every object again. */
    public List<String> verify() throws IOException {
        Vault vault = Vault.open(vaultDir);
        List<String> lines = new ArrayList<>();
        boolean failed = false;
        for (String r : vault.releases().names()) {
            try {
                lines.addAll(verify(r));
            } catch (VaultException e) {
                lines.add(e.getMessage());
                failed = true;
            }
        }
        List<String> objects = vault.verifyObjects();
        lines.add(vault.objectHashes().size() + " object(s) hashed again: " + (objects.isEmpty() ? "all intact"
                : objects.size() + " problem(s)"));
        objects.forEach(p -> lines.add("  " + p));
        if (failed || !objects.isEmpty()) {
            throw new VaultException(String.join("\n", lines));
        }
        return lines;
    }

    /** The Vault at a glance: objects, trusted keys, releases (with their signer) and drafts. */
    public List<String> list() throws IOException {
        Vault vault = Vault.open(vaultDir);
        List<String> lines = new ArrayList<>();
        long bytes = 0;
        Set<String> hashes = vault.objectHashes();
        for (String h : hashes) {
            bytes += Files.size(vault.objectPath(h));
        }
        lines.add("Vault " + vault.root() + ": " + hashes.size() + " object(s), " + bytes + " bytes");
        for (TrustStore.TrustedKey k : vault.trustStore().keys()) {
            lines.add("trusted key  " + k.name() + "  " + k.fingerprint());
        }
        for (String r : vault.releases().names()) {
            try {
                VerifiedRelease v = vault.verify(r);
                ReleaseManifest m = v.manifest();
                List<String> channels = new ArrayList<>();
                m.channels().forEach((l, c) -> channels.add(l.label() + " " + c));
                lines.add("release  " + r + "  created " + m.created() + ", signed by " + v.signer() + ", "
                        + m.entries().size() + " file(s) in " + m.components().size() + " component(s); channels: "
                        + String.join(", ", channels));
            } catch (VaultException e) {
                lines.add("release  " + r + "  NOT TRUSTED: " + e.getMessage());
            }
        }
        for (String r : vault.releases().drafts()) {
            int files = vault.releases().draft(r).map(d -> d.entries().size()).orElse(0);
            lines.add("draft    " + r + "  unsigned, " + files + " file(s)");
        }
        return lines;
    }

    /** The entries of a release (verified) or of a draft: mode, size, hash, layer, component, path. */
    public List<String> list(String release) throws IOException {
        Vault vault = Vault.open(vaultDir);
        ReleaseManifest m;
        String head;
        if (vault.releases().names().contains(release)) {
            VerifiedRelease v = vault.verify(release);
            m = v.manifest();
            head = "release '" + release + "', signed by " + v.signer();
        } else {
            m = vault.releases().draft(release).orElseThrow(() -> new VaultException("no release or draft '"
                    + release + "' in the Vault " + vault.root()));
            head = "draft '" + release + "' (unsigned)";
        }
        List<String> lines = new ArrayList<>(m.entries().size() + 1);
        lines.add(head + ": " + m.entries().size() + " file(s)");
        for (ReleaseManifest.Entry e : m.entries()) {
            lines.add(String.format("%s %10d %s %-9s %-20s %s", Modes.octal(e.mode()), e.size(),
                    Sha256.brief(e.sha256()), e.layer().label(), e.component(), e.path()));
        }
        return lines;
    }

    /** Removes every object that no release or draft names, and leftovers of interrupted writes. */
    public List<String> gc() throws IOException {
        Vault vault = Vault.open(vaultDir);
        Set<String> keep = vault.releases().referencedObjects();
        List<String> removed = vault.gc(keep);
        List<String> lines = new ArrayList<>();
        removed.forEach(r -> lines.add("removed  " + r));
        lines.add("gc: removed " + removed.size() + ", kept " + vault.objectHashes().size() + " object(s)");
        return lines;
    }

    /** Where each file of {@code source} goes: the file itself at {@code path}, or a directory's files below it. */
    private static Map<String, Path> placements(String path, Path source) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            out.put(path.isEmpty() || path.endsWith("/") ? join(base, source.getFileName().toString()) : path, source);
            return out;
        }
        if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new VaultException("cannot add " + source + ": not a regular file or directory (symbolic links are "
                    + "not followed)");
        }
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isSymbolicLink(p)) {
                    throw new VaultException("cannot add " + p + ": a symbolic link; the Vault stores files only");
                }
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(join(base, source.relativize(p).toString()), p);
                }
            }
        }
        return out;
    }

    private static String join(String base, String rel) {
        return base.isEmpty() ? rel : base + "/" + rel;
    }

    /** One sentence per distinct object of {@code m} that is missing or not intact. */
    private static List<String> objectProblems(Vault vault, ReleaseManifest m) throws IOException {
        List<String> problems = new ArrayList<>();
        for (String h : new TreeSet<>(m.hashes())) {
            vault.problem(h).ifPresent(problems::add);
        }
        return problems;
    }
}
