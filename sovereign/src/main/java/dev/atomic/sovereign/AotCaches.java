package dev.atomic.sovereign;

import dev.atomic.system.cgroup.Background;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The JDK's ahead-of-time cache (JEP 483, 514, 515) for component hosts and for the Engine: the classes a JVM loads,
 * already parsed and linked, and their profiles, so it starts without doing that again. One per component image of a
 * release, made once by the Sovereign — from {@code dev.atomic.component.HostTraining}, in which no component code
 * runs, never by a component — and one for the Engine's image, from {@code dev.atomic.engine.EngineTraining}; kept
 * beside the deployed release ({@code <home>/deploy/<release>.aot/<component>.aot}, {@code Engine.aot}), read
 * only to the components. The JVM only warns when a cache does not match (another JDK, changed jars, other flags)
 * and goes on without it: each cache is tried with {@code -XX:AOTMode=on}, which fails instead, once a boot before
 * any host is started with it, and one that fails is not used, which the report says.
 */
final class AotCaches implements AutoCloseable {
    static final String HOST_TRAINING = "dev.atomic.component.HostTraining";
    static final String ENGINE_TRAINING = "dev.atomic.engine.EngineTraining";
    /** The Engine's cache's name: no component's id starts with a capital. */
    static final String ENGINE = "Engine";

    private final String java;
    private final String training;
    private final String background;
    /** The hosts' own tuning, which a cache must be made and checked with. */
    private final List<String> tuning;
    private volatile boolean closed;
    /** The training or checking run under way. */
    private volatile Process running;
    /** Caches that passed their check, by id (a component's, or {@link #ENGINE}) and release root. */
    private final Map<String, Path> accepted = new ConcurrentHashMap<>();

    /**
     * @param training   the training class: {@link #HOST_TRAINING} or {@link #ENGINE_TRAINING}
     * @param background the background group's {@link Background#ENV}, where the runs go: "" for none
     */
    AotCaches(String java, List<String> tuning, String training, String background) {
        this.java = java;
        this.tuning = List.copyOf(tuning);
        this.training = training;
        this.background = background;
    }

    /** Where the cache {@code id} (a component's host's, or {@link #ENGINE}) for the release deployed at {@code root} lies. */
    static Path file(Path root, String id) {
        return root.resolveSibling(root.getFileName() + VaultBoot.AOT_SUFFIX).resolve(id + ".aot");
    }

    /** The cache {@code id}'s JVM of the release deployed at {@code root} starts with, if one passed. */
    Optional<Path> cacheFor(String id, Path root) {
        return Optional.ofNullable(accepted.get(key(id, root)));
    }

    /** Uses the cache an earlier boot made and checked, from the first start on: {@link #prepare} checks it again. */
    void adopt(String id, Path root) {
        Path cache = file(root, id);
        if (Files.isRegularFile(cache)) {
            accepted.put(key(id, root), cache);
        }
    }

    /**
     * Makes the cache {@code id} if there is none yet and checks it, making it again once if the JVM refuses it: one
     * line saying what happened, for the boot report. A cache an earlier boot checked with the same JDK, flags and
     * image is not checked again (a check is a JVM running the training: seconds of CPU per cache, each boot).
     *
     * @param args the training class's arguments
     */
    String prepare(String id, Path root, List<Path> classPath, List<String> args) {
        Path cache = file(root, id);
        Path checked = cache.resolveSibling(cache.getFileName() + ".checked");
        long start = System.nanoTime();
        try {
            String stamp = stamp(classPath, args);
            if (Files.isRegularFile(cache) && Files.isRegularFile(checked) && Files.readString(checked).equals(stamp)
                    && Files.getLastModifiedTime(checked).compareTo(Files.getLastModifiedTime(cache)) >= 0) {
                accepted.put(key(id, root), cache);
                return id + " " + (Files.size(cache) >> 20) + " MiB (accepted: checked by an earlier boot with this "
                        + "JDK, these flags and this image)";
            }
            Files.deleteIfExists(checked);
            String made = "checked";
            if (Files.exists(cache)) {
                Run check = run(classPath, List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on"), args);
                if (check.status() != 0) {
                    accepted.remove(key(id, root));
                    Files.delete(cache);
                    made = "the JVM refused the one there (" + check.firstLine() + "): made again";
                }
            }
            if (!Files.exists(cache)) {
                Files.createDirectories(cache.getParent());
                Files.setPosixFilePermissions(cache.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
                Path partial = cache.resolveSibling(cache.getFileName() + ".partial");
                Run r = run(classPath, List.of("-XX:AOTCacheOutput=" + partial), args);
                if (r.status() != 0 || !Files.exists(partial)) {
                    Files.deleteIfExists(partial);
                    return id + " NONE: the training run failed (status " + r.status() + ": "
                            + r.firstLine() + ")";
                }
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(partial, cache, StandardCopyOption.ATOMIC_MOVE);
                Run check = run(classPath, List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on"), args);
                if (check.status() != 0) {
                    Files.delete(cache);
                    return id + " NONE: the JVM refuses the cache it just made (" + check.firstLine()
                            + ")";
                }
                made = made.equals("checked") ? "made" : made;
            }
            accepted.put(key(id, root), cache);
            Files.writeString(checked, stamp);
            return id + " " + (Files.size(cache) >> 20) + " MiB (" + made + " and accepted in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms)";
        } catch (IOException | RuntimeException e) {
            return id + " NONE (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return id + " NONE (interrupted)";
        }
    }

    private record Run(int status, String firstLine) {
    }

    /**
     * What a check depends on: the JDK (its executable, and its modules image, which any update of it rewrites), the
     * flags, the training and what it runs on (a release's files never change: the Vault repairs them).
     */
    private String stamp(List<Path> classPath, List<String> args) throws IOException {
        Path jdk = Path.of(java).toRealPath();
        Path modules = jdk.getParent().resolveSibling("lib").resolve("modules");
        String image = Files.isRegularFile(modules) ? Files.size(modules) + " " + Files.getLastModifiedTime(modules)
                : "no modules image";
        return String.join("\n", jdk.toString(), image, String.join(" ", tuning), training,
                classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                String.join(" ", args)) + "\n";
    }

    /**
     * The training class with the JVMs' own flags, in the background group at low priority: it must not slow the
     * running system.
     */
    private Run run(List<Path> classPath, List<String> aot, List<String> args) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of("nice", "-n", "10", java));
        List<String> flags = new ArrayList<>(tuning);
        flags.addAll(aot);
        command.addAll(Launcher.jvmFlags(flags));
        command.addAll(List.of("-cp", classPath.stream().map(Path::toString).collect(Collectors.joining(
                File.pathSeparator)), training));
        command.addAll(args);
        if (closed) {
            throw new InterruptedException();
        }
        ProcessBuilder pb = new ProcessBuilder(Background.command(command)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put(Background.ENV, background);
        Process p = pb.start();
        running = p;
        byte[] out = p.getInputStream().readAllBytes();
        int status = p.waitFor();
        String text = new String(out, StandardCharsets.UTF_8);
        String first = text.lines().filter(l -> l.contains("rror") || l.contains("arning")).findFirst()
                .orElse(text.lines().findFirst().orElse("no output"));
        return new Run(status, first.strip());
    }

    /**
     * Atomic stops: no more runs, and the one under way is killed with the JVM it may have started to write the
     * cache (a partial file is written again by the next boot).
     */
    @Override
    public void close() {
        closed = true;
        Process p = running;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String key(String id, Path root) {
        return root + "\0" + id;
    }
}
