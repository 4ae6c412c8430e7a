package dev.atomic.sovereign;

import dev.atomic.auditor.HostView;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.InheritedSegments;
import dev.atomic.component.GrantedMounts;
import dev.atomic.component.SandboxGrants;
import dev.atomic.component.SpareWait;
import dev.atomic.system.seccomp.ComponentPolicy;
import dev.atomic.system.seccomp.Filter;
import dev.atomic.system.seccomp.Seccomp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each component runs: in a bubblewrap sandbox of its own, or — where bubblewrap is missing or the host allows
 * no user namespaces — as it is, which the boot report says plainly.
 * <p>
 * In the sandbox a component has its own user namespace (uid {@value #UID} inside; as root, the Sovereign also
 * drops to that uid on the host first, so the component is nobody there too), mount, pid, ipc, uts and cgroup
 * namespaces, and a network namespace with only a loopback of its own unless granted the network; no capabilities,
 * {@code no_new_privs}, no further user namespaces. Its JVM is pid 1 there, so the pid bubblewrap reports is the
 * JVM's on the host: what the Engine watches through a pidfd. It sees only what {@link SandboxView} shows.
 */
final class Sandbox {
    static final int UID = 65534;
    private static final Pattern CHILD_PID = Pattern.compile("\"child-pid\"\\s*:\\s*(\\d+)");
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");
    private static final long PROBE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final Path bwrap;
    private final Optional<Path> setpriv;
    private final String version;
    private final boolean disableUserns;
    private final SandboxView jvm;
    private final String unsandboxed;
    /** The compiled denied-call filter bubblewrap installs (docs/seccomp.md), or why there is none. */
    private Path seccompBpf;
    /** The component hosts' own filter compiled for a sandboxed host, by network grant; none where it failed. */
    private final Map<Boolean, Path> hostPrograms = new HashMap<>();
    /** What every sandboxed host's JVM is in its pid namespace ({@code --as-pid-1}), which its filter names. */
    static final long SANDBOXED_PID = 1;
    private String noSeccomp = "not built";
    private Decoys decoys;

    private Sandbox(Path bwrap, Optional<Path> setpriv, String version, SandboxView jvm) {
        this.bwrap = bwrap;
        this.setpriv = setpriv;
        this.version = version;
        Matcher v = VERSION.matcher(version);
        this.disableUserns = v.find() && (Integer.parseInt(v.group(1)) > 0 || Integer.parseInt(v.group(2)) >= 8);
        this.jvm = jvm;
        this.unsandboxed = null;
    }

    private Sandbox(String why) {
        this.bwrap = null;
        this.setpriv = Optional.empty();
        this.version = "";
        this.disableUserns = false;
        this.jvm = null;
        this.unsandboxed = why;
    }

    /** Components run without a sandbox, for the reason given. */
    private static Sandbox none(String why) {
        return new Sandbox(why);
    }

    boolean enabled() {
        return unsandboxed == null;
    }

    /** The tripwires each sandbox's view shows from now on. */
    void decoys(Decoys decoys) {
        this.decoys = decoys;
    }

    /** The boot report's line. */
    String describe() {
        if (!enabled()) {
            return "not sandboxed: " + unsandboxed + "; components run as this user and see all it sees";
        }
        return "each component in a bubblewrap sandbox (" + version + "): own user (uid " + UID + ", no capabilities, "
                + "no_new_privs" + (disableUserns ? ", no nested user namespaces" : "") + "), mount, pid, ipc, uts, "
                + "cgroup and network namespaces; it sees the JDK, the C library and its image read-only, its state "
                + "directory, a private /tmp, its own /proc and a minimal /dev; "
                + (seccompBpf != null ? "a seccomp filter denies " + ComponentPolicy.denied().size()
                + " sensitive calls from its first instruction, and its host loads a second that traps them and "
                + ComponentPolicy.trapped(1, false).size() + " more for the Engine to decide and report, or it does not "
                + "start (docs/seccomp.md)" : "NO seccomp filter, nothing trapped or reported: " + noSeccomp);
    }

    /**
     * Looks for bubblewrap and starts a JVM in a sandbox like a component's, which {@link Probe#result()} awaits:
     * whatever the host lacks (bubblewrap, user namespaces, a library) shows there, not in a component crash loop.
     *
     * @param root the Sovereign runs as root: components drop to uid {@value #UID} before entering the sandbox
     */
    static Probe probe(boolean wanted, boolean root, Path home) {
        return probe(wanted, root, home, HostView.findOnPath(HostView.BUBBLEWRAP), HostView.findOnPath("setpriv"));
    }

    /**
     * With the tools given: bubblewrap, and setpriv to drop to uid {@value #UID} first as root.
     *
     * @param home where the images and state directories lie, which bubblewrap, as uid {@value #UID}, must reach
     */
    static Probe probe(boolean wanted, boolean root, Path home, Optional<Path> bwrap, Optional<Path> setpriv) {
        if (!wanted) {
            return new Probe(none("asked not to (--no-sandbox)"), null, System.nanoTime());
        }
        if (bwrap.isEmpty()) {
            return new Probe(none("bubblewrap is not installed (install it with: apt-get install bubblewrap)"), null,
                    System.nanoTime());
        }
        if (root && setpriv.isEmpty()) {
            return new Probe(none("setpriv (util-linux) is missing, so components would keep uid 0 on the host "
                    + "(install it with: apt-get install util-linux)"), null, System.nanoTime());
        }
        long start = System.nanoTime();
        try {
            Optional<String> closed = root ? closedTo(home) : Optional.empty();
            if (closed.isPresent()) {
                return new Probe(none(closed.get()), null, start);
            }
            Path java = Path.of(Launcher.java());
            // Loads libseccomp first: the view binds the libraries this JVM maps, and component hosts need it too.
            Seccomp.unavailable();
            Sandbox sandbox = new Sandbox(bwrap.get(), root ? setpriv : Optional.empty(),
                    run(List.of(bwrap.get().toString(), "--version")),
                    SandboxView.jvm(Path.of(System.getProperty("java.home")), java));
            sandbox.compileSeccomp(home.resolve("run").resolve("seccomp-component.bpf"));
            List<String> command = new ArrayList<>(sandbox.wrapper("probe", sandbox.jvm, Path.of("/tmp"),
                    SandboxGrants.NONE, Map.of(), -1));
            command.addAll(List.of(java.toString(), "-XX:-UsePerfData", "-Xshare:auto", "-version"));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            return new Probe(sandbox, p, start);
        } catch (IOException | RuntimeException e) {
            return new Probe(none("bubblewrap could not be tried: " + e.getMessage()), null, start);
        }
    }

    /**
     * Compiles the component policy's denied calls once per boot into {@code file}, which each component's launch
     * step opens for bubblewrap's {@code --seccomp}. Without libseccomp, components are sandboxed without it, and
     * the boot report says so.
     */
    private void compileSeccomp(Path file) {
        Optional<String> missing = Seccomp.unavailable();
        if (missing.isPresent()) {
            noSeccomp = missing.get();
            return;
        }
        try (Filter filter = ComponentPolicy.startupFilter()) {
            Files.createDirectories(file.getParent());
            filter.writeBpf(file);
            seccompBpf = file;
        } catch (IOException | RuntimeException e) {
            noSeccomp = "it could not be compiled: " + e.getMessage();
            return;
        }
        for (boolean network : List.of(false, true)) {
            Path program = file.resolveSibling("seccomp-host" + (network ? "-network" : "") + ".bpf");
            try (Filter filter = ComponentPolicy.filter(SANDBOXED_PID, network)) {
                // Another instance's hosts may be reading it: replaced whole, never rewritten in place.
                Path partial = program.resolveSibling(program.getFileName() + "." + ProcessHandle.current().pid());
                filter.writeBpf(partial);
                Files.move(partial, program, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                hostPrograms.put(network, program);
            } catch (IOException | RuntimeException e) {
                // Each host then builds its filter itself, as it always could.
            }
        }
    }

    /** A sandbox being tried. */
    static final class Probe {
        private final Sandbox sandbox;
        private final Process process;
        private final long start;
        private volatile long end;

        private Probe(Sandbox sandbox, Process process, long start) {
            this.sandbox = sandbox;
            this.process = process;
            this.start = start;
            if (process == null) {
                end = System.nanoTime();
            } else {
                process.onExit().thenRun(() -> end = System.nanoTime());
            }
        }

        /** The sandbox, if the JVM ran in it; else none, saying why. */
        Sandbox result() {
            if (process == null) {
                return sandbox;
            }
            try {
                if (!process.waitFor(PROBE_TIMEOUT_NANOS, TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                    return none("a JVM did not start in the bubblewrap sandbox within 20 s");
                }
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (process.exitValue() != 0) {
                    return none("a JVM could not start in the bubblewrap sandbox (status " + process.exitValue() + ": "
                            + output.lines().findFirst().orElse("no output") + ")");
                }
                return sandbox;
            } catch (IOException e) {
                return none("the bubblewrap probe failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                return none("interrupted while trying bubblewrap");
            }
        }

        /** How long the probe took (so far, if it still runs). */
        long nanos() {
            long e = end;
            return (e == 0 ? System.nanoTime() : e) - start;
        }
    }

    /**
     * Why uid {@value #UID} cannot reach {@code dir} (a directory on the way it may not search), if it cannot: as
     * root the Sovereign drops to that uid before bubblewrap, which then binds the image and state by their paths.
     */
    static Optional<String> closedTo(Path dir) throws IOException {
        Path at = dir.toAbsolutePath().normalize().getRoot();
        for (Path name : dir.toAbsolutePath().normalize()) {
            at = at.resolve(name);
            if (!Files.exists(at)) {
                return Optional.empty(); // made by Atomic (0755), when it gets there
            }
            int mode = (int) Files.getAttribute(at, "unix:mode");
            boolean own = (int) Files.getAttribute(at, "unix:uid") == UID;
            if ((mode & (own ? 0100 : 0001)) == 0) {
                return Optional.of("uid " + UID + ", which components run as, cannot reach " + dir + ": " + at
                        + " is mode " + Integer.toOctalString(mode & 07777) + " (make it searchable: chmod o+x " + at + ")");
            }
        }
        return Optional.empty();
    }

    /** Where a component keeps what must outlive its process: {@code <home>/state/<instance>/<id>}. */
    static Path stateDir(Path home, String instance, String component) {
        return home.resolve("state").resolve(instance).resolve(component);
    }

    /**
     * How to start {@code component}: with its shared memory inherited, and, for a Tier 2 component in a sandbox,
     * the bubblewrap command its JVM runs under (Tier 1 is trusted code, meant to share a partition host). Makes its
     * state directory, owned by the uid it runs as.
     */
    Launcher.Confinement confine(ComponentSpec component, Path image, Path stateDir, List<Path> inherited)
            throws IOException {
        return confine(component, image, stateDir, inherited, false, Optional.empty(), Map.of());
    }

    /**
     * @param spare    as a warm spare, which waits for its order on its standard input ({@link SpareWait})
     * @param aotCache the host JVM's AOT cache, which it reads ({@link AotCaches})
     * @param mounts   the FUSE mounts it is granted: driver id to mount point on the host
     */
    Launcher.Confinement confine(ComponentSpec component, Path image, Path stateDir, List<Path> inherited,
                                 boolean spare, Optional<Path> aotCache, Map<String, Path> mounts) throws IOException {
        Files.createDirectories(stateDir);
        Map<String, String> env = new LinkedHashMap<>(Map.of("ATOMIC_STATE_DIR", stateDir.toString()));
        if (spare) {
            env.put(SpareWait.ENV, "1");
        }
        if (!confines(component)) {
            GrantedMounts.put(env, mounts);
            return new Launcher.Confinement(inherited, List.of(), false, env);
        }
        Path hostProgram = hostPrograms.get(component.sandbox().network());
        Map<String, Path> inside = new LinkedHashMap<>();
        mounts.keySet().forEach(driver -> inside.put(driver, Path.of(SandboxGrants.mountIn(driver))));
        GrantedMounts.put(env, inside);
        if (seccompBpf != null) {
            // The first layer traps attacks for a listener only the host's own filter brings: it must load it.
            env.put(ComponentPolicy.HOST_FILTER_ENV, "required");
            if (hostProgram != null) {
                env.put(ComponentPolicy.HOST_PROGRAM_ENV, hostProgram.toString());
                env.put(ComponentPolicy.HOST_PROGRAM_PID_ENV, Long.toString(SANDBOXED_PID));
            }
        }
        if (setpriv.isPresent()) {
            Files.setAttribute(stateDir, "unix:uid", UID);
            Files.setAttribute(stateDir, "unix:gid", UID);
            for (Path dir : List.of(image, stateDir)) {
                Optional<String> closed = closedTo(dir);
                if (closed.isPresent()) {
                    throw new IOException(closed.get());
                }
            }
        }
        SandboxView view = jvm.copy().readOnly(image).writable(stateDir);
        for (Map.Entry<Path, Path> d : (decoys == null ? Map.<Path, Path>of() : decoys.of(component)).entrySet()) {
            view.decoy(d.getValue(), d.getKey());
        }
        if (aotCache.isPresent()) {
            view.readOnly(aotCache.get());
        }
        if (seccompBpf != null && hostProgram != null) {
            view.readOnly(hostProgram);
        }
        mounts.forEach((driver, at) -> view.bind(at, inside.get(driver)));
        List<Path> fds = new ArrayList<>(inherited);
        int seccompFd = -1;
        if (seccompBpf != null) {
            seccompFd = InheritedSegments.LANE_FD + fds.size(); // after the shared memory, which the host numbers
            fds.add(seccompBpf);
        }
        int reportFd = new Launcher.Confinement(fds, List.of(), true, Map.of()).reportFd();
        List<String> wrapper = wrapper(component.id(), view, stateDir, component.sandbox(), env, reportFd);
        if (seccompFd >= 0) {
            wrapper.addAll(wrapper.size() - 1, List.of("--seccomp", Integer.toString(seccompFd)));
        }
        return new Launcher.Confinement(fds, wrapper, true, env);
    }

    /** Whether {@code component} runs in a sandbox: Tier 2, where there is one. */
    boolean confines(ComponentSpec component) {
        return enabled() && component.tier() == 2;
    }

    /**
     * The pid of the component's JVM, as the host sees it: bubblewrap reports it on its info descriptor (the
     * process's standard output) once the sandbox exists; without a sandbox the process is the JVM itself.
     */
    long componentPid(ComponentSpec component, Process process) throws IOException {
        if (!confines(component)) {
            return process.pid();
        }
        try (InputStream info = process.getInputStream()) {
            String text = new String(info.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = CHILD_PID.matcher(text);
            if (!m.find()) {
                throw new IOException("bubblewrap did not start the sandbox (status "
                        + (process.isAlive() ? "?" : Integer.toString(process.waitFor())) + "; see the component's log)");
            }
            return Long.parseLong(m.group(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the sandbox");
        }
    }

    /**
     * The command a component's JVM runs under. Mounts come in order: /proc, /dev and /tmp first (a state directory
     * may lie under /tmp), then the view, then the root is made read-only, leaving only /tmp and what is bound
     * writable to write to.
     */
    private List<String> wrapper(String hostname, SandboxView view, Path workDir, SandboxGrants grants,
                                 Map<String, String> env, int reportFd) throws IOException {
        List<String> command = new ArrayList<>();
        setpriv.ifPresent(p -> command.addAll(List.of(p.toString(), "--reuid=" + UID, "--regid=" + UID,
                "--clear-groups")));
        command.addAll(List.of(bwrap.toString(), "--unshare-user", "--uid", Integer.toString(UID), "--gid",
                Integer.toString(UID), "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"));
        if (!grants.network()) {
            command.add("--unshare-net");
        }
        if (disableUserns) {
            command.add("--disable-userns");
        }
        command.addAll(List.of("--die-with-parent", "--new-session", "--cap-drop", "ALL", "--as-pid-1",
                "--hostname", hostname, "--clearenv"));
        Map<String, String> vars = new LinkedHashMap<>(Map.of("LANG", "C.UTF-8", "HOME", workDir.toString()));
        vars.putAll(env);
        vars.forEach((k, v) -> command.addAll(List.of("--setenv", k, v)));
        if (reportFd >= 0) {
            command.addAll(List.of("--info-fd", Integer.toString(reportFd)));
        }
        command.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
        SandboxView granted = view.copy();
        for (String p : grants.read()) {
            granted.readOnly(Path.of(p));
        }
        for (String p : grants.write()) {
            granted.writable(Path.of(p));
        }
        if (grants.network()) {
            for (String file : List.of("/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf")) {
                if (Files.exists(Path.of(file))) {
                    granted.readOnly(Path.of(file));
                }
            }
        }
        command.addAll(granted.args());
        command.addAll(List.of("--remount-ro", "/", "--chdir", workDir.toString()));
        command.add("--");
        return command;
    }

    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (InputStream in = p.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }
}
