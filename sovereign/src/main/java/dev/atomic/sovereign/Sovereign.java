package dev.atomic.sovereign;

import dev.atomic.auditor.Auditor;
import dev.atomic.auditor.CpuList;
import dev.atomic.auditor.HostReport;
import dev.atomic.auditor.Reservation;
import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.FastPathSegment;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.bridge.Succession;
import dev.atomic.component.ExecHost;
import dev.atomic.system.seccomp.ComponentPolicy;
import dev.atomic.component.FastPathSpec;
import dev.atomic.bridge.PoolSegment;
import dev.atomic.component.PoolSpec;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.GrantedMounts;
import dev.atomic.component.InheritedSegments;
import dev.atomic.component.Partition;
import dev.atomic.component.PartitionHost;
import dev.atomic.system.cgroup.Background;
import dev.atomic.component.RestartPolicy;
import dev.atomic.component.Say;
import dev.atomic.component.SystemSpec;
import dev.atomic.component.Tripwires;
import dev.atomic.system.cgroup.Cgroup;
import dev.atomic.system.Children;
import dev.atomic.vault.AuditResult;
import dev.atomic.vault.ClassPathImage;
import dev.atomic.vault.ReleaseManifest;
import dev.atomic.vault.Layer;
import dev.atomic.vault.Vault;
import dev.atomic.vault.VaultException;
import dev.atomic.system.Exec;
import dev.atomic.system.Prctl;
import dev.atomic.system.Proc;
import dev.atomic.system.SharedMemory;
import dev.atomic.system.SyscallException;
import dev.atomic.system.tpm.Tpm;
import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The trusted root: reads the host, carves cgroups, creates the bridges, starts the Engine, and from then on
 * starts the components the Engine asks for (it never runs anything outside the system spec), reports how they
 * end, and on shutdown leaves nothing behind: no process, no cgroup, no shared memory.
 */
public final class Sovereign {
    private static final int ADMIN_CAPACITY = 64 * 1024;
    private static final int FAST_PATH_CAPACITY = 256 * 1024;
    private static final long ENGINE_START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);
    static final List<String> ENGINE_TUNING = List.of("-Xms32m", "-Xmx128m");
    /** Components get the full JIT: their steady state, not their first second, is what Atomic promises. */
    private static final List<String> COMPONENT_TUNING = List.of("-Xms16m", "-Xmx64m", "-Xss512k");
    private static final List<String> PARTITION_TUNING = List.of("-Xms16m", "-Xmx128m", "-Xss512k");
    /** The seccomp trampoline of an executable image: it runs for an instant, then execs the program. */
    private static final List<String> EXEC_HOST_TUNING = List.of("-Xms8m", "-Xmx32m", "-Xss512k",
            "-XX:TieredStopAtLevel=1");

    private final BootOptions options;
    /** Read from the directory to make a release, then from the release's deployed copy (a directory system). */
    private SystemSpec system;
    private final PrintStream out;
    private final long bootStart = System.nanoTime();
    private final Map<Long, Process> children = new ConcurrentHashMap<>();
    /** Each running component's process (its sandbox, if it has one) by the component's own pid. */
    private final Map<Long, Process> componentProcesses = new ConcurrentHashMap<>();
    private final List<LaneSegment> segments = new ArrayList<>();
    /** Per slot, why the Engine gave up on the component; cleared when it is started again. */
    private final Map<Integer, String> givenUp = new ConcurrentHashMap<>();
    private final KeptListeners listeners = new KeptListeners();
    private final List<PoolSegment> pools = new ArrayList<>();
    private final List<FastPathSegment> fastPaths = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopRequested;
    /** Guards the orders lane against exit callbacks that fire after the bridge was unmapped. */
    private final Object ordersLock = new Object();
    private final OrderPings orderPings = new OrderPings();
    private static final java.time.Duration ORDER_PING_TIMEOUT = java.time.Duration.ofSeconds(1);
    private boolean bridgeClosed;
    private volatile String stopReason = "asked to stop";
    private Carving carving;
    private Freezer freezer;
    private Resizing resizing;
    private Launcher launcher;
    private Sandbox sandbox;
    private StateVolumes volumes;
    private Decoys decoys;
    private FuseSessions fuse;
    private Spares spares;
    private final Partitions partitions = new Partitions(this::launchPartition);
    private AotCaches aot;
    private AotCaches engineAot;
    private ControlRegion control;
    private volatile Process engine;
    private Process standby;
    /** The release the Sovereign itself runs (what every Engine checks it against). */
    private VaultBoot.Booted booted;
    /** The release each layer runs: all the same, except while an update switches them one by one. */
    private final Map<Layer, VaultBoot.Booted> running = new EnumMap<>(Layer.class);
    private ControlSocket controlSocket;
    private final ConsoleClient console = new ConsoleClient(this::order);
    private final java.util.concurrent.BlockingQueue<UpdateRequest> updateRequests = new LinkedBlockingQueue<>();
    private LiveUpdate update;
    /** The active Engine is being killed on purpose (an update switching it): not a death to budget. */
    private boolean retiring;
    private final Watchdog watchdog = new Watchdog();
    private static final long WATCH_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private volatile boolean engineExited;
    /** The system is ready and its spares are: the boot's standby may start. */
    private volatile boolean standbyDue;
    /** When the Sovereign learnt of the active Engine's death (nanoTime). */
    private volatile long engineExitSeen;
    /** The standby whose readiness was announced: each is announced once. */
    private Process standbyAnnounced;
    private List<String> engineArgs;
    private final java.util.ArrayDeque<Long> engineDeaths = new java.util.ArrayDeque<>();
    private static final long ENGINE_RESTART_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    private Sovereign(BootOptions options, PrintStream out) {
        this.options = options;
        this.system = SystemSpec.load(options.system());
        this.out = out;
    }

    /** Boots, runs until asked to stop (signal, run-for, Engine death), tears down. Returns the exit status. */
    public static int boot(BootOptions options, PrintStream out) throws IOException {
        Path runDir = options.home().resolve("run");
        Files.createDirectories(runDir);
        try (FileChannel lockFile = FileChannel.open(runDir.resolve(options.instance() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                out.println("Atomic instance '" + options.instance() + "' is already running (lock "
                        + runDir.resolve(options.instance() + ".lock") + " is held). Stop it first, or use --instance.");
                return 1;
            }
            return new Sovereign(options, out).run();
        }
    }

    private int run() throws IOException {
        Thread hook = new Thread(() -> {
            requestStop("stop requested by signal");
            awaitQuietly(stopped, 15);
        }, "sovereign-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int status = 0;
        try {
            out.println("Atomic — booting system '" + system.name() + "' (instance '" + options.instance()
                    + "', Sovereign pid " + Proc.pid() + ")");
            startUp();
            serve();
        } catch (BootFailure e) {
            say("boot failed: " + e.getMessage());
            status = 1;
        } finally {
            tearDown();
            stopped.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is what woke us; it returns once we counted down
        }
        return status;
    }

    private void startUp() throws IOException {
        long t = System.nanoTime();
        HostReport host = Auditor.audit();
        Reservation r = host.reservation();
        stage("host", r.profile().name().toLowerCase() + " profile, " + r.mode().name().toLowerCase()
                + " mode: " + r.engineThreads() + " engine thread(s) on CPU " + CpuList.format(r.engineCpus()) + ", bridge "
                + (r.bridgeBytes() >> 20) + " MiB", t);
        for (String gap : host.notEnforced()) {
            out.println("            not enforced: " + gap);
        }

        t = System.nanoTime();
        try {
            booted = VaultBoot.prepare(options, system, line -> out.println("            " + line));
            system = booted.deployed(system, VaultBoot.directory(options).isPresent());
        } catch (IOException | VaultException e) {
            throw new BootFailure("no release to boot: " + e.getMessage());
        }
        stage("vault", vaultLine(), t);
        for (String line : booted.audit().report().subList(1, booted.audit().report().size())) {
            out.println("          " + line);
        }
        for (String layer : List.of("sovereign", "engine")) {
            if (booted.audit().componentsNotToStart().containsKey(layer)) {
                throw new BootFailure("the " + layer + "'s image failed the boot audit and the Vault holds no intact "
                        + "copy; Atomic cannot run without it");
            }
        }
        runFromReleaseImage();
        for (Layer layer : Layer.values()) {
            running.put(layer, booted);
        }
        Sandbox.Probe sandboxProbe = Sandbox.probe(options.sandbox(), host.features().root(), options.home()); // meanwhile

        t = System.nanoTime();
        stage("measure", measure(), t);

        t = System.nanoTime();
        Prctl.setChildSubreaper(true);
        carving = Carving.create(options.instance(), r, host.cpu().logicalCpus(), options.carve());
        freezer = new Freezer(system.components(), carving);
        resizing = new Resizing(carving, host.cpu().logicalCpus(), this::say);
        stage("carve", carving.describe(), t);

        t = System.nanoTime();
        List<ComponentSpec> components = system.components();
        long controlSize = ControlRegion.sizeFor(components.size(), system.pools().size(), system.fastPaths().size(),
                ADMIN_CAPACITY);
        control = ControlRegion.format(SharedMemory.create("atomic-control", controlSize), components.size(),
                system.pools().size(), system.fastPaths().size(), ADMIN_CAPACITY, Proc.pid());
        long laneSize = LaneSegment.sizeFor(LaneSegment.Capacities.DEFAULT);
        for (int slot = 0; slot < components.size(); slot++) {
            ComponentSpec c = components.get(slot);
            LaneSegment segment = LaneSegment.format(SharedMemory.create("atomic-lanes-" + c.id(), laneSize), slot,
                    LaneSegment.Capacities.DEFAULT);
            segments.add(segment);
            control.describeSlot(slot, c.kernel().code(), c.id(), segment.memory().procPath().toString());
        }
        for (int id = 0; id < system.pools().size(); id++) {
            PoolSpec p = system.pools().get(id);
            PoolSegment pool = PoolSegment.format(SharedMemory.create("atomic-pool-" + p.caller() + "-" + p.service(),
                    PoolSegment.sizeFor(p.bufferSize(), p.buffers())), id, p.bufferSize(), p.buffers());
            pools.add(pool);
            control.describePool(id, pool.memory().procPath().toString());
        }
        for (int id = 0; id < system.fastPaths().size(); id++) {
            FastPathSpec f = system.fastPaths().get(id);
            FastPathSegment fast = FastPathSegment.format(SharedMemory.create("atomic-fast-" + f.caller() + "-"
                    + f.service(), FastPathSegment.sizeFor(FAST_PATH_CAPACITY)), id, FAST_PATH_CAPACITY);
            fastPaths.add(fast);
            control.describeFastPath(id, fast.memory().procPath().toString());
        }
        stage("bridge", "control region " + kib(controlSize) + " + " + components.size() + " lane segment(s) of "
                + kib(laneSize) + (pools.isEmpty() ? "" : " + " + pools.size() + " buffer pool(s)")
                + (fastPaths.isEmpty() ? "" : " + " + fastPaths.size() + " fast path(s)")
                + " (memfd shared memory; each component maps only its own); " + lockBridges(), t);

        sandbox = sandboxProbe.result();
        volumes = StateVolumes.probe(host.features().root());
        decoys = Decoys.set(options.home().resolve("tripwires").resolve(options.instance()),
                host.features().root() && sandbox.enabled(), hostSecrets(),
                spec -> carving.component(spec).map(Cgroup::procsFiles).orElse(List.of()));
        sandbox.decoys(decoys);
        control.tripwires(decoys.fd());
        printStage("sandbox", sandbox.describe() + (sandbox.enabled() ? "; " + decoys.describe() : "") + "; "
                + volumes.describe(), sandboxProbe.nanos());
        fuse = new FuseSessions(host.features().root(), options.home(), options.instance(), this::say);
        if (components.stream().anyMatch(c -> !c.sandbox().fuseMount().isEmpty())) {
            out.println("            fuse: " + fuse.describe());
        }

        t = System.nanoTime();
        launcher = new Launcher(options.home().resolve("logs").resolve(options.instance()));
        spares = new Spares(components, new SpareHost());
        String background = carving.background().map(Background::procs).orElse("");
        aot = new AotCaches(Launcher.java(), COMPONENT_TUNING, AotCaches.HOST_TRAINING, background);
        for (ComponentSpec c : components) {
            aot.adopt(c.id(), running.get(VaultBoot.layerOf(c)).root());
        }
        engineAot = new AotCaches(Launcher.java(), ENGINE_TUNING, AotCaches.ENGINE_TRAINING, background);
        engineAot.adopt(AotCaches.ENGINE, running.get(Layer.ENGINE).root());
        engineArgs = List.of(control.memory().procPath().toString(),
                booted.systemReference(VaultBoot.engineImage(), system), Long.toString(Proc.pid()),
                launcher.logDir().toString(), r.mode().name().toLowerCase(), CpuList.format(r.engineCpus()),
                VaultBoot.vaultDir(options.home()).toString(), booted.manifest().release());
        startEngine(false); // its standby once the system is ready: its JVM and rehearsal would slow the boot
        stage("engine", "pid " + engine.pid() + ", attached to the bridge", t);
        controlSocket = ControlSocket.open(ControlSocket.path(options.home(), options.instance()), this::onRequest);
    }

    /**
     * Records what is about to run, in boot order: the Sovereign's image, the signed release manifest, the system
     * spec, the Engine's image, each component's image — each image as the audited release names its files — chained
     * into one final digest (the log goes beside the instance's lock file).
     */
    private String measure() throws IOException {
        MeasurementLog log = new MeasurementLog();
        ReleaseManifest m = booted.manifest();
        log.measure("sovereign", image(VaultBoot.sovereignImage()), VaultBoot.listing(VaultBoot.sovereignImage(), m));
        log.measure("manifest", "release '" + m.release() + "', signed by " + booted.release().signer(), m.toJson());
        log.measure("system", "system '" + system.name() + "'", system.toString().getBytes(StandardCharsets.UTF_8));
        log.measure("engine", image(VaultBoot.engineImage()), VaultBoot.listing(VaultBoot.engineImage(), m));
        for (ComponentSpec c : system.components()) {
            ClassPathImage image = VaultBoot.componentImage(c);
            log.measure("component " + c.id(), image(image), VaultBoot.listing(image, m));
        }
        String tpm = TpmMeasurement.extend(log, Tpm.DEVICE, Tpm.APPLICATION_PCR);
        log.write(measurementsFile(options), options.instance(), tpm);
        return log.events().size() + " stages, final digest " + log.finalDigest().substring(0, 16) + "…; " + tpm;
    }

    private String image(ClassPathImage image) {
        return image.prefix() + "/ of release '" + booted.manifest().release() + "' (" + image.entries(booted.manifest())
                .size() + " files)";
    }

    private String vaultLine() {
        AuditResult a = booted.audit();
        return "release '" + booted.manifest().release() + "', signed by " + booted.release().signer() + ": "
                + a.files().size() + " file(s) checked, " + a.with(AuditResult.Status.REPAIRED).size() + " repaired, "
                + a.with(AuditResult.Status.UNREPAIRABLE).size() + " unrepairable";
    }

    /**
     * Restarts the Sovereign from the release's own image when it runs other code (a release made elsewhere, one an
     * update installed, a sovereign layer that changed): execve keeps this pid, terminal and parent, so whoever
     * started Atomic sees one process throughout. Once only: a Sovereign started from the image must match it.
     */
    private void runFromReleaseImage() throws IOException {
        ClassPathImage image = VaultBoot.sovereignImage();
        List<Path> classPath = Installation.current().classPath();
        List<String> differs = image.verify(classPath, booted.manifest());
        if (differs.isEmpty()) {
            return;
        }
        String release = booted.manifest().release();
        if (release.equals(System.getenv(REEXEC_MARK))) {
            throw new BootFailure("the Sovereign, restarted from release '" + release + "''s image, still does not "
                    + "run it: " + String.join("; ", differs.subList(0, Math.min(3, differs.size()))));
        }
        List<String> argv = new ArrayList<>(List.of(Files.readString(Path.of("/proc/self/cmdline")).split("\0")));
        int cp = java.util.stream.IntStream.range(0, argv.size() - 1).filter(i -> List.of("-cp", "-classpath",
                "--class-path").contains(argv.get(i))).findFirst().orElseThrow(() -> new BootFailure("the Sovereign "
                + "runs other code than release '" + release + "' names, and cannot restart itself from the release's "
                + "image: it was not started with -cp"));
        argv.set(0, ProcessHandle.current().info().command().orElse(argv.get(0)));
        argv.set(cp + 1, String.join(java.io.File.pathSeparator, booted.classPath(image).stream().map(Path::toString)
                .toList()));
        Map<String, String> env = new java.util.TreeMap<>(System.getenv());
        env.put(REEXEC_MARK, release);
        say("the Sovereign runs other code than release '" + release + "' names (" + differs.size()
                + " difference(s), e.g. " + differs.getFirst() + "): restarting itself from the release's image");
        out.flush();
        System.out.flush();
        Exec.replace(argv, env);
    }

    private static final String REEXEC_MARK = "ATOMIC_SOVEREIGN_RESTARTED_FOR";

    /** An update asked for through the control socket; the serve loop runs it, the socket thread reports it. */
    private record UpdateRequest(String release, long gateNanos, java.util.concurrent.BlockingQueue<String> out) {
    }

    /**
     * What a running instance is, read from the bridge's own memory without asking the Engine (so it answers even
     * while the Engine is being replaced): the release each layer runs, the Engines, each component.
     */
    private List<String> status() {
        List<String> lines = new ArrayList<>();
        lines.add("instance " + options.instance() + ", system " + system.name() + ", Sovereign pid " + Proc.pid());
        for (Layer layer : Layer.values()) {
            lines.add("release  " + layer.label() + " " + running.getOrDefault(layer, booted).manifest().release());
        }
        Process active = engine;
        Process warm = standby;
        lines.add("engine   pid " + (active == null ? "-" : active.pid()) + " "
                + (control.engineState() == ControlRegion.READY ? "ready" : "not ready") + ", heartbeat "
                + Say.millis(System.nanoTime() - control.heartbeat()) + " ago; standby pid "
                + (warm != null && warm.isAlive() ? warm.pid() : "-"));
        for (int slot = 0; slot < segments.size(); slot++) {
            LaneSegment segment = segments.get(slot);
            ComponentSpec c = system.components().get(slot);
            String gaveUp = givenUp.get(slot);
            lines.add(String.format("%-8s %s (%s) pid %d %s, generation %d, %s", "component", c.id(),
                    c.kernel().word(), segment.componentPid(), gaveUp != null ? "GIVEN UP (" + gaveUp + ")"
                            : condition(slot, c, segment), segment.generation(), partitions.tier(slot, c)));
        }
        return lines;
    }

    /** Ready or not; an on-demand service's also whether it runs at all, or is frozen. */
    private String condition(int slot, ComponentSpec c, LaneSegment segment) {
        String ready = segment.componentReady() ? "ready" : "not ready";
        if (!c.activation().onDemand()) {
            return ready;
        }
        if (!componentProcesses.containsKey(segment.componentPid())) {
            return segment.generation() == 0 ? "on demand, not started" : "on demand, stopped"; // each exit adds one
        }
        return freezer.frozen(slot) ? "on demand, frozen" : "on demand, running, " + ready;
    }

    /**
     * Requests of {@code atomic}: {@code ping}; {@code status}; {@code order-ping} (an order's round trip to the
     * Engine); {@code console <method> [request]} (passed to the console service, {@link ConsoleClient});
     * {@code update <release> <gate-millis>}.
     */
    private void onRequest(String request, java.util.function.Consumer<String> reply) throws InterruptedException {
        String[] words = request.split(" ");
        if (request.equals("ping")) {
            reply.accept("pong");
            return;
        }
        if (request.equals("status")) {
            status().forEach(reply);
            return;
        }
        if (request.equals("order-ping")) {
            reply.accept(orderPings.ping(sent -> order(FrameType.ORDER_PING, -1, 0, sent, null), ORDER_PING_TIMEOUT)
                    .map(OrderPings.Timing::line).orElse("no answer from the Engine within "
                            + ORDER_PING_TIMEOUT.toMillis() + " ms"));
            return;
        }
        if (words[0].equals("console")) {
            console.serve(request.substring("console".length()).strip(), reply);
            return;
        }
        if (words.length != 3 || !words[0].equals("update") || !words[2].matches("\\d{1,9}")) {
            reply.accept("unknown request '" + request + "' (expected: update <release> <gate-millis>)");
            return;
        }
        UpdateRequest r = new UpdateRequest(words[1], TimeUnit.MILLISECONDS.toNanos(Long.parseLong(words[2])),
                new LinkedBlockingQueue<>());
        updateRequests.add(r);
        wakeSovereign();
        for (String line; !(line = r.out().take()).equals(LiveUpdate.END); ) {
            reply.accept(line);
        }
    }

    /** Starts a requested update when none runs, and advances the one that runs. */
    private void runUpdates() throws IOException {
        UpdateRequest r;
        while ((r = updateRequests.poll()) != null) {
            if (update != null) {
                r.out().add("an update is already under way; try again when it is over");
                r.out().add(LiveUpdate.END);
                continue;
            }
            try {
                VaultBoot.Booted to = VaultBoot.staged(options.home(), r.release());
                update = new LiveUpdate(new UpdateHost(), to, new UpdateJournal(options.home(), options.instance()),
                        r.gateNanos(), r.out());
            } catch (IOException | RuntimeException e) {
                r.out().add("cannot update to '" + r.release() + "': " + e.getMessage());
                r.out().add(LiveUpdate.END);
            }
        }
        if (update != null && update.tick()) {
            update = null;
        }
    }

    /** What an update does to the running system, done by the Sovereign. */
    private final class UpdateHost implements LiveUpdate.Host {
        @Override
        public VaultBoot.Booted running(Layer layer) {
            return running.get(layer);
        }

        @Override
        public void switchTo(Layer layer, VaultBoot.Booted release) {
            running.put(layer, release);
        }

        @Override
        public List<ComponentSpec> components() {
            return system.components();
        }

        @Override
        public long replaceStandby() throws IOException {
            if (standby != null) {
                standby.destroyForcibly();
                waitFor(standby, 2);
            }
            control.succession().standbyWaiting(0); // a killed standby never says it left
            standby = launchEngine("standby");
            return standby.pid();
        }

        @Override
        public boolean standbyWaiting(long pid) {
            return standby != null && standby.pid() == pid && standby.isAlive()
                    && control.succession().standbyPid() == pid;
        }

        @Override
        public long retireEngine() {
            retiring = true;
            engine.destroyForcibly();
            return engine.pid();
        }

        @Override
        public long readyEngineOtherThan(long old) {
            Process active = engine;
            return active.pid() != old && active.isAlive() && control.engineState() == ControlRegion.READY
                    ? active.pid() : 0;
        }

        @Override
        public void restartComponent(int slot) {
            freezer.thawNow(slot);
            order(FrameType.RESTART, slot, 0, 0, null);
        }

        @Override
        public long componentPid(int slot) {
            return segments.get(slot).componentPid();
        }

        @Override
        public boolean componentReady(int slot) {
            return segments.get(slot).componentReady();
        }

        @Override
        public void kill(long pid) {
            Optional.ofNullable(componentProcesses.get(pid)).ifPresent(Process::destroyForcibly);
        }

        @Override
        public void commit(String release) throws IOException {
            Optional<ReleasePointer> pointer = ReleasePointer.read(options.home(), options.instance());
            pointer.map(p -> p.next(release, ReleasePointer.UPDATE))
                    .orElse(new ReleasePointer(release, ReleasePointer.UPDATE, Optional.of(booted.manifest().release())))
                    .write(options.home(), options.instance());
        }

        @Override
        public void say(String line) {
            Sovereign.this.say(line);
        }
    }

    /** The measurement log of an instance's last boot. */
    public static Path measurementsFile(BootOptions options) {
        return options.home().resolve("run").resolve(options.instance() + ".measurements.json");
    }

    /**
     * Pins every bridge in RAM, so the memory each message crosses is never paged out under pressure. Where the
     * host's memlock limit says no (usually: not root), it says so and carries on.
     */
    private String lockBridges() {
        List<SharedMemory> all = new ArrayList<>();
        all.add(control.memory());
        segments.forEach(s -> all.add(s.memory()));
        pools.forEach(p -> all.add(p.memory()));
        fastPaths.forEach(f -> all.add(f.memory()));
        long bytes = 0;
        try {
            for (SharedMemory m : all) {
                m.lock();
                bytes += m.size();
            }
            return "locked in RAM (" + (bytes >> 20) + " MiB, mlock)";
        } catch (SyscallException e) {
            return "NOT locked in RAM: " + e.getMessage() + " (raise the memlock limit, or run as root)";
        }
    }

    /**
     * Starts an Engine and waits until it is attached. A resuming Engine replaces one that died: it adopts the
     * components, which never stopped (they are the Sovereign's children, not the Engine's).
     */
    private void startEngine(boolean resume) throws IOException {
        control.engineState(ControlRegion.STARTING);
        activate(launchEngine(resume ? "resume" : "boot"));
    }

    private Process launchEngine(String mode) throws IOException {
        verifyEngineImage();
        List<String> args = new ArrayList<>(engineArgs);
        args.add(mode);
        VaultBoot.Booted release = running.get(Layer.ENGINE);
        List<String> tuning = new ArrayList<>(ENGINE_TUNING);
        engineAot.cacheFor(AotCaches.ENGINE, release.root()).ifPresent(c -> tuning.add("-XX:AOTCache=" + c));
        // Its trainer runs in the background group (Background), which the Engine's environment names.
        Process started = launcher.start(release.classPath(VaultBoot.engineImage()), "dev.atomic.engine.EngineMain", args,
                tuning, carving.engine(), null, new Launcher.Confinement(List.of(), List.of(), false,
                        Map.of(Background.ENV, carving.background().map(Background::procs).orElse(""))));
        children.put(started.pid(), started);
        started.onExit().thenRun(() -> {
            children.remove(started.pid());
            if (started == engine) {
                engineExitSeen = System.nanoTime();
                engineExited = true;
                wakeSovereign(); // failover starts now, not at the serve loop's next look
            }
        });
        return started;
    }

    /**
     * The Sovereign's half of mutual verification: before every Engine start, the Engine's deployed image is hashed
     * again against the signed manifest. At boot a difference stops Atomic (the audit has just run: something is
     * changing the files); later, it is repaired from the Vault first, and said.
     */
    private void verifyEngineImage() throws IOException {
        ClassPathImage image = VaultBoot.engineImage();
        VaultBoot.Booted release = running.get(Layer.ENGINE);
        List<String> problems = image.verify(release.classPath(image), release.manifest());
        if (problems.isEmpty()) {
            return;
        }
        if (engine == null) {
            throw new BootFailure("the Engine's image changed after the boot audit: " + String.join("; ", problems));
        }
        say("the Engine's image changed while Atomic ran (" + String.join("; ", problems)
                + "); repairing it from the Vault before starting an Engine");
        release = release.audited(Vault.open(VaultBoot.vaultDir(options.home())));
        release.audit().report().forEach(this::say);
        running.put(Layer.ENGINE, release);
        problems = image.verify(release.classPath(image), release.manifest());
        if (!problems.isEmpty()) {
            throw new BootFailure("no Engine can start: its image cannot be made right: " + String.join("; ", problems));
        }
    }

    /** Makes {@code started} the active Engine and waits until it is ready. */
    private void activate(Process started) {
        engine = started;
        long deadline = System.nanoTime() + ENGINE_START_TIMEOUT_NANOS;
        while (control.enginePid() != started.pid() || control.engineState() != ControlRegion.READY) {
            if (!started.isAlive() || System.nanoTime() > deadline) {
                throw new BootFailure("the Engine did not come up (" + (started.isAlive() ? "timed out" : "it exited")
                        + "; see the lines above)");
            }
            control.admin().await(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    /** The watchdog's look at the active Engine: one stalled (see {@link Watchdog}) is killed, to be replaced. */
    private void watchEngine() {
        long beat = control.heartbeat();
        Process active = engine;
        long now = System.nanoTime();
        String why = watchdog.look(active.pid(), beat, active.isAlive() && control.engineState() == ControlRegion.READY,
                now);
        if (why != null) {
            say("the Engine (pid " + active.pid() + ") stalled: no heartbeat for " + Say.millis(now - beat) + ", "
                    + why + "; killing it");
            active.destroyForcibly();
        }
    }

    private void wakeSovereign() {
        synchronized (ordersLock) {
            if (!bridgeClosed) {
                control.admin().doorbell().signal();
            }
        }
    }

    /**
     * The Engine died without being asked: the warm standby takes over — by itself, the instant the Engine's
     * duty-cycle thread died, where the Engine's seat is a robust mutex; else when the Sovereign promotes it — or a
     * new Engine starts cold; within a budget of deaths a minute.
     */
    private void replaceEngine() throws IOException {
        engineExited = false;
        Process dead = engine;
        try {
            dead.onExit().get(2, TimeUnit.SECONDS); // no ring is touched while it might still write
        } catch (Exception e) {
            throw new BootFailure("the dead Engine (pid " + dead.pid() + ") did not go away: " + e);
        }
        long now = System.nanoTime();
        boolean planned = retiring;
        retiring = false;
        if (!planned) {
            engineDeaths.addLast(now);
        }
        while (!engineDeaths.isEmpty() && now - engineDeaths.peekFirst() > ENGINE_RESTART_WINDOW_NANOS) {
            engineDeaths.removeFirst();
        }
        String status = Integer.toString(dead.exitValue());
        Process promoted = standby != null && standby.isAlive() ? standby : null;
        standby = null;
        if (engineDeaths.size() > options.failover().restartsPerMinute()) {
            requestStop("the Engine died " + engineDeaths.size() + " times in a minute (last status " + status
                    + "); giving up");
            if (promoted != null && control.enginePid() == promoted.pid()) {
                engine = promoted; // it took over already: it stops the components in order
            }
            return;
        }
        Succession succession = control.succession();
        try {
            if (promoted != null) {
                boolean announced = promoted == standbyAnnounced;
                if (!succession.seatIsLock()) {
                    control.standbyDoorbell().signal();
                }
                activate(promoted);
                control.standbyDoorbell().clear();
                say("the Engine (pid " + dead.pid() + ") " + (planned ? "was retired for an update" : "died with status "
                        + status) + "; the components kept running; the warm standby (pid " + promoted.pid() + ") took "
                        + "over in " + Say.millis(succession.readyAt() - succession.deathSeen())
                        + (announced ? "" : " (it had not said it was warm yet)"));
            } else {
                succession.deathSeen(engineExitSeen);
                say("the Engine (pid " + dead.pid() + ") died with status " + status + "; the components keep running; "
                        + (options.failover().warmStandby() ? "no standby is ready" : "no warm standby is kept")
                        + ", starting a new Engine");
                startEngine(true);
                say("a new Engine (pid " + engine.pid() + ") took over in "
                        + Say.millis(succession.readyAt() - succession.deathSeen()));
            }
        } catch (BootFailure notUp) {
            // The Engine meant to take over died (or hung) on its way: a death like any other, replaced in turn on
            // the serve loop's next look, within the same budget — not the end of Atomic.
            Process failed = engine;
            failed.destroyForcibly();
            control.standbyDoorbell().clear();
            say("the Engine meant to take over (pid " + failed.pid() + ") did not: " + notUp.getMessage()
                    + "; the components keep running; replacing it in turn");
            engineExitSeen = System.nanoTime();
            engineExited = true;
            return;
        }
        awaitFirstRouted();
        startStandby();
    }

    private void startStandby() throws IOException {
        if (options.failover().warmStandby()) {
            standby = launchEngine("standby");
        }
    }

    /**
     * The boot's standby, started once the system is ready and its warm spares are, rather than beside the Engine:
     * its JVM, its check of the Sovereign and its rehearsal, in the Engines' group at the highest CPU weight, took CPU
     * the components' JVMs were starting on, and after the boot would starve the running components while the spares
     * rehearse. An Engine death before then is replaced by a cold Engine, as one was before the standby said it was
     * warm.
     */
    private void startStandbyAfterBoot() {
        standbyDue = false;
        if (standby != null) {
            return; // a failover during the boot started one already
        }
        try {
            startStandby();
        } catch (IOException | RuntimeException e) {
            say("could not start the standby Engine (" + e.getMessage() + "): an Engine death would be replaced by "
                    + "a cold Engine");
        }
    }

    /** Says once when the standby is warm: attached, loaded and waiting for the Engine's seat. */
    private void announceStandby() {
        Process s = standby;
        if (s != null && s != standbyAnnounced && control.succession().standbyPid() == s.pid()) {
            standbyAnnounced = s;
            say("the standby Engine (pid " + s.pid() + ") is warm and waiting");
        }
    }

    /**
     * Failover, as issue 4 defines it: from the old Engine's last heartbeat to the first frame the new one routes
     * (a reply reaching its requester), and where that time went. Waits briefly for traffic; a quiet system has
     * nothing to route.
     */
    private void awaitFirstRouted() {
        Succession s = control.succession();
        long giveUp = s.readyAt() + TimeUnit.SECONDS.toNanos(1);
        while (control.firstRouted() == 0 && System.nanoTime() - giveUp < 0) {
            control.admin().poll(this::onAdmin, 16);
            control.admin().await(TimeUnit.MICROSECONDS.toNanos(200));
        }
        long first = control.firstRouted();
        if (first != 0) {
            say("failover: " + Say.millis(first - s.lastBeat()) + " from the last heartbeat of the old Engine to the "
                    + "first message routed by the new one (death seen " + Say.millis(s.deathSeen() - s.lastBeat())
                    + " after it, new Engine ready " + Say.millis(s.readyAt() - s.deathSeen())
                    + " later, first message routed " + Say.millis(first - s.readyAt()) + " after that)");
        }
    }

    /** The Sovereign's duty: answer the Engine's admin lane until asked to stop. */
    private void serve() throws IOException {
        long stopAt = options.runFor().map(d -> System.nanoTime() + d.toNanos()).orElse(Long.MAX_VALUE);
        while (!stopRequested) {
            watchEngine();
            if (standbyDue) {
                startStandbyAfterBoot();
            }
            announceStandby();
            if (engineExited) {
                replaceEngine();
                continue;
            }
            control.admin().poll(this::onAdmin, 16);
            runUpdates();
            if (System.nanoTime() - stopAt >= 0) {
                requestStop("--run-for elapsed");
            }
            reapOrphans();
            control.admin().await(WATCH_EVERY_NANOS);
        }
        say("stopping: " + stopReason);
    }

    private void onAdmin(int type, MutableDirectBuffer b, int index, int length) {
        if (Frame.malformed(b, index, length) != null) {
            say("ignored a malformed admin frame: " + Frame.malformed(b, index, length));
            return;
        }
        switch (type) {
            case FrameType.SPAWN -> {
                givenUp.remove(Frame.target(b, index));
                spawn(Frame.target(b, index), Frame.status(b, index));
            }
            case FrameType.GAVE_UP -> givenUp.put(Frame.target(b, index), Frame.payloadText(b, index));
            case FrameType.SECCOMP_LISTENER -> keepListener(Frame.target(b, index), Frame.status(b, index),
                    Frame.correlation(b, index));
            case FrameType.DEMOTE -> demote(Frame.target(b, index), Frame.status(b, index));
            case FrameType.PREWARM -> prewarm(Frame.target(b, index));
            case FrameType.ORDER_PONG -> orderPings.answered(Frame.correlation(b, index), Frame.deadline(b, index));
            case FrameType.CONSOLE_REPLY -> console.answered(b, index);
            case FrameType.FREEZE -> freeze(Frame.target(b, index), Frame.status(b, index) == 1);
            case FrameType.LIMITS -> resize(Frame.target(b, index), Frame.correlation(b, index),
                    Frame.deadline(b, index));
            case FrameType.STAGE -> {
                String[] parts = Frame.payloadText(b, index).split("\t", 2);
                printStage(parts[0], parts.length > 1 ? parts[1] : "", Frame.correlation(b, index));
            }
            case FrameType.READY -> {
                if (system.services().contains("console")) {
                    long asked = System.nanoTime();
                    console.ask(ConsoleClient.STATUS, "").thenAccept(answer -> {
                        printStage("console", answer.ok() ? "answered the first 'atomic status' through the Engine"
                                : "NOT answering: " + answer.text(), System.nanoTime() - asked);
                        out.printf("ready in %d ms%s — Ctrl-C stops Atomic%n", TimeUnit.NANOSECONDS.toMillis(
                                System.nanoTime() - bootStart), answer.ok() ? ", console answering" : "");
                    });
                } else {
                    out.printf("ready in %d ms — Ctrl-C stops Atomic%n",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - bootStart));
                }
                spares.arm();
                spares.then(() -> { // the serve loop starts it: the standby field is its own
                    standbyDue = true;
                    wakeSovereign();
                });
                spares.then(this::prepareAotCaches);
            }
            default -> say("ignored admin frame " + FrameType.name(type));
        }
        out.flush();
    }

    /** An idle on-demand service frozen, or thawed for a request; the Engine hears when it is done. */
    private void freeze(int slot, boolean frozen) {
        if (slot < 0 || slot >= system.components().size() || !system.components().get(slot).activation().onDemand()) {
            say("refused to freeze slot " + slot + ": not an on-demand service");
            return;
        }
        freezer.request(slot, frozen, (asked, failure) -> order(FrameType.FROZEN, slot, asked ? 1 : 0,
                failure == null ? 1 : 0, failure));
    }

    /** Policy 3's sizes for a running component's group, within its manifest's ({@link Resizing}). */
    private void resize(int slot, long memoryBytes, long cpuMicros) {
        if (slot >= 0 && slot < system.components().size()) {
            ComponentSpec spec = system.components().get(slot);
            resizing.apply(spec, partitions.partitioned(slot, spec), memoryBytes, cpuMicros);
        }
    }

    /**
     * A Tier 1 component runs in a process of its own from now on, unloaded from its partition host if it is there; or,
     * planned by policy 5, from its next start (or back in its partition host from then, its demotion lifted).
     */
    private void demote(int slot, int how) {
        if (slot < 0 || slot >= system.components().size()) {
            return;
        }
        if (how == FrameType.DEMOTE_PLANNED) {
            partitions.demoteAtNextStart(slot);
            return;
        }
        if (how == FrameType.DEMOTE_LIFTED) {
            partitions.lift(slot);
            return;
        }
        try {
            partitions.demote(slot, system.components().get(slot).kernel());
        } catch (IOException e) {
            say("could not tell the partition host to unload " + system.components().get(slot).id() + " ("
                    + e.getMessage() + "): the Engine kills the host if it is not unloaded in time");
        }
    }

    /**
     * A warm spare asked for by the Engine (a predicted failure): a sandboxed Java host only, as a manifest's
     * {@code restart.spare} would give it; the Engine hears whether one waits.
     */
    private void prewarm(int slot) {
        if (slot < 0 || slot >= system.components().size()) {
            return;
        }
        ComponentSpec spec = system.components().get(slot);
        String none = partitions.partitioned(slot, spec) ? "it runs in its kernel's partition host (Tier 1)"
                : SystemFiles.executable(spec) ? "its image is an executable, not a Java host"
                : spec.restart().mode() == RestartPolicy.Mode.NEVER ? "it is never restarted"
                : null;
        if (none != null) {
            order(FrameType.SPARE_READY, slot, 0, 0, "no warm spare for " + spec.id() + ": " + none);
            return;
        }
        spares.prewarm(slot, (ready, how) -> order(FrameType.SPARE_READY, slot, ready ? 1 : 0, 0,
                "a warm spare for " + spec.id() + " " + how));
    }

    /** Keeps a copy of a component's seccomp listener, which the next Engine takes if this one dies. */
    private void keepListener(int slot, int engineFd, long componentPid) {
        if (slot < 0 || slot >= system.components().size() || !componentProcesses.containsKey(componentPid)) {
            return; // gone meanwhile: nothing to keep
        }
        try {
            control.slotListener(slot, listeners.keep(slot, control.enginePid(), engineFd, componentPid));
        } catch (RuntimeException e) {
            say("could not keep the seccomp listener of " + system.components().get(slot).id() + " (" + e.getMessage()
                    + "): after an Engine's death its trapped calls would fail with ENOSYS");
        }
    }

    /**
     * Starts only what the system spec names for that slot: the Engine chooses when, never what runs. Its warm spare
     * becomes it where there is one; else a new host starts cold.
     */
    private void spawn(int slot, int generation) {
        if (slot < 0 || slot >= system.components().size()) {
            say("refused to spawn unknown slot " + slot);
            return;
        }
        ComponentSpec spec = system.components().get(slot);
        if (spec.activation().onDemand()) { // only those are ever frozen: no round trip to the freezer for the rest
            freezer.thawNow(slot);
        }
        VaultBoot.Booted release = running.get(VaultBoot.layerOf(spec));
        Optional<String> refusal = release.refusal(spec.id());
        if (refusal.isPresent()) {
            order(FrameType.SPAWN_FAILED, slot, generation, 0, refusal.get());
            return;
        }
        if (partitions.partitioned(slot, spec)) {
            spawnInPartition(slot, generation, spec);
            return;
        }
        try {
            Spares.Spare spare = spares.take(slot, release);
            Spares.Spare started = spare != null ? spare : launchComponent(slot, release, false);
            Process p = started.process();
            long pid = started.pid();
            componentProcesses.put(pid, p);
            segments.get(slot).componentPid(pid); // what it says in HELLO: in its pid namespace it cannot know it
            control.slotPid(slot, pid); // what a new Engine adopts: the component can write its segment, not this
            order(FrameType.SPAWNED, slot, generation, pid, null);
            if (spare != null) {
                // After SPAWNED (the Engine must know the pid before the HELLO), before anything else: the spare
                // starts on its handshake while this thread goes on. A spare gone by now is a death.
                spare.order();
            }
            p.onExit().thenAccept(done -> {
                children.remove(done.pid());
                componentProcesses.remove(pid);
                synchronized (ordersLock) {
                    if (listeners.forget(slot, pid) && !bridgeClosed) {
                        control.slotListener(slot, 0);
                    }
                    if (!bridgeClosed && control.slotPid(slot) == pid) {
                        control.slotPid(slot, 0);
                    }
                }
                order(FrameType.EXITED, slot, done.exitValue(), pid, null);
            });
            if (spare != null) {
                say("the warm spare (pid " + pid + ") becomes " + spec.id() + " (generation " + generation + ")");
            }
            spares.replenish(slot);
        } catch (IOException | RuntimeException e) {
            order(FrameType.SPAWN_FAILED, slot, generation, 0, String.valueOf(e.getMessage()));
        }
    }

    /**
     * What every sandbox shows as a decoy: the host's secrets and raw devices ({@link Tripwires#hostTargets}), the
     * signing keys and the Vault.
     */
    private List<Path> hostSecrets() throws IOException {
        List<Path> targets = new ArrayList<>(Tripwires.hostTargets());
        Path keys = options.home().resolve("keys");
        if (Files.isDirectory(keys)) {
            try (var files = Files.list(keys)) {
                files.filter(f -> f.getFileName().toString().endsWith(".key")).sorted().forEach(targets::add);
            }
        }
        targets.add(VaultBoot.vaultDir(options.home()));
        return targets;
    }

    /**
     * Starts a component host for {@code slot} from {@code release}'s image, in its sandbox and cgroup: to run now,
     * or as a warm spare waiting for its order.
     */
    private Spares.Spare launchComponent(int slot, VaultBoot.Booted release, boolean spare) throws IOException {
        ComponentSpec spec = partitions.effective(slot, system.components().get(slot));
        ClassPathImage image = VaultBoot.componentImage(spec);
        InheritedSegments inherited = InheritedSegments.of(system, spec);
        java.util.SortedMap<Integer, Path> byFd = new java.util.TreeMap<>(Map.of(InheritedSegments.LANE_FD,
                segments.get(slot).memory().procPath()));
        inherited.pools().forEach((id, fd) -> byFd.put(fd, pools.get(id).memory().procPath()));
        inherited.fastPaths().forEach((id, fd) -> byFd.put(fd, fastPaths.get(id).memory().procPath()));
        Optional<Path> cache = aot.cacheFor(spec.id(), release.root());
        Path stateDir = Sandbox.stateDir(options.home(), options.instance(), spec.id());
        volumes.mount(stateDir, spec.sandbox().stateBytes()).filter(why -> !why.equals(volumes.unavailable()))
                .ifPresent(why -> say(spec.id() + "'s state directory is NOT bounded: " + why));
        fuse.prepare(spec, stateDir);
        Map<String, Path> mounts = grantedMounts(spec);
        Launcher.Confinement confinement = sandbox.confine(spec, release.root().resolve(image.prefix()), stateDir,
                List.copyOf(byFd.values()), spare, cache, mounts);
        List<String> tuning = new ArrayList<>(COMPONENT_TUNING);
        cache.ifPresent(c -> tuning.add("-XX:AOTCache=" + c));
        String parent = sandbox.confines(spec) ? "0" : Long.toString(Proc.pid());
        Process p = SystemFiles.executable(spec)
                ? launchExecutable(spec, release, image, List.of(InheritedSegments.lane().toString(), spec.id(), parent,
                inherited.format()), confinement)
                : launcher.start(release.classPath(image), "dev.atomic.component.ComponentHost",
                List.of(InheritedSegments.lane().toString(), spec.mainClass(), spec.id(),
                        release.systemReference(image, system), parent, inherited.format()),
                tuning, carving.component(spec), spec.id() + ".log", confinement);
        children.put(p.pid(), p);
        try {
            return new Spares.Spare(slot, release, p, sandbox.componentPid(spec, p));
        } catch (IOException e) {
            children.remove(p.pid());
            p.destroyForcibly();
            throw e;
        }
    }

    /**
     * An executable image's program. Where its sandbox's first seccomp layer traps attacks for a listener, the
     * program runs under {@link ExecHost}, which loads the second layer, has the Engine take its listener and then
     * execs the program; else it is started itself.
     */
    private Process launchExecutable(ComponentSpec spec, VaultBoot.Booted release, ClassPathImage image,
                                     List<String> appended, Launcher.Confinement confinement) throws IOException {
        Path program = SystemFiles.verifiedExecutable(release.root(), release.manifest(), image, spec);
        if (!"required".equals(confinement.env().get(ComponentPolicy.HOST_FILTER_ENV))) {
            return launcher.exec(program, spec.image().args(), appended, carving.component(spec), spec.id() + ".log",
                    confinement);
        }
        List<String> command = new ArrayList<>(List.of(program.toString()));
        command.addAll(spec.image().args());
        command.addAll(appended);
        return launcher.start(release.classPath(image), ExecHost.class.getName(),
                ExecHost.arguments(spec.id(), spec.sandbox().network(), command), EXEC_HOST_TUNING,
                carving.component(spec), spec.id() + ".log", confinement);
    }

    /** The FUSE mounts {@code spec} may use, their drivers' sessions mounted: driver id to mount point. */
    private Map<String, Path> grantedMounts(ComponentSpec spec) throws IOException {
        return fuse.granted(spec, id -> system.component(id).orElseThrow());
    }

    /** A Tier 1 component is loaded in its kernel's partition host: the Engine sees that process's pid. */
    private void spawnInPartition(int slot, int generation, ComponentSpec spec) {
        try {
            Process host = partitions.host(spec.kernel());
            segments.get(slot).componentPid(host.pid());
            order(FrameType.SPAWNED, slot, generation, host.pid(), null);
            Partitions.load(host, slot, running.get(VaultBoot.layerOf(spec)).classPath(VaultBoot.componentImage(spec)));
        } catch (IOException | RuntimeException e) {
            order(FrameType.SPAWN_FAILED, slot, generation, 0, "its partition host: " + e.getMessage());
        }
    }

    /**
     * Starts {@code kernel}'s partition host: unsandboxed (Tier 1 is trusted code), in a cgroup of its own with room
     * for all its components, inheriting their lane segments. When it ends, each of its components hears of it.
     */
    private Process launchPartition(dev.atomic.component.Kernel kernel) throws IOException {
        List<Integer> slots = Partition.slots(system, kernel);
        List<ComponentSpec> members = slots.stream().map(system.components()::get).toList();
        java.util.LinkedHashSet<Path> classPath = new java.util.LinkedHashSet<>();
        members.forEach(c -> classPath.addAll(running.get(VaultBoot.layerOf(c)).classPath(
                VaultBoot.componentImage(c))));
        ComponentSpec first = members.getFirst();
        ComponentSpec group = new ComponentSpec(Partition.id(kernel), kernel, first.kind(), PartitionHost.class.getName(),
                List.of(), List.of(), members.stream().mapToLong(ComponentSpec::memoryMaxBytes).sum(),
                members.stream().mapToLong(ComponentSpec::pidsMax).sum(), SystemSpec.DEFAULT_RATE);
        Path state = Sandbox.stateDir(options.home(), options.instance(), Partition.id(kernel));
        Files.createDirectories(state);
        Map<String, String> env = new java.util.HashMap<>(Map.of("ATOMIC_STATE_DIR", state.toString(),
                Partition.ORDERS_ENV, "1", PartitionHost.LOG_DIR_ENV, launcher.logDir().toString()));
        // Tier 1 components of a kernel have the same grants (Partition): the mounts of the first are everyone's.
        GrantedMounts.put(env, grantedMounts(first));
        Launcher.Confinement confinement = new Launcher.Confinement(slots.stream().map(s -> segments.get(s).memory()
                .procPath()).toList(), List.of(), false, env);
        Process p = launcher.start(List.copyOf(classPath), PartitionHost.class.getName(), List.of(
                running.get(Layer.ENGINE).systemReference(VaultBoot.engineImage(), system),
                kernel.word(), Long.toString(Proc.pid())), PARTITION_TUNING, carving.component(group),
                Partition.id(kernel) + ".log", confinement);
        children.put(p.pid(), p);
        componentProcesses.put(p.pid(), p);
        say("started the " + kernel.word() + " partition host (pid " + p.pid() + ") for its Tier 1 component(s) "
                + members.stream().map(ComponentSpec::id).toList());
        p.onExit().thenAccept(done -> {
            children.remove(done.pid());
            componentProcesses.remove(done.pid());
            slots.forEach(slot -> order(FrameType.EXITED, slot, done.exitValue(), done.pid(), null));
        });
        return p;
    }

    /**
     * Makes and checks the component hosts' AOT caches, then the Engine's (after the boot, after the spares): the
     * boot report's line.
     */
    private void prepareAotCaches() {
        long start = System.nanoTime();
        List<String> caches = new ArrayList<>();
        for (ComponentSpec c : system.components()) {
            if (SystemFiles.executable(c)) {
                continue; // no JVM
            }
            VaultBoot.Booted release = running.get(VaultBoot.layerOf(c));
            ClassPathImage image = VaultBoot.componentImage(c);
            caches.add(aot.prepare(c.id(), release.root(), release.classPath(image), List.of(c.mainClass(),
                    release.systemReference(image, system))));
        }
        VaultBoot.Booted engineRelease = running.get(Layer.ENGINE);
        ClassPathImage engineImage = VaultBoot.engineImage();
        caches.add(engineAot.prepare(AotCaches.ENGINE, engineRelease.root(), engineRelease.classPath(engineImage),
                List.of(engineRelease.systemReference(engineImage, system))));
        printStage("aot", "component hosts' and the Engine's AOT caches (JDK " + Runtime.version().feature() + "): "
                + String.join("; ", caches), System.nanoTime() - start);
    }

    /** What the Sovereign does for the warm spares. */
    private final class SpareHost implements Spares.Host {
        @Override
        public Spares.Spare launch(int slot) throws IOException {
            return launchComponent(slot, running.get(VaultBoot.layerOf(system.components().get(slot))), true);
        }

        @Override
        public boolean ready(int slot) {
            return segments.get(slot).componentReady();
        }

        @Override
        public void forget(Process process) {
            children.remove(process.pid());
        }

        @Override
        public void say(String line) {
            Sovereign.this.say(line);
        }

        @Override
        public void stage(String text, long nanos) {
            printStage("spares", text, nanos);
        }
    }

    private void order(int type, int slot, int status, long correlation, String text) {
        byte[] payload = text == null ? new byte[0] : Frame.utf8(text);
        synchronized (ordersLock) {
            if (!bridgeClosed) {
                control.orders().offer(type, -1, slot, 0, status, correlation, 0,
                        new org.agrona.concurrent.UnsafeBuffer(payload), 0, payload.length);
            }
        }
    }

    /** As child subreaper the Sovereign inherits what components leave behind; it reaps what is not its own. */
    private void reapOrphans() {
        for (long pid; (pid = Children.peekExited()) > 0 && !children.containsKey(pid); ) {
            Children.reap(pid);
        }
    }

    private void requestStop(String reason) {
        if (!stopRequested) {
            stopReason = reason;
            stopRequested = true;
        }
    }

    private void tearDown() {
        if (engineAot != null) {
            engineAot.close();
        }
        if (aot != null) {
            aot.close(); // a training run under way ends, and the spares' thread with it
        }
        if (spares != null) {
            spares.close();
        }
        int processes = children.size();
        if (controlSocket != null) {
            try {
                controlSocket.close();
            } catch (IOException ignored) {
                // the socket file is in the instance's run directory; the next boot removes it
            }
        }
        if (control != null) {
            control.succession().stopping(true);
        }
        if (freezer != null) {
            try {
                freezer.thawAll();
            } catch (IllegalStateException e) {
                say("could not thaw the frozen services before stopping (" + e.getMessage() + "); they are killed");
            }
            freezer.close();
        }
        if (control != null && engine != null && engine.isAlive()) {
            order(FrameType.SHUTDOWN, -1, 0, 0, null);
            waitFor(engine, 5);
        }
        if (fuse != null) {
            // Before the kills: its descriptor closed (and the driver's with the driver) ends the connection, which
            // frees a component caught in a call to a driver already stopped. Before the volumes too: the socket it
            // hands sessions out on lies in a state directory.
            fuse.close();
        }
        for (Process p : reapedByTheirSandbox()) {
            waitFor(p, 2);
        }
        for (Process p : children.values()) {
            p.destroyForcibly();
        }
        for (Process p : children.values()) {
            waitFor(p, 2);
        }
        if (volumes != null) {
            volumes.close();
        }
        if (decoys != null) {
            try {
                decoys.close();
            } catch (IOException e) {
                say("could not remove the tripwires' decoys: " + e.getMessage());
            }
        }
        int groups = carving == null ? 0 : carving.groups();
        if (carving != null) {
            carving.close();
        }
        synchronized (ordersLock) {
            bridgeClosed = true;
        }
        listeners.close();
        segments.forEach(LaneSegment::close);
        pools.forEach(PoolSegment::close);
        fastPaths.forEach(FastPathSegment::close);
        if (control != null) {
            control.close();
        }
        out.println("Atomic stopped: " + processes + " process(es) ended, " + groups
                + " cgroup(s) removed, shared memory released.");
        out.flush();
    }

    /**
     * Kills each component's own process still running inside a sandbox (its JVM, or program, whose parent is the
     * bubblewrap the Sovereign started), and returns those bubblewraps: each reaps its component and ends. Killed
     * first, a bubblewrap would leave its component to be reaped by init after "Atomic stopped".
     */
    private List<Process> reapedByTheirSandbox() {
        List<Process> sandboxes = new ArrayList<>();
        for (LaneSegment segment : segments) {
            long pid = segment.componentPid();
            Optional<ProcessHandle> component = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
            // Only a child of one of ours: a pid written long ago may be another process's now.
            Optional<Process> sandbox = component.flatMap(ProcessHandle::parent)
                    .map(parent -> children.get(parent.pid()));
            if (sandbox.isPresent() && !sandboxes.contains(sandbox.get())) {
                component.get().destroyForcibly();
                sandboxes.add(sandbox.get());
            }
        }
        return sandboxes;
    }

    private static void waitFor(Process p, int seconds) {
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
        }
    }

    private static void awaitQuietly(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stage(String name, String text, long startNanos) {
        printStage(name, text, System.nanoTime() - startNanos);
    }

    private void printStage(String name, String text, long nanos) {
        // One write: the Engine shares this terminal, and a line written in pieces can be cut by one of its own.
        out.print(String.format("  %-9s %8.1f ms  %s%n", name, nanos / 1e6, text));
        out.flush();
    }

    private void say(String text) {
        Say.line(out, "sovereign", text);
    }

    private static String kib(long bytes) {
        return (bytes >> 10) + " KiB";
    }

    private static final class BootFailure extends RuntimeException {
        BootFailure(String message) {
            super(message);
        }
    }
}
