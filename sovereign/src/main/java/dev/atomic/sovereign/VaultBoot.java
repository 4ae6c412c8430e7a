package dev.atomic.sovereign;

import dev.atomic.component.ComponentHost;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Image;
import dev.atomic.component.SystemSpec;
import dev.atomic.vault.AuditResult;
import dev.atomic.vault.BootAudit;
import dev.atomic.vault.ClassPathImage;
import dev.atomic.vault.Deployment;
import dev.atomic.vault.Keys;
import dev.atomic.vault.Layer;
import dev.atomic.vault.ReleaseManifest;
import dev.atomic.vault.Sha256;
import dev.atomic.vault.Vault;
import dev.atomic.vault.VaultException;
import dev.atomic.vault.VerifiedRelease;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The "vault" step of boot: which signed release runs, deployed from the Maintenance Vault and audited before
 * anything starts.
 * <p>
 * On first boot the installation becomes a release: every image (the Sovereign, the Engine, each component) is stored
 * in the Vault, the manifest is signed with the instance's local key ({@code <home>/keys/local.key}, made then) and
 * deployed to {@code <home>/deploy/<release>}. Later boots audit that deployment and repair it from the Vault. A
 * release made from the installation is followed: when the installed files change, the next boot makes a new one.
 * A release {@code atomic update} installed is kept whatever the installation holds, and {@code --release} boots
 * exactly the one named.
 */
final class VaultBoot {
    static final String LOCAL_KEY = "local";
    private static final String ENGINE_MAIN = "dev.atomic.engine.EngineMain";
    /** Beside a deployed release, the directory of its AOT caches. */
    static final String AOT_SUFFIX = ".aot";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** A release ready to run: verified, deployed, audited. */
    record Booted(VerifiedRelease release, Path root, AuditResult audit) {
        ReleaseManifest manifest() {
            return release.manifest();
        }

        List<Path> classPath(ClassPathImage image) {
            return image.classPath(root, manifest());
        }

        /** How a process of {@code image} names the system on its command line ({@link SystemFiles#reference}). */
        String systemReference(ClassPathImage image, SystemSpec system) {
            return SystemFiles.reference(root, manifest(), image, system);
        }

        /**
         * The system as this release holds it: one from a directory is read again from the Engine image's audited
         * copy, which every process then reads too; a built-in one is {@code system} itself.
         */
        SystemSpec deployed(SystemSpec system, boolean fromDirectory) throws IOException {
            if (!fromDirectory) {
                return system;
            }
            String reference = systemReference(engineImage(), system);
            if (!SystemSpec.isDirectory(reference)) {
                throw new VaultException("release '" + manifest().release() + "' holds no manifests of system '"
                        + system.name() + "'");
            }
            return SystemSpec.fromDirectory(Path.of(reference));
        }

        /** The same release audited again, repairing what changed since. */
        Booted audited(Vault vault) throws IOException {
            return new Booted(release, root, BootAudit.check(vault, release.manifest().release(), root));
        }

        /** Why a component must not start, if it must not. */
        Optional<String> refusal(String component) {
            if (!audit.componentsNotToStart().containsKey(component)) {
                return Optional.empty();
            }
            return Optional.of("its image failed the boot audit and the Vault holds no intact copy ("
                    + audit.with(AuditResult.Status.UNREPAIRABLE).stream()
                    .filter(f -> f.entry().component().equals(component)).findFirst()
                    .map(f -> f.entry().path() + ": " + f.reason()).orElse("") + ")");
        }
    }

    static ClassPathImage sovereignImage() {
        return new ClassPathImage(Layer.SOVEREIGN.label());
    }

    static ClassPathImage engineImage() {
        return new ClassPathImage(Layer.ENGINE.label());
    }

    static ClassPathImage componentImage(ComponentSpec c) {
        return new ClassPathImage(layerOf(c).label() + "/" + c.id());
    }

    static Layer layerOf(ComponentSpec c) {
        return switch (c.kernel()) {
            case SERVICES -> Layer.SERVICES;
            case DAK -> Layer.DAK;
        };
    }

    static Path vaultDir(Path home) {
        return home.resolve("vault");
    }

    static Path deployRoot(Path home, String release) {
        return home.resolve("deploy").resolve(release);
    }

    private final BootOptions options;
    private final SystemSpec system;
    private final Consumer<String> say;

    private VaultBoot(BootOptions options, SystemSpec system, Consumer<String> say) {
        this.options = options;
        this.system = system;
        this.say = say;
    }

    /** Chooses, deploys and audits the release to boot; each thing worth knowing goes to {@code say}. */
    static Booted prepare(BootOptions options, SystemSpec system, Consumer<String> say) throws IOException {
        return new VaultBoot(options, system, say).prepare();
    }

    private Booted prepare() throws IOException {
        Vault vault = Vault.init(vaultDir(options.home()));
        Path home = options.home();
        Optional<ReleasePointer> pointer = ReleasePointer.read(home, options.instance());
        UpdateJournal journal = new UpdateJournal(home, options.instance());
        Optional<UpdateJournal.Entry> unfinished = journal.read();
        if (unfinished.isPresent()) {
            UpdateJournal.Entry u = unfinished.get();
            boolean committed = pointer.map(p -> p.current().equals(u.to())).orElse(false);
            say.accept(committed
                    ? "the update from '" + u.from() + "' to '" + u.to() + "' had committed when Atomic stopped"
                    : "the update from '" + u.from() + "' to '" + u.to() + "' did not finish (Atomic stopped at its "
                    + "step '" + u.step() + "'): its pointer still names '" + pointer.map(ReleasePointer::current)
                    .orElse(u.from()) + "', which boots whole");
            journal.clear();
        }
        String release;
        if (options.release().isPresent()) {
            release = options.release().get();
            say.accept("booting release '" + release + "' as asked (--release); the installation is not looked at");
        } else {
            release = followInstallation(vault, pointer);
        }
        VerifiedRelease verified = vault.verify(release);
        Path root = deployRoot(home, release);
        AuditResult audit;
        if (Files.exists(root)) {
            audit = BootAudit.check(vault, release, root);
        } else {
            say.accept("deploying release '" + release + "' to " + root);
            audit = Deployment.deploy(vault, release, root);
        }
        prune(home, release);
        return new Booted(verified, audit.root(), audit);
    }

    /**
     * A release an update switches to, ready to run: signed by a trusted key, deployed (staged) and audited; refused
     * when any of its images cannot be made right, since an update must not lose a component.
     */
    static Booted staged(Path home, String release) throws IOException {
        Vault vault = Vault.open(vaultDir(home));
        VerifiedRelease verified = vault.verify(release);
        Path root = deployRoot(home, release);
        AuditResult audit = Files.exists(root) ? BootAudit.check(vault, release, root)
                : Deployment.deploy(vault, release, root);
        if (!audit.componentsNotToStart().isEmpty()) {
            throw new VaultException("release '" + release + "' cannot be deployed whole: "
                    + String.join("; ", audit.report().subList(1, audit.report().size())));
        }
        return new Booted(verified, audit.root(), audit);
    }

    /**
     * The current release, or a new one made from the installation when there is none, or when the current one was
     * itself made from the installation and the installed files have changed since.
     */
    private String followInstallation(Vault vault, Optional<ReleasePointer> pointer) throws IOException {
        List<ClassPathImage.Placed> installed = installedImages(system, directory(options), Installation.current());
        Set<ReleaseManifest.Entry> wanted = new HashSet<>();
        installed.forEach(p -> wanted.add(p.entry()));
        if (pointer.isPresent()) {
            ReleasePointer p = pointer.get();
            boolean same = new HashSet<>(vault.verify(p.current()).manifest().entries()).equals(wanted);
            if (same) {
                return p.current();
            }
            if (p.origin().equals(ReleasePointer.UPDATE)) {
                say.accept("the installation differs from release '" + p.current() + "', which atomic update "
                        + "installed: booting '" + p.current() + "'");
                return p.current();
            }
        }
        String release = publish(vault, installed);
        ReleasePointer next = pointer.map(p -> p.next(release, ReleasePointer.INSTALLATION))
                .orElse(new ReleasePointer(release, ReleasePointer.INSTALLATION, Optional.empty()));
        next.write(options.home(), options.instance());
        return release;
    }

    /** Stores every installed image in the Vault and signs the release with the local key. */
    private String publish(Vault vault, List<ClassPathImage.Placed> installed) throws IOException {
        Path keys = options.home().resolve("keys");
        Path privateKey = keys.resolve(LOCAL_KEY + ".key");
        if (!Files.exists(privateKey)) {
            Files.createDirectories(keys);
            Keys.KeyFiles made = Keys.keygen(keys, LOCAL_KEY);
            vault.trustStore().trust(LOCAL_KEY, Keys.readPublic(made.publicKey()));
            say.accept("made the local signing key " + privateKey + " (fingerprint "
                    + Sha256.brief(made.fingerprint()) + "), trusted by the Vault " + vault.root());
        }
        int stored = 0;
        long bytes = 0;
        List<ReleaseManifest.Entry> entries = new ArrayList<>();
        for (ClassPathImage.Placed p : installed) {
            if (vault.problem(p.entry().sha256()).isPresent()) { // missing or corrupt: store the installed copy
                vault.add(p.source());
                stored++;
                bytes += p.entry().size();
            }
            entries.add(p.entry());
        }
        StringBuilder canonical = new StringBuilder();
        entries.stream().map(e -> e.sha256() + " " + e.path() + "\n").sorted().forEach(canonical::append);
        Instant now = Instant.now();
        String release = system.name() + "-" + STAMP.format(now) + "-"
                + Sha256.of(canonical.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 8);
        if (!vault.releases().names().contains(release)) {
            vault.releases().publish(ReleaseManifest.of(release, now, entries),
                    Keys.readPrivate(keys.resolve(LOCAL_KEY + ".key")), Keys.readPublic(keys.resolve(LOCAL_KEY + ".pub")));
        }
        say.accept("made release '" + release + "' from the installation" + directory(options)
                .map(d -> " and the manifests in " + d).orElse("") + ": " + entries.size() + " file(s), "
                + stored + " object(s) (" + (bytes >> 10) + " KiB) stored in the Vault, signed with key '"
                + LOCAL_KEY + "'");
        return release;
    }

    /**
     * Every image of {@code system} as the installation holds it: the Sovereign (the whole class path it runs from),
     * the Engine (its module, the module defining the system, their dependencies), each component (its main class's
     * module, the component host, the system's definition, their dependencies).
     */
    static List<ClassPathImage.Placed> installedImages(SystemSpec system, Optional<Path> directory,
                                                       Installation install) throws IOException {
        for (ComponentSpec c : system.components()) {
            if (directory.isEmpty() && (c.image().kind() != Image.Kind.JAVA || c.image().jar() != null)) {
                throw new IOException(c.id() + "'s image (" + c.image() + ") is outside the installation: only a "
                        + "system from a directory of manifests (atomic boot --system <directory>) may name a jar "
                        + "or an executable");
            }
        }
        Class<?> definition = directory.isPresent() ? SystemSpec.class : SystemSpec.definedBy(system.name());
        Map<Path, String> hashes = new HashMap<>();
        List<ClassPathImage.Placed> all = new ArrayList<>(sovereignImage().describe(install.classPath(),
                Layer.SOVEREIGN, "sovereign", hashes));
        all.addAll(engineImage().describe(install.imageOf(load(ENGINE_MAIN), definition), Layer.ENGINE, "engine",
                hashes));
        if (directory.isPresent()) {
            all.addAll(SystemFiles.manifests(directory.get(), system.name(), engineImage(), Layer.ENGINE, "engine",
                    hashes));
        }
        for (ComponentSpec c : system.components()) {
            ClassPathImage image = componentImage(c);
            if (SystemFiles.executable(c)) {
                all.add(SystemFiles.executable(c, image, layerOf(c), hashes));
                // Its seccomp trampoline (ExecHost) is the component host's code: it loads the second layer, then execs.
                all.addAll(image.describe(install.imageOf(ComponentHost.class, definition), layerOf(c), c.id(), hashes));
            } else {
                List<Path> classPath = new ArrayList<>(c.image().jar() == null
                        ? install.imageOf(load(c.mainClass()), ComponentHost.class, definition)
                        : install.imageOf(ComponentHost.class, definition));
                if (c.image().jar() != null) {
                    classPath.add(SystemFiles.jar(c));
                }
                all.addAll(image.describe(classPath, layerOf(c), c.id(), hashes));
            }
            if (directory.isPresent()) {
                all.addAll(SystemFiles.manifests(directory.get(), system.name(), image, layerOf(c), c.id(), hashes));
            }
        }
        return all;
    }

    /** The directory of manifests the system comes from, if it is not a built-in one. */
    static Optional<Path> directory(BootOptions options) {
        return SystemSpec.isDirectory(options.system()) ? Optional.of(Path.of(options.system())) : Optional.empty();
    }

    private static Class<?> load(String name) throws IOException {
        try {
            return Class.forName(name, false, VaultBoot.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IOException("the installation has no class " + name, e);
        }
    }

    /**
     * Deployments nothing boots any more go: all but the one booting and those the pointer of any instance of this
     * home names, current or previous. A release's AOT caches ({@code <release>.aot}, {@link AotCaches}) stay and go
     * with it.
     */
    static void prune(Path home, String booting) throws IOException {
        Set<String> keep = new HashSet<>(Set.of(booting));
        Path deploy = home.resolve("deploy");
        try (DirectoryStream<Path> pointers = Files.newDirectoryStream(deploy, "*.release")) {
            for (Path f : pointers) {
                String instance = f.getFileName().toString().replaceFirst("\\.release$", "");
                ReleasePointer.read(home, instance).ifPresent(r -> {
                    keep.add(r.current());
                    r.previous().ifPresent(keep::add);
                });
            }
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(deploy, Files::isDirectory)) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                String release = name.endsWith(AOT_SUFFIX) ? name.substring(0, name.length() - AOT_SUFFIX.length()) : name;
                if (!name.startsWith(".") && !keep.contains(release)) {
                    Deployment.remove(d);
                }
            }
        }
    }

    /** Digest input for the measurement log: one line per file of an image, as the release names it. */
    static byte[] listing(ClassPathImage image, ReleaseManifest manifest) {
        StringBuilder b = new StringBuilder();
        for (ReleaseManifest.Entry e : image.entries(manifest)) {
            b.append(e.sha256()).append("  ").append(e.path()).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
