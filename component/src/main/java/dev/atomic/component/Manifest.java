package dev.atomic.component;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One component's manifest (docs/manifest.md): the component's spec and the buffer pools of its calls. Read from a
 * TOML file and checked whole, so that one reading reports every error, each with its line.
 */
public record Manifest(ComponentSpec component, List<PoolSpec> pools) {
    /** Larger is refused before it is read: a manifest is a page of settings, not a data file. */
    public static final int MAX_BYTES = 64 * 1024;

    private static final Pattern SIZE = Pattern.compile("(\\d{1,13}) ?(B|KiB|MiB|GiB|TiB)");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9}) ?(ms|s|m|h)");
    private static final long MIB = 1024 * 1024;

    public Manifest {
        pools = List.copyOf(pools);
    }

    /** Reads a manifest file; relative paths in it are taken from its directory. */
    public static Manifest read(Path file) throws IOException {
        String name = file.getFileName().toString();
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw tooLarge(name, size);
        }
        try (InputStream in = Files.newInputStream(file)) {
            // Read no further than the limit: it may have grown since it was measured.
            return parse(name, in.readNBytes(MAX_BYTES + 1), file.toAbsolutePath().getParent());
        }
    }

    /** A manifest from its bytes, refused whole when they are too many or not UTF-8. */
    static Manifest parse(String name, byte[] bytes, Path base) {
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(name, bytes.length);
        }
        try {
            return parse(name, StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString(), base);
        } catch (CharacterCodingException e) {
            throw new ManifestException(List.of(name + ": not UTF-8 text"));
        }
    }

    private static ManifestException tooLarge(String name, long size) {
        return new ManifestException(List.of(name + ": " + size + " bytes, more than a manifest may hold ("
                + MAX_BYTES / 1024 + " KiB)"));
    }

    /**
     * A manifest from its text. {@code name} names it in errors; {@code base} is the directory relative paths are
     * taken from, or null when it has none (a manifest shipped as a resource).
     */
    public static Manifest parse(String name, String text, Path base) {
        if (text.length() > MAX_BYTES) {
            throw tooLarge(name, text.length());
        }
        Toml.Result toml = Toml.parse(text);
        Reader r = new Reader(name, base);
        for (String e : toml.errors()) {
            r.errors.add(name + ":" + e);
        }
        Manifest m = r.manifest(toml.root());
        if (!r.errors.isEmpty()) {
            throw new ManifestException(r.errors.stream().sorted(java.util.Comparator.comparingInt(Manifest::lineOf))
                    .toList());
        }
        return m;
    }

    /** Reads the document's tables into a spec, collecting every error rather than stopping at the first. */
    private static final class Reader {
        final String file;
        final Path base;
        final List<String> errors = new ArrayList<>();

        Reader(String file, Path base) {
            this.file = file;
            this.base = base;
        }

        /** A table being read: its keys are checked against those it may have. */
        final class Section {
            final Toml.Table table;
            final String name;

            Section(Toml.Table table, String name, String... known) {
                this.table = table;
                this.name = name;
                Set<String> allowed = Set.of(known);
                for (Map.Entry<String, Toml.Value> e : table.entries.entrySet()) {
                    if (!allowed.contains(e.getKey())) {
                        error(e.getValue().line(), "unknown key '" + e.getKey() + "'" + (name.isEmpty() ? ""
                                : " in " + name) + " (known: " + String.join(", ", new TreeSet<>(allowed)) + ")");
                    }
                }
            }

            /** The value of a key of the expected type, or null (absent, or wrong type: reported). */
            <T> T get(String key, Class<T> type, String typeName) {
                Toml.Value v = table.entries.get(key);
                if (v == null) {
                    return null;
                }
                if (type == Double.class && v.value() instanceof Long l) {
                    return type.cast(l.doubleValue());
                }
                if (!type.isInstance(v.value())) {
                    error(v.line(), label(key) + " must be " + typeName + ", found " + Toml.describe(v.value()));
                    return null;
                }
                return type.cast(v.value());
            }

            @SuppressWarnings("unchecked") // Toml makes every array a List of Value
            List<Toml.Value> list(String key, String typeName) {
                return (List<Toml.Value>) get(key, List.class, typeName);
            }

            int line(String key) {
                Toml.Value v = table.entries.get(key);
                return v == null ? table.line : v.line();
            }

            /** How a key is named in errors: by itself, or within its element of an array of tables. */
            String label(String key) {
                return name.isEmpty() || name.startsWith("[") ? key : name + "." + key;
            }

            boolean has(String key) {
                return table.entries.containsKey(key);
            }

            String required(String key, String why) {
                if (!has(key)) {
                    missing(key, why);
                }
                return get(key, String.class, "a string");
            }

            void missing(String key, String why) {
                errors.add(file + (table.line > 0 ? ":" + table.line : "") + ": " + label(key) + " is missing"
                        + (name.startsWith("[") ? " from " + name : "") + ": " + why);
            }

            /** One of a few words, or null (reported). */
            String oneOf(String key, String fallback, String... words) {
                String s = fallback == null ? required(key, "it is " + quoted(words))
                        : has(key) ? get(key, String.class, "a string") : fallback;
                if (s != null && !List.of(words).contains(s)) {
                    error(line(key), label(key) + " must be " + quoted(words) + ", found \"" + s + "\"");
                    return null;
                }
                return s;
            }

            long integer(String key, long fallback) {
                Long v = get(key, Long.class, "an integer");
                return v == null ? fallback : v;
            }

            /** Reports what is wrong with a key's value, if anything; true when nothing is. */
            boolean check(String key, String problem) {
                if (problem != null) {
                    error(line(key), label(key) + ": " + problem);
                }
                return problem == null;
            }

            List<String> strings(String key) {
                List<Toml.Value> items = list(key, "an array of strings");
                List<String> out = new ArrayList<>();
                if (items != null) {
                    for (Toml.Value item : items) {
                        if (item.value() instanceof String s) {
                            out.add(s);
                        } else {
                            error(item.line(), label(key) + " holds strings, found " + Toml.describe(item.value()));
                        }
                    }
                }
                return out;
            }

            /** An array of tables: [[key]] headers, or key = [{…}, …]. */
            List<Section> tables(String key, String... known) {
                List<Toml.Value> items = list(key, "an array of tables ([[" + key + "]])");
                List<Section> out = new ArrayList<>();
                if (items != null) {
                    for (int i = 0; i < items.size(); i++) {
                        Toml.Value item = items.get(i);
                        if (item.value() instanceof Toml.Table t) {
                            out.add(new Section(t, key + "[" + (i + 1) + "]", known));
                        } else {
                            error(item.line(), label(key) + " holds tables, found " + Toml.describe(item.value()));
                        }
                    }
                }
                return out;
            }

            Section table(String key, String... known) {
                Toml.Table t = get(key, Toml.Table.class, "a table ([" + key + "])");
                return t == null ? null : new Section(t, "[" + key + "]", known);
            }
        }

        void error(int line, String message) {
            errors.add(file + ":" + line + ": " + message);
        }

        Manifest manifest(Toml.Table document) {
            Section root = new Section(document, "", "id", "kernel", "kind", "version", "tier", "tier-earned", "state",
                    "checkpoint-every", "image", "provides", "calls", "resources", "restart", "watch", "sandbox",
                    "activation", "idle", "observe", "inject");
            String id = root.required("id", "every component has one");
            if (id != null && ComponentSpec.idProblem(id) != null) {
                error(root.line("id"), ComponentSpec.idProblem(id));
                id = null;
            }
            String kernel = root.oneOf("kernel", null, "services", "dak");
            String kind = root.oneOf("kind", null, "driver", "app", "service");
            if (kernel != null && kind != null && kernel.equals("services") != kind.equals("service")) {
                error(root.line("kind"), kind.equals("service") ? "a service runs in the services kernel, not in dak"
                        : "a " + kind + " runs in the dak kernel (drivers & apps), not in services");
            }
            String version = root.required("version", "the component's own version, like 1.0.0");
            if (version != null && ComponentSpec.versionProblem(version) != null) {
                error(root.line("version"), ComponentSpec.versionProblem(version));
            }
            int tier = (int) root.integer("tier", ComponentSpec.DEFAULT_TIER);
            root.check("tier", ComponentSpec.tierProblem(tier));
            boolean tierEarned = Boolean.TRUE.equals(root.get("tier-earned", Boolean.class, "true or false"));
            root.check("tier-earned", tierEarned && tier != 1 ? ComponentSpec.TIER_EARNED_PROBLEM : null);
            String state = root.oneOf("state", "stateless", "stateless", "checkpointed");
            Image image = image(root);
            List<ServiceRef> provides = provides(root);
            List<PoolSpec> pools = new ArrayList<>();
            List<ServiceRef> calls = calls(root, id, pools);
            Section res = root.table("resources", "cpu", "cpu-weight", "memory", "pids", "rate");
            double cpu = 0;
            long cpuWeight = 0;
            long memory = 192 * MIB;
            long pids = 64;
            long rate = SystemSpec.DEFAULT_RATE;
            if (res != null) {
                Double c = res.get("cpu", Double.class, "a number of CPUs");
                if (c != null) {
                    cpu = c;
                    res.check("cpu", ComponentSpec.cpuLimitProblem(c));
                }
                cpuWeight = res.integer("cpu-weight", 0);
                res.check("cpu-weight", ComponentSpec.cpuWeightProblem(cpuWeight));
                memory = size(res, "memory", memory);
                pids = res.integer("pids", pids);
                res.check("pids", pids >= 1 && pids <= 4_194_304 ? null
                        : "a pids limit is 1 to 4194304 (the kernel's pid_max), not " + pids);
                rate = res.integer("rate", rate);
                res.check("rate", ComponentSpec.rateProblem(rate));
            }
            boolean exec = image != null && image.kind() == Image.Kind.EXEC;
            // A partition host is a JVM that loads classes: nothing an executable image could join.
            root.check("tier", exec && tier == 1 ? "an executable image runs in a process of its own: tier 1 is for "
                    + "Java components, which share a partition host's JVM" : null);
            RestartPolicy restart = restart(root, exec);
            Watch watch = watch(root, "checkpointed".equals(state));
            SandboxGrants sandbox = sandbox(root, kind, tier, restart);
            Activation activation = activation(root, kind, provides.isEmpty());
            List<String> observe = root.strings("observe");
            List<String> inject = root.strings("inject");
            for (String key : List.of("observe", "inject")) {
                for (String other : key.equals("observe") ? observe : inject) {
                    root.check(key, other.equals(ComponentSpec.OBSERVE_ALL) || ComponentSpec.idProblem(other) == null
                            ? null : key + " names component ids, or \"*\" for every other component, not \"" + other
                            + "\"");
                }
            }
            if (!errors.isEmpty()) {
                return null;
            }
            ComponentSpec spec = new ComponentSpec(id, kernel.equals("services") ? Kernel.SERVICES : Kernel.DAK, kind,
                    image, provides, calls, memory, pids, rate, cpu, (int) cpuWeight, version, restart,
                    StateKind.valueOf(state.toUpperCase(java.util.Locale.ROOT)), sandbox, tier, activation,
                    observe, watch, inject, tierEarned);
            return new Manifest(spec, pools);
        }

        private Image image(Section root) {
            Section s = root.table("image", "class", "jar", "exec", "args");
            if (s == null) {
                if (!root.has("image")) {
                    root.missing("image", "a Java class ([image] class = \"…\") or an executable ([image] exec = \"…\")");
                }
                return null;
            }
            String className = s.get("class", String.class, "a string");
            String exec = s.get("exec", String.class, "a string");
            String jar = s.get("jar", String.class, "a string");
            List<String> args = s.strings("args");
            if ((className == null) == (exec == null)) {
                if (!s.has("class") && !s.has("exec")) {
                    error(s.table.line, "[image] needs 'class' (a Java component) or 'exec' (an executable)");
                } else if (className != null) {
                    error(s.line("exec"), "[image] has both 'class' and 'exec': it is one or the other");
                }
                return null;
            }
            if (className != null) {
                String problem = Image.classProblem(className);
                if (problem == null && s.has("args")) {
                    problem = "a Java image takes no 'args'";
                    error(s.line("args"), problem);
                    return null;
                }
                String jarPath = jar == null ? null : path(s, "jar", jar);
                problem = problem != null ? problem : jarPath == null ? null : Image.jarProblem(jarPath);
                if (problem != null) {
                    error(s.line(Image.classProblem(className) != null ? "class" : "jar"), problem);
                    return null;
                }
                return new Image(Image.Kind.JAVA, className, jarPath, List.of());
            }
            if (jar != null) {
                error(s.line("jar"), "an executable image has no 'jar'");
                return null;
            }
            String path = path(s, "exec", exec);
            if (path != null && Image.pathProblem(path) != null) {
                error(s.line("exec"), Image.pathProblem(path));
                return null;
            }
            return path == null ? null : Image.exec(path, args);
        }

        /** A path from the manifest, relative ones taken from its directory. */
        private String path(Section s, String key, String value) {
            if (value.startsWith("/")) {
                return value;
            }
            if (base == null) {
                error(s.line(key), s.label(key) + ": a relative path (\"" + value + "\") needs a manifest file to be "
                        + "relative to");
                return null;
            }
            return base.resolve(value).normalize().toString();
        }

        private List<ServiceRef> provides(Section root) {
            List<ServiceRef> out = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (Section p : root.tables("provides", "service", "version")) {
                String service = service(p, seen);
                long version = p.integer("version", 1);
                if (!p.has("version")) {
                    p.missing("version", "the newest interface version it implements");
                }
                if (p.check("version", ServiceRef.versionProblem(version)) && service != null) {
                    out.add(new ServiceRef(service, (int) version, Set.of()));
                }
            }
            return out;
        }

        private List<ServiceRef> calls(Section root, String id, List<PoolSpec> pools) {
            List<ServiceRef> out = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (Section c : root.tables("calls", "service", "version", "oldest", "methods", "pool")) {
                String service = service(c, seen);
                long version = c.integer("version", 1);
                if (!c.has("version")) {
                    c.missing("version", "the interface version it was written against");
                }
                long oldest = c.integer("oldest", version);
                boolean versions = c.check("version", ServiceRef.versionProblem(version))
                        & c.check("oldest", ServiceRef.versionProblem(oldest));
                if (oldest > version) {
                    error(c.line("oldest"), c.label("oldest") + " (" + oldest + ") is newer than its version ("
                            + version + ")");
                }
                Set<Integer> methods = new TreeSet<>();
                List<Toml.Value> listed = c.list("methods", "an array of method ids");
                if (listed != null) {
                    for (Toml.Value m : listed) {
                        if (m.value() instanceof Long l && l >= 1 && l <= 65_535) {
                            methods.add(l.intValue());
                        } else {
                            error(m.line(), c.label("methods") + " holds method ids from 1 to 65535, found "
                                    + Toml.describe(m.value()));
                        }
                    }
                    if (listed.isEmpty()) {
                        error(c.line("methods"), c.label("methods") + " is empty: leave it out to grant every method");
                    }
                }
                Section pool = c.table("pool", "buffers", "size");
                if (pool != null) {
                    long buffers = pool.integer("buffers", 0);
                    long size = size(pool, "size", 0);
                    if (!pool.has("buffers") || !pool.has("size")) {
                        error(c.line("pool"), c.label("pool") + " needs 'buffers' and 'size'");
                    } else if (service != null && id != null) {
                        try {
                            pools.add(new PoolSpec(id, service, (int) Math.min(buffers, Integer.MAX_VALUE),
                                    (int) Math.min(size, Integer.MAX_VALUE)));
                        } catch (IllegalArgumentException e) {
                            error(c.line("pool"), c.label("pool") + ": " + e.getMessage());
                        }
                    }
                }
                if (service != null && versions && oldest <= version) {
                    out.add(new ServiceRef(service, (int) oldest, (int) version, methods));
                }
            }
            return out;
        }

        private String service(Section s, Set<String> seen) {
            String service = s.required("service", "the name of the service");
            if (service == null) {
                return null;
            }
            if (ServiceRef.nameProblem(service) != null) {
                error(s.line("service"), ServiceRef.nameProblem(service));
                return null;
            }
            if (!seen.add(service)) {
                error(s.line("service"), "'" + service + "' is named twice in " + s.name.replaceFirst("\\[.*", ""));
                return null;
            }
            return service;
        }

        private long size(Section s, String key, long fallback) {
            String text = s.get(key, String.class, "a size like 64MiB");
            if (text == null) {
                return fallback;
            }
            Matcher m = SIZE.matcher(text);
            if (!m.matches()) {
                error(s.line(key), key + " must be like 64MiB, found \"" + text + "\"");
                return fallback;
            }
            int shift = switch (m.group(2)) {
                case "B" -> 0;
                case "KiB" -> 10;
                case "MiB" -> 20;
                case "GiB" -> 30;
                default -> 40;
            };
            long value = Long.parseLong(m.group(1));
            if (value > (1L << 40) >> shift) {
                error(s.line(key), key + " is at most 1TiB, found \"" + text + "\"");
                return fallback;
            }
            return value << shift;
        }

        private RestartPolicy restart(Section root, boolean exec) {
            Section s = root.table("restart", "policy", "limit", "window", "first-delay", "max-delay", "spare");
            if (s == null) {
                return RestartPolicy.DEFAULT;
            }
            String policy = s.oneOf("policy", "on-failure", "on-failure", "never");
            long limit = s.integer("limit", RestartPolicy.DEFAULT.limit());
            s.check("limit", RestartPolicy.limitProblem(limit));
            Duration window = duration(s, "window", RestartPolicy.DEFAULT.window());
            boolean windowOk = window != null && s.check("window", RestartPolicy.windowProblem(window));
            Duration first = duration(s, "first-delay", RestartPolicy.DEFAULT.firstDelay());
            Duration max = duration(s, "max-delay", RestartPolicy.DEFAULT.maxDelay());
            boolean delaysOk = first != null && max != null
                    && s.check(s.has("max-delay") ? "max-delay" : "first-delay", RestartPolicy.delaysProblem(first, max));
            Boolean spare = s.get("spare", Boolean.class, "true or false");
            s.check("spare", exec && spare != null && spare ? "a warm spare is a component host's JVM waiting to "
                    + "become the component; an executable image has no JVM to keep warm" : null);
            if (policy == null || RestartPolicy.limitProblem(limit) != null || !windowOk || !delaysOk) {
                return null;
            }
            return new RestartPolicy(policy.equals("never") ? RestartPolicy.Mode.NEVER : RestartPolicy.Mode.ON_FAILURE,
                    (int) limit, window, first, max, spare != null && spare);
        }

        /** checkpoint-every (only for a checkpointed component) and [watch]: health-every, hang-after. */
        private Watch watch(Section root, boolean checkpointed) {
            Duration checkpoint = watched(root, "checkpoint-every", Watch.DEFAULT.checkpointEvery());
            if (root.has("checkpoint-every") && !checkpointed) {
                error(root.line("checkpoint-every"), "checkpoint-every is for a component whose state is "
                        + "\"checkpointed\"");
            }
            Section s = root.table("watch", "health-every", "hang-after");
            Duration health = s == null ? Watch.DEFAULT.healthEvery()
                    : watched(s, "health-every", Watch.DEFAULT.healthEvery());
            Duration hang = s == null ? Watch.DEFAULT.hangAfter() : watched(s, "hang-after", Watch.DEFAULT.hangAfter());
            return checkpoint == null || health == null || hang == null ? null : new Watch(checkpoint, health, hang);
        }

        private Duration watched(Section s, String key, Duration fallback) {
            Duration d = duration(s, key, fallback);
            return d != null && s.check(key, Watch.problem(d)) ? d : null;
        }

        /** A duration like 30s, 2m or 500ms; the fallback when absent, null when malformed (reported). */
        private Duration duration(Section s, String key, Duration fallback) {
            String text = s.get(key, String.class, "a duration like 30s");
            if (text == null) {
                return s.has(key) ? null : fallback;
            }
            Matcher m = DURATION.matcher(text);
            if (!m.matches()) {
                error(s.line(key), key + " must be like 30s, 2m or 500ms, found \"" + text + "\"");
                return null;
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }

        /** {@code activation} and its {@code [idle]} timeouts, which only an on-demand service has. */
        private Activation activation(Section root, String kind, boolean providesNothing) {
            String mode = root.oneOf("activation", "boot", "boot", "on-demand");
            boolean onDemand = "on-demand".equals(mode);
            if (mode != null && kind != null) {
                root.check("activation", ComponentSpec.activationProblem(onDemand, kind, providesNothing));
            }
            Section s = root.table("idle", "freeze", "stop");
            if (s == null) {
                return onDemand ? Activation.onDemand(Activation.DEFAULT_FREEZE, Activation.DEFAULT_STOP)
                        : Activation.BOOT;
            }
            if (mode != null && !onDemand) {
                error(s.table.line, "[idle] is for an on-demand service: add activation = \"on-demand\", or remove it");
                return null;
            }
            Duration freeze = duration(s, "freeze", Activation.DEFAULT_FREEZE);
            Duration stop = duration(s, "stop", Activation.DEFAULT_STOP);
            boolean fine = freeze != null && s.check("freeze", Activation.timeoutProblem("freeze", freeze));
            fine &= stop != null && s.check("stop", Activation.timeoutProblem("stop", stop));
            if (fine && Activation.orderProblem(freeze, stop) != null) {
                error(s.line(s.has("stop") ? "stop" : "freeze"), Activation.orderProblem(freeze, stop));
                fine = false;
            }
            return fine && mode != null ? Activation.onDemand(freeze, stop) : null;
        }

        /** The sandbox grants; a FUSE mount only for a component that may hold one (known when kind and restart are). */
        private SandboxGrants sandbox(Section root, String kind, int tier, RestartPolicy restart) {
            Section s = root.table("sandbox", "read", "write", "network", "state-size", "fuse-mount", "mounts");
            if (s == null) {
                return SandboxGrants.NONE;
            }
            Map<String, String> seen = new HashMap<>();
            List<List<String>> lists = new ArrayList<>();
            for (String key : List.of("read", "write")) {
                List<String> paths = new ArrayList<>();
                for (String path : s.strings(key)) {
                    String problem = SandboxGrants.pathProblem(path);
                    if (problem != null) {
                        error(s.line(key), key + ": " + problem);
                    } else if (seen.putIfAbsent(path, key) != null) {
                        error(s.line(key), key + ": \"" + path + "\" is already granted in " + seen.get(path));
                    } else {
                        paths.add(path);
                    }
                }
                lists.add(paths);
            }
            Boolean network = s.get("network", Boolean.class, "true or false");
            long stateBytes = size(s, "state-size", SandboxGrants.DEFAULT_STATE_BYTES);
            String problem = SandboxGrants.stateSizeProblem(stateBytes);
            s.check("state-size", problem);
            String fuseMount = s.get("fuse-mount", String.class, "a path or a name");
            boolean fuseFine = fuseMount == null || s.check("fuse-mount", SandboxGrants.fuseMountProblem(fuseMount))
                    && (kind == null || restart == null
                    || s.check("fuse-mount", SandboxGrants.fuseHolderProblem(kind, tier, restart.spare())));
            List<String> mounts = new ArrayList<>();
            for (String driver : s.strings("mounts")) {
                if (ComponentSpec.idProblem(driver) != null) {
                    error(s.line("mounts"), "mounts: " + ComponentSpec.idProblem(driver));
                } else if (mounts.contains(driver)) {
                    error(s.line("mounts"), "mounts: '" + driver + "' is named twice");
                } else {
                    mounts.add(driver);
                }
            }
            return new SandboxGrants(lists.get(0), lists.get(1), network != null && network,
                    problem == null ? stateBytes : SandboxGrants.DEFAULT_STATE_BYTES,
                    fuseMount != null && fuseFine ? fuseMount : "", mounts);
        }
    }

    /** The line an error names ({@code file:line: …}), 0 when it names none: those come first. */
    private static int lineOf(String error) {
        Matcher m = LINE.matcher(error);
        return m.lookingAt() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static final Pattern LINE = Pattern.compile("[^:]*:(\\d+):");

    private static String quoted(String... words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            b.append(i == 0 ? "" : i == words.length - 1 ? " or " : ", ").append('"').append(words[i]).append('"');
        }
        return b.toString();
    }
}
