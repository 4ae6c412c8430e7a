package dev.atomic.vault;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a release deploys: every file with its hash, size, mode, layer and component, and the update channel of each
 * layer. A manifest that exists is valid: the constructors refuse anything else. Its canonical JSON
 * ({@link #toJson()}) is what gets signed.
 */
public record ReleaseManifest(String release, Instant created, Map<Layer, String> channels, List<Entry> entries) {

    /** Larger manifests are refused before parsing; 64 MiB holds a few hundred thousand entries. */
    public static final long MAX_BYTES = 64L << 20;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern CHANNEL = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** One deployed file: {@code path} relative to the deploy root, owned by {@code component} of {@code layer}. */
    public record Entry(String path, String sha256, long size, Layer layer, String component, int mode) {

        public Entry {
            checkPath(path);
            if (!Sha256.isHash(sha256)) {
                throw new VaultException(where(path) + "sha256 must be 64 lowercase hex digits, not '" + sha256 + "'");
            }
            if (size < 0) {
                throw new VaultException(where(path) + "size must be 0 or more, not " + size);
            }
            if (layer == null) {
                throw new VaultException(where(path) + "has no layer");
            }
            if (component == null || !COMPONENT.matcher(component).matches()) {
                throw new VaultException(where(path) + "component '" + component + "' must be 1 to 64 letters, digits, "
                        + "'.', '_' or '-', starting with a letter or digit");
            }
            if (mode < 0 || mode > 0777) {
                throw new VaultException(where(path) + "mode " + Modes.octal(mode) + " is refused: only permission "
                        + "bits (0000 to 0777) are deployed, never setuid, setgid or sticky");
            }
        }

        private static String where(String path) {
            return "entry '" + path + "': ";
        }

        /**
         * Relative, normalised, printable ASCII: such a path can only name a file below the deploy root, and has
         * exactly one spelling, so two entries cannot name one file.
         */
        private static void checkPath(String path) {
            if (path == null || path.isEmpty()) {
                throw new VaultException("an entry has an empty path");
            }
            if (path.startsWith("/")) {
                throw new VaultException(where(path) + "path is absolute; entries are relative to the deploy root");
            }
            if (path.length() > 4095) {
                throw new VaultException(where(path.substring(0, 40) + "…") + "path is longer than 4095 characters");
            }
            for (int i = 0; i < path.length(); i++) {
                char c = path.charAt(i);
                if (c < 0x20 || c > 0x7e || c == '\\') {
                    throw new VaultException(where(path) + "path may hold only printable ASCII without '\\' (found "
                            + String.format("U+%04X", (int) c) + " at " + i + ")");
                }
            }
            for (String segment : path.split("/", -1)) {
                if (segment.equals("..")) {
                    throw new VaultException(where(path) + "path leaves the deploy root ('..')");
                }
                if (segment.isEmpty() || segment.equals(".")) {
                    throw new VaultException(where(path) + "path is not normalised (empty or '.' segment)");
                }
                if (segment.length() > 255) {
                    throw new VaultException(where(path) + "a path segment is longer than 255 characters");
                }
            }
        }
    }

    public ReleaseManifest {
        checkReleaseName(release);
        if (created == null) {
            throw new VaultException("manifest '" + release + "' has no creation time");
        }
        created = created.truncatedTo(ChronoUnit.SECONDS);
        channels = checkChannels(release, channels);
        entries = sortedAndDistinct(release, entries);
    }

    /** A manifest with each layer on its default channel. */
    public static ReleaseManifest of(String release, Instant created, List<Entry> entries) {
        return new ReleaseManifest(release, created, Layer.defaultChannels(), entries);
    }

    /** Parses and validates canonical manifest JSON; {@code label} names the manifest in errors. */
    public static ReleaseManifest parse(byte[] json, String label) {
        return ManifestJson.parse(json, label);
    }

    /** The canonical form: keys sorted, entries sorted by path, one entry per line, UTF-8, final newline. */
    public byte[] toJson() {
        return ManifestJson.write(this);
    }

    /** This manifest with {@code added}, each replacing the entry with the same path if there is one. */
    public ReleaseManifest with(Collection<Entry> added) {
        Set<String> replaced = new HashSet<>();
        for (Entry e : added) {
            replaced.add(e.path());
        }
        List<Entry> next = new ArrayList<>(entries.size() + added.size());
        for (Entry old : entries) {
            if (!replaced.contains(old.path())) {
                next.add(old);
            }
        }
        next.addAll(added);
        return new ReleaseManifest(release, created, channels, next);
    }

    public ReleaseManifest withCreated(Instant time) {
        return new ReleaseManifest(release, time, channels, entries);
    }

    public Set<String> hashes() {
        Set<String> s = new HashSet<>();
        for (Entry e : entries) {
            s.add(e.sha256());
        }
        return s;
    }

    public Set<String> components() {
        Set<String> s = new TreeSet<>();
        for (Entry e : entries) {
            s.add(e.component());
        }
        return s;
    }

    /** Release names become file names, so they are kept to a safe alphabet. */
    public static void checkReleaseName(String release) {
        if (release == null || !NAME.matcher(release).matches()) {
            throw new VaultException("release name '" + release + "' must be 1 to 128 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
    }

    private static Map<Layer, String> checkChannels(String release, Map<Layer, String> channels) {
        if (channels == null || channels.size() != Layer.values().length || channels.containsKey(null)) {
            throw new VaultException("manifest '" + release + "' must name a channel for each of the four layers");
        }
        Map<Layer, String> copy = new EnumMap<>(channels);
        for (Map.Entry<Layer, String> c : copy.entrySet()) {
            if (c.getValue() == null || !CHANNEL.matcher(c.getValue()).matches()) {
                throw new VaultException("manifest '" + release + "': channel '" + c.getValue() + "' of layer "
                        + c.getKey().label() + " must be 1 to 32 lowercase letters, digits or '-'");
            }
        }
        return Collections.unmodifiableMap(copy);
    }

    private static List<Entry> sortedAndDistinct(String release, List<Entry> entries) {
        if (entries == null) {
            throw new VaultException("manifest '" + release + "' has no entry list");
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::path));
        Set<String> paths = new HashSet<>(sorted.size() * 2);
        for (Entry e : sorted) {
            if (!paths.add(e.path())) {
                throw new VaultException("manifest '" + release + "': two entries for '" + e.path() + "'");
            }
        }
        for (Entry e : sorted) {
            String p = e.path();
            for (int i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) {
                if (paths.contains(p.substring(0, i))) {
                    throw new VaultException("manifest '" + release + "': entry '" + p + "' lies below '"
                            + p.substring(0, i) + "', which is itself a file entry");
                }
            }
        }
        return Collections.unmodifiableList(sorted);
    }
}
