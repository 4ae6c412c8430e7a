package dev.atomic.vault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A JVM image in a release: the entries of a class path, laid out under one directory ({@code engine},
 * {@code services/echo}, …). A jar keeps its file name; a class directory keeps its name, or becomes
 * {@code <module>-<dir>} when it is a build's {@code <module>/target/<dir>}, so that {@code engine/target/classes}
 * and {@code vault/target/classes} do not collide. The builder of a release and everyone who later checks a running
 * process against it (the Sovereign of the Engine, the Engine of the Sovereign) name files through this one class.
 */
public final class ClassPathImage {
    /**
     * What starts a top-level name of an image that is not a class-path entry: the system's manifests
     * ({@code @system}), an executable ({@code @exec}). No class-path entry may be so named.
     */
    public static final String NOT_CODE = "@";
    private final String prefix;

    /** The image under {@code prefix}: a relative release path such as {@code engine} or {@code dak/demo-app}. */
    public ClassPathImage(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** The name a class-path entry has in a release. */
    public static String name(Path entry) {
        Path name = entry.getFileName();
        Path parent = entry.getParent();
        if (Files.isDirectory(entry) && parent != null && parent.getFileName() != null
                && parent.getFileName().toString().equals("target") && parent.getParent() != null
                && parent.getParent().getFileName() != null) {
            return parent.getParent().getFileName() + "-" + name;
        }
        return name.toString();
    }

    /**
     * Every file of {@code classPath} with the release path it gets in this image, sorted. Entries that do not exist
     * hold no code and are left out, as the JVM ignores them.
     */
    public SortedMap<String, Path> files(List<Path> classPath) throws IOException {
        SortedMap<String, Path> files = new TreeMap<>();
        Map<String, Path> names = new HashMap<>();
        for (Path entry : classPath) {
            if (!Files.exists(entry)) {
                continue;
            }
            String name = name(entry);
            if (name.startsWith(NOT_CODE)) {
                throw new VaultException("class path entry " + entry + " is named like what is not code in an image ('"
                        + NOT_CODE + "…'); rename it");
            }
            Path other = names.putIfAbsent(name, entry);
            if (other != null && !other.equals(entry)) {
                throw new VaultException("class path entries " + other + " and " + entry + " would both be '" + name
                        + "' in image " + prefix + "; rename one");
            }
            if (Files.isDirectory(entry)) {
                try (Stream<Path> walk = Files.walk(entry)) {
                    for (Path f : walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                        files.put(prefix + "/" + name + "/" + entry.relativize(f).toString(), f);
                    }
                }
            } else {
                files.put(prefix + "/" + name, entry);
            }
        }
        return files;
    }

    /** A file of an image: its manifest entry and where it comes from. */
    public record Placed(ReleaseManifest.Entry entry, Path source) {
    }

    /**
     * The entries this image gets from {@code classPath}: hashed, not yet stored. {@code hashes} caches hashes by
     * source file, as one jar is part of many images.
     */
    public List<Placed> describe(List<Path> classPath, Layer layer, String component, Map<Path, String> hashes)
            throws IOException {
        List<Placed> placed = new ArrayList<>();
        for (Map.Entry<String, Path> f : files(classPath).entrySet()) {
            Path source = f.getValue();
            String hash = hashes.get(source);
            if (hash == null) {
                hash = Sha256.of(source);
                hashes.put(source, hash);
            }
            placed.add(new Placed(new ReleaseManifest.Entry(f.getKey(), hash, Files.size(source), layer, component,
                    Modes.forRelease(source)), source));
        }
        return placed;
    }

    /** The manifest's entries that belong to this image. */
    public List<ReleaseManifest.Entry> entries(ReleaseManifest manifest) {
        return manifest.entries().stream().filter(e -> e.path().startsWith(prefix + "/")).toList();
    }

    /**
     * The paths of this image whose file differs between releases {@code a} and {@code b}: added, removed, or with
     * another content or mode. Empty when switching the image from one to the other changes nothing.
     */
    public java.util.SortedSet<String> differences(ReleaseManifest a, ReleaseManifest b) {
        Map<String, ReleaseManifest.Entry> left = new HashMap<>();
        entries(a).forEach(e -> left.put(e.path(), e));
        java.util.SortedSet<String> differ = new TreeSet<>();
        for (ReleaseManifest.Entry e : entries(b)) {
            ReleaseManifest.Entry old = left.remove(e.path());
            if (old == null || !old.sha256().equals(e.sha256()) || old.mode() != e.mode()) {
                differ.add(e.path());
            }
        }
        differ.addAll(left.keySet());
        return differ;
    }

    /** The class path of this image as deployed under {@code root}: one entry per top-level name, sorted. */
    public List<Path> classPath(Path root, ReleaseManifest manifest) {
        TreeSet<String> names = new TreeSet<>();
        for (ReleaseManifest.Entry e : entries(manifest)) {
            String name = entryName(e.path());
            if (!name.startsWith(NOT_CODE)) {
                names.add(name);
            }
        }
        return names.stream().map(n -> root.resolve(prefix).resolve(n)).toList();
    }

    /**
     * What keeps the process running from {@code classPath} from being exactly this image of {@code manifest}: each
     * file it would load that the release does not name, or whose content differs, and each file of the image that
     * is missing. Empty when they match. Every file is hashed now, whatever was checked before.
     */
    public List<String> verify(List<Path> classPath, ReleaseManifest manifest) throws IOException {
        Map<String, ReleaseManifest.Entry> expected = new HashMap<>();
        TreeSet<String> names = new TreeSet<>();
        for (ReleaseManifest.Entry e : entries(manifest)) {
            expected.put(e.path(), e);
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Path> f : files(classPath).entrySet()) {
            ReleaseManifest.Entry e = expected.remove(f.getKey());
            names.add(entryName(f.getKey()));
            if (e == null) {
                problems.add(f.getValue() + " is not part of release '" + manifest.release() + "'");
                continue;
            }
            String hash = Sha256.of(f.getValue());
            if (!hash.equals(e.sha256())) {
                problems.add(f.getValue() + " hashes to " + Sha256.brief(hash) + ", release '" + manifest.release()
                        + "' says " + Sha256.brief(e.sha256()));
            }
        }
        for (ReleaseManifest.Entry missing : expected.values()) {
            if (names.contains(entryName(missing.path()))) {
                problems.add(missing.path() + " of release '" + manifest.release() + "' is missing");
            }
        }
        return problems;
    }

    /** The class-path entry a release path of this image belongs to: {@code engine/x.jar} and {@code engine/x/a/B.class} give x. */
    private String entryName(String releasePath) {
        String rest = releasePath.substring(prefix.length() + 1);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
