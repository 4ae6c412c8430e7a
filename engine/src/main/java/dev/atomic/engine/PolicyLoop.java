package dev.atomic.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atomic.policy.JsonLines;
import dev.atomic.policy.Observation;
import dev.atomic.policy.ObservationBus;
import dev.atomic.policy.PolicyFault;
import dev.atomic.policy.PolicyRunner;
import dev.atomic.policy.Recommendation;
import dev.atomic.policy.TunableChange;
import dev.atomic.policy.TunableStore;
import dev.atomic.policy.Trend;
import dev.atomic.bridge.ControlRegion;
import dev.atomic.policy.learned.AnomalyModel;
import dev.atomic.policy.learned.FailureModel;
import dev.atomic.policy.live.ModelCache;
import dev.atomic.policy.sizing.LearnedSizing;
import dev.atomic.policy.sizing.Measure;
import dev.atomic.policy.tier.TierChoice;
import dev.atomic.policy.thresholds.AnyOf;
import dev.atomic.system.cgroup.Background;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The policy loop (docs/policy.md), beside the duty cycle: once a second the duty cycle copies a few counters of each
 * component into a {@link Sample} and hands them over (no system call; dropped if the loop is behind). On the loop's
 * own thread each becomes an {@link Observation} — resident memory and CPU read from /proc, memory pressure from the
 * host's /proc/pressure/memory — published on the observation bus and appended to {@code observations.jsonl}; the
 * policies run (the fixed thresholds, as advisory built-ins: the Engine's own detectors act, these only say what
 * they see), and what each believes of each component is written to {@link PolicyState#FILE} for
 * {@code atomic explain}. Nothing it does can hold the duty cycle.
 */
final class PolicyLoop implements AutoCloseable {
    static final String OBSERVATIONS = "observations.jsonl";
    /** Past this the observations file is moved aside (one generation kept) and begun anew. */
    static final long MAX_OBSERVATIONS_BYTES = 16L << 20;
    private static final long EVERY_NANOS = ObservationBus.CADENCE.toNanos();
    private static final Path PRESSURE = Path.of("/proc/pressure/memory");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the duty cycle knows of a component at a tick: its own counters, read without a system call. */
    /**
     * @param messages calls it made and answered so far (a running total: the loop takes the rate from it)
     * @param restarts restarts within its restart window
     */
    record Sample(long timeMillis, String component, String kernel, long pid, boolean running, int restarts,
                  long progress, int pending, long messages, long budget, long memoryLimit, long events,
                  long longestHoldNanos) {
    }

    /** The Engine's own process, observed beside its components: its CPU is part of what an event costs. */
    static final String ENGINE = "engine";
    /** {@code off} in the Engine's environment: no learned policy runs (the fixed thresholds still do). */
    static final String SWITCH = "ATOMIC_ENGINE_POLICIES";
    static final String TUNABLE_CHANGES = "tunables.jsonl";
    /** Policy 4's latency bound: no event held longer than the Coalescer's own ceiling. */
    static final long COALESCING_BOUND_MICROS = Coalescer.MAX_WINDOW_NANOS / 1000;

    private final Path dir;
    private final ArrayBlockingQueue<List<Sample>> queue = new ArrayBlockingQueue<>(2);
    private final ObservationBus bus = new ObservationBus(ObservationBus.CADENCE, 60);
    private final java.util.concurrent.ConcurrentLinkedQueue<TunableChange> changes =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final TunableStore tunables = new TunableStore(changes::add);
    private final EngineTunables engineTunables;
    private final ActionLog actions = new ActionLog();
    private final java.util.Set<String> earning;
    /** Set by a takeover: the predecessor's actions are read in before the loop's next write. */
    private volatile boolean carryOn;
    private final ProactiveActions proactive;
    private final TierActions tiers;
    /** Per slot: the storm windows it was throttled in, as last seen (the duty cycle's only). */
    private final long[] throttled;
    private final ArrayDeque<PolicyFault> faults = new ArrayDeque<>();
    private final PolicyRunner runner = new PolicyRunner(tunables, Duration.ofMillis(500), this::reported);
    private final Map<String, Trend> trends = new HashMap<>();
    /** Per component, the last sample's [pid, cpuMillis, timeMillis, messages]: rates are taken between two. */
    private final Map<String, long[]> last = new HashMap<>();
    private final Thread thread;
    private final Thread models;
    private final String[] ids;
    private final int ceiling;
    private final java.util.function.Consumer<String> say;
    private final LimitOrders limits;
    /** The models, once the models thread has them; installed by the loop's thread. */
    private volatile Models ready;
    private boolean installed;
    /** Policy 3, once live: its tunables are defined as components are first seen. */
    private LiveSizing sizing;
    /** Policy 5, once live: told each round which components share a process. */
    private TierPolicy tier;
    private final java.util.Set<String> sizedComponents = new java.util.HashSet<>();
    private long next;

    /** A loop with no tunables and no learned policy: the fixed thresholds only. */
    PolicyLoop(Path dir) {
        this(dir, new String[0], EngineTunables.ADVISE, false, s -> { });
    }

    PolicyLoop(Path dir, String[] ids, int ceiling, boolean learned, java.util.function.Consumer<String> say) {
        this(dir, ids, ceiling, EngineTunables.OUT_OF_TIER_1, learned, say);
    }

    /**
     * @param ids     the members' component ids, by slot: each gets the Engine's tunables
     * @param ceiling how far the Engine may act on a predicted failure ({@link EngineTunables#ceilingFromEnvironment})
     * @param tierCeiling how far it may act on policy 5's word ({@link EngineTunables#tierCeilingFromEnvironment})
     * @param learned whether the learned policies run ({@link #SWITCH})
     */
    PolicyLoop(Path dir, String[] ids, int ceiling, int tierCeiling, boolean learned,
               java.util.function.Consumer<String> say) {
        this(dir, ids, java.util.Set.of(), ceiling, tierCeiling, learned, say);
    }

    /** @param earning the components whose Tier 1 is earned ({@code tier-earned}) */
    PolicyLoop(Path dir, String[] ids, java.util.Set<String> earning, int ceiling, int tierCeiling, boolean learned,
               java.util.function.Consumer<String> say) {
        this.dir = dir;
        this.earning = java.util.Set.copyOf(earning);
        this.ids = ids.clone();
        this.ceiling = ceiling;
        this.say = say;
        this.engineTunables = new EngineTunables(ids, ceiling, tierCeiling, earning);
        engineTunables.define(tunables);
        this.proactive = new ProactiveActions(ids.length, say, actions);
        this.throttled = new long[ids.length];
        this.tiers = new TierActions(ids.length, say, actions);
        this.limits = new LimitOrders(ids.length);
        runner.addBuiltIn(AnyOf.all());
        if (learned) {
            runner.add(new CoalescingPolicy(COALESCING_BOUND_MICROS));
            // Started with the first samples: only the active Engine, not its standby, loads or trains the models.
            this.models = Thread.ofPlatform().daemon().name("engine-models").unstarted(() -> loadModels(say));
        } else {
            this.models = null;
        }
        this.thread = Thread.ofPlatform().daemon().name("engine-policy").start(this::run);
    }

    /** Where trained models are cached: {@code <home>/models}, beside {@code <home>/logs}. */
    static Path modelsDir(Path logDir) {
        Path parent = logDir.toAbsolutePath().getParent();
        return parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("logs")
                ? parent.resolveSibling("models") : logDir.resolve("models");
    }

    /**
     * The learned policies join the loop once their models are there: loaded from the cache, or trained once the
     * system has run {@link #TRAIN_AFTER}, so neither the boot nor a short run pays for it, and cached for next time.
     * Trained in a process of its own at the lowest priority (about two minutes of CPU, a few hundred MiB): the Engine's
     * heap and its collector never see it. The loop's own thread puts them to work ({@link #install}).
     */
    private void loadModels(java.util.function.Consumer<String> say) {
        Path models = modelsDir(dir);
        try {
            if (ModelCache.ALL.stream().anyMatch(c -> c.load(models).isEmpty())) {
                say.accept("learned policies: no models in " + models + " yet; they are trained on the trace "
                        + "generator's seeds " + ModelCache.SEEDS.getFirst() + "-" + ModelCache.SEEDS.getLast()
                        + " after " + TRAIN_AFTER.toSeconds() + " s of running, " + (Background.available()
                        ? "in the background group (the lowest CPU weight)"
                        : "at nice 19 in the Engine's group (no background group: cgroups not carved)"));
                Thread.sleep(TRAIN_AFTER);
                long start = System.nanoTime();
                Process p = new ProcessBuilder(trainer(models)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                try {
                    int status = p.waitFor();
                    say.accept("learned policies: models trained in " + (System.nanoTime() - start) / 1_000_000_000
                            + " s (the trainer ended with status " + status + "), cached in " + models);
                } finally {
                    p.toHandle().destroy(); // the Engine stopping while it trains: not left behind
                }
            }
            ready = new Models(ModelCache.FAILURE.load(models), ModelCache.ANOMALY.load(models),
                    ModelCache.SIZING.load(models));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            say.accept("learned policies 1, 2, 3 and 5 are not live: " + e);
        }
    }

    /** What the models thread found, for the loop's thread to install. */
    private record Models(java.util.Optional<ModelCache.Trained<FailureModel>> failure,
                          java.util.Optional<ModelCache.Trained<AnomalyModel>> anomaly,
                          java.util.Optional<ModelCache.Sizes> sizing) {
    }

    /**
     * On the loop's thread, once: each learned policy whose model is there joins the runner, and says so. Policy 3's
     * tunables are defined on the loop's thread too, as each component is first seen ({@link #sized}), before any
     * round can set them.
     */
    private void install(Models m) {
        Set<String> members = Set.of(ids);
        m.failure().ifPresentOrElse(t -> {
            runner.add(AlarmPolicy.failure(t, members, ceiling));
            say.accept(String.format("policy 2 (failure prediction) is live: probability of failing within %d s "
                    + ">= %.2f for %d tick(s) calls for a spare, and %s (%s=%s)", FailureModel.HORIZON_SECONDS,
                    t.threshold(), t.ticks(), ceiling == EngineTunables.ADVISE ? "nothing more"
                    : ceiling == EngineTunables.CHECKPOINT ? "a checkpoint now"
                    : "a checkpoint now and a planned restart", EngineTunables.CEILING, EngineTunables.level(ceiling)));
        }, () -> say.accept("policy 2 (failure prediction) is not live: no model"));
        m.anomaly().ifPresentOrElse(t -> {
            runner.add(AlarmPolicy.anomaly(t, members, ceiling));
            tier = new TierPolicy(new ForMembers(new TierChoice(t.model(), t.alarm()), members),
                    engineTunables.tierCeiling(), earning);
            runner.add(tier);
            say.accept(String.format("policy 1 (anomaly) is live: an anomaly score >= %.2f for %d tick(s) is an early "
                    + "warning%s; policy 5 (tier choice) promotes and demotes by it (%s=%s)", t.threshold(),
                    t.ticks(), ceiling == EngineTunables.ADVISE ? "" : ", and a warm spare and a checkpoint now once it holds "
                    + AlarmPolicy.SUSTAINED + " s", EngineTunables.TIER_CEILING,
                    EngineTunables.tierLevel(engineTunables.tierCeiling())));
        }, () -> say.accept("policies 1 and 5 (anomaly, tier choice) are not live: no model"));
        m.sizing().ifPresentOrElse(t -> {
            sizing = new LiveSizing(new LearnedSizing(t.models()), members);
            runner.add(sizing);
            say.accept("policy 3 (sizing) is live: each component's memory limit and CPU quota set from its "
                    + "history, within its manifest's, by the Sovereign");
        }, () -> say.accept("policy 3 (sizing) is not live: no model"));
    }

    /** Policy 3's tunables for each component seen for the first time, once it is live. */
    private void sized(List<Observation> fresh) {
        for (Observation o : fresh) {
            if (sizing != null && !ENGINE.equals(o.component()) && sizedComponents.add(o.component())) {
                for (Measure m : Measure.values()) {
                    if (m.ceiling(o) > 0) {
                        tunables.define(m.tunable(o));
                    }
                }
            }
        }
    }

    /** The trainer's command: this JVM's java and class path, in the background group, at nice 19. */
    static List<String> trainer(Path models) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return Background.command(List.of("nice", "-n", "19", java, "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), ModelCache.class.getName(), models.toString()));
    }

    /** How long a system runs before the Engine trains a model it has none of. */
    static final Duration TRAIN_AFTER = Duration.ofMinutes(2);

    /** Whether the Engine's environment lets the learned policies run ({@link #SWITCH}). */
    static boolean learnedByEnvironment() {
        return !"off".equals(System.getenv(SWITCH));
    }

    /** The tunables the duty cycle reads. */
    EngineTunables tunables() {
        return engineTunables;
    }

    /** What the Engine did to each component and why, written for {@code atomic explain}. */
    ActionLog actions() {
        return actions;
    }

    /**
     * On the duty cycle: once a second, the samples of every component that runs (and of the Engine), handed to the
     * loop; and what the tunables say to do proactively, done.
     */
    void tick(long now, Member[] members, Router router, StormControl storms, Supervisor supervisor,
              ControlRegion control, FastPaths fastPaths) {
        if (now - next < 0) {
            return;
        }
        next = now + EVERY_NANOS;
        long millis = System.currentTimeMillis();
        List<Sample> samples = new ArrayList<>(members.length + 1);
        Coalescer coalescer = router.coalescer();
        for (Member m : members) {
            boolean running = m.state == Member.State.READY && !m.frozen();
            samples.add(new Sample(millis, m.spec.id(), m.spec.kernel().word(), m.pid, running, m.restarts.size(),
                    m.segment.heartbeat() + m.callsAnswered, router.pendingTo(m.slot), m.callsMade + m.callsAnswered,
                    storms.budget(m.slot), m.spec.memoryMaxBytes(), coalescer.takeOffered(m.slot),
                    coalescer.takeLongestHold(m.slot)));
        }
        samples.add(new Sample(millis, ENGINE, ENGINE, SELF, true, 0, 0, 0, 0, 0, 0, 0, 0));
        accept(samples);
        for (Member m : members) {
            throttling(m, storms, false);
        }
        proactive.tick(now, members, engineTunables, supervisor);
        tiers.tick(now, members, engineTunables, supervisor, fastPaths, control);
        limits.tick(members, engineTunables, control);
    }

    private static final long SELF = ProcessHandle.current().pid();

    /**
     * On the duty cycle, once a second and as a component goes (its storm counts are then forgotten): told once
     * throttled, one entry counted however long the storm lasts.
     */
    void throttling(Member m, StormControl storms, boolean gone) {
        if (m.slot >= throttled.length) {
            return;
        }
        long windows = storms.throttledWindows(m.slot);
        if (windows > throttled[m.slot]) {
            actions.again(m.spec.id(), ActionLog.ENGINE, "throttle", "throttled: its lanes read no further than its "
                    + "budget of " + storms.budget(m.slot) + " frames/s", (windows - throttled[m.slot]) + " storm "
                    + "window(s) of " + StormControl.WINDOW_NANOS / 1_000_000 + " ms over its budget");
        }
        throttled[m.slot] = gone ? 0 : windows;
    }

    /** On the duty cycle: the Sovereign's answer to a spare asked for by {@link ProactiveActions}. */
    void spareAnswered(int slot, boolean ready, String words) {
        proactive.spareAnswered(slot, ready, words);
        tiers.spareAnswered(slot);
    }

    /** Hands a tick's samples to the loop's thread; dropped when it is two ticks behind. */
    void accept(List<Sample> samples) {
        queue.offer(samples);
    }

    /**
     * This Engine took over from a dead one: what that one did, as it last wrote it for {@code atomic explain}, is kept
     * as this one's, read on the loop's thread before it first writes (not on the duty cycle of a takeover).
     */
    void carryOn() {
        carryOn = true;
    }

    private void readPredecessorsActions() {
        carryOn = false;
        try {
            if (Files.exists(dir.resolve(PolicyState.FILE))) {
                actions.carryOn(PolicyState.read(dir).actions());
            }
        } catch (IOException | RuntimeException e) {
            say.accept("what the previous Engine did could not be read back for atomic explain (" + e.getMessage()
                    + "): it starts afresh");
        }
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                List<Sample> samples = queue.take();
                if (carryOn) {
                    readPredecessorsActions();
                }
                if (models != null && models.getState() == Thread.State.NEW) {
                    models.start();
                }
                Models m = ready;
                if (m != null && !installed) {
                    installed = true;
                    install(m);
                }
                List<Observation> fresh = samples.stream().filter(Sample::running).map(this::observe)
                        .filter(java.util.Objects::nonNull).toList();
                fresh.forEach(bus::publish);
                fresh.forEach(this::coalesced);
                sized(fresh);
                if (tier != null) {
                    tier.sharing(sharing(samples));
                }
                PolicyRunner.Round round = runner.round(samples.getFirst().timeMillis(), fresh);
                engineTunables.publish(tunables, round.timeMillis());
                write(fresh, round.timeMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            // The loop is advisory: it stops, and says why once, rather than take anything else down.
            System.err.println("engine: the policy loop stopped: " + e);
        }
    }

    /** Null when its process cannot be read (gone, or dying before the Engine heard): no observation, not a 0. */
    Observation observe(Sample s) {
        Map<String, Object> usage = new LinkedHashMap<>();
        Observers.usage(s.pid(), usage);
        if (!(usage.get("rssBytes") instanceof Long)) {
            return null;
        }
        long rss = (Long) usage.get("rssBytes");
        long cpuMillis = usage.get("cpuMillis") instanceof Long l ? l : 0;
        long[] before = last.put(s.component(), new long[]{s.pid(), cpuMillis, s.timeMillis(), s.messages()});
        boolean between = before != null && before[0] == s.pid() && s.timeMillis() > before[2];
        double cpus = between ? (double) (cpuMillis - before[1]) / (s.timeMillis() - before[2]) : 0;
        double rate = between ? Math.max(0, s.messages() - before[3]) * 1000.0 / (s.timeMillis() - before[2]) : 0;
        double events = between ? s.events() * 1000.0 / (s.timeMillis() - before[2]) : 0;
        double slope = trends.computeIfAbsent(s.component(), c -> new Trend()).add(s.timeMillis(), rss);
        return new Observation(s.timeMillis(), s.component(), s.kernel(), Math.max(0, cpus), rss, slope,
                s.memoryLimit(), memoryPressure(), List.of(new Observation.Lane("calls", rate, 0),
                new Observation.Lane(CoalescingPolicy.EVENTS, events, s.longestHoldNanos() / 1000.0)), 0,
                s.restarts(), s.progress(), s.pending(), s.budget(), List.of());
    }

    /** The host's memory pressure, PSI "some" avg10 in percent; {@link Observation#NO_PSI} without PSI. */
    static double memoryPressure() {
        try {
            for (String line : Files.readAllLines(PRESSURE)) {
                if (line.startsWith("some ")) {
                    for (String field : line.split(" ")) {
                        if (field.startsWith("avg10=")) {
                            return Double.parseDouble(field.substring(6));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return Observation.NO_PSI;
        }
        return Observation.NO_PSI;
    }

    private void write(List<Observation> fresh, long now) throws IOException {
        Map<String, Observation> last = new LinkedHashMap<>();
        Map<String, Map<String, Recommendation>> beliefs = new LinkedHashMap<>();
        for (String c : bus.components()) {
            List<Observation> h = bus.history(c);
            last.put(c, h.getLast());
            beliefs.put(c, runner.beliefs(c));
        }
        Path log = dir.resolve(OBSERVATIONS);
        if (Files.exists(log) && Files.size(log) > MAX_OBSERVATIONS_BYTES) {
            Files.move(log, dir.resolve(OBSERVATIONS + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        try (Writer w = Files.newBufferedWriter(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            JsonLines.write(w, fresh);
        }
        if (!changes.isEmpty()) {
            try (Writer w = Files.newBufferedWriter(dir.resolve(TUNABLE_CHANGES), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                for (TunableChange c; (c = changes.poll()) != null; ) {
                    w.write(JSON.writeValueAsString(c));
                    w.write('\n');
                    changed(c);
                }
            }
        }
        // Last: a reader that sees this round's state finds its observations and tunable changes written too.
        Path tmp = dir.resolve(PolicyState.FILE + ".tmp");
        JSON.writeValue(tmp.toFile(), new PolicyState(now, tunables.entries(now).stream()
                .map(PolicyState.Tunable::of).toList(), last, beliefs, List.copyOf(faults), actions.collect()));
        Files.move(tmp, dir.resolve(PolicyState.FILE), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** The running components whose process another runs in too (Tier 1 components in their partition host). */
    static Set<String> sharing(List<Sample> samples) {
        Map<Long, List<String>> byPid = new HashMap<>();
        samples.stream().filter(Sample::running).forEach(s -> byPid.computeIfAbsent(s.pid(), p -> new ArrayList<>())
                .add(s.component()));
        Set<String> shared = new java.util.HashSet<>();
        byPid.values().stream().filter(c -> c.size() > 1).forEach(shared::addAll);
        return shared;
    }

    /** A source whose events the Engine held to merge them (its rate at or past the coalescer's calm rate), told. */
    private void coalesced(Observation o) {
        int slot = java.util.Arrays.asList(ids).indexOf(o.component());
        for (Observation.Lane lane : o.lanes()) {
            if (slot >= 0 && lane.name().equals(CoalescingPolicy.EVENTS) && lane.rate() >= Coalescer.CALM_RATE) {
                actions.again(o.component(), ActionLog.ENGINE, "coalesce", "coalesced its events: each held for a "
                        + "window and merged with those that follow it", String.format("%.0f events/s, at or past "
                        + "%d/s; a window of %d µs per 1,000 events/s; the longest held %.0f µs", lane.rate(),
                        Coalescer.CALM_RATE, engineTunables.windowPerKrate(slot), lane.latencyMicros()));
            }
        }
    }

    /** A tunable of a component changed: what the Engine does for it from now on, told as its action. */
    private void changed(TunableChange c) {
        String component = null;
        for (String id : ids) {
            if (c.tunable().endsWith("." + id) && (component == null || id.length() > component.length())) {
                component = id;
            }
        }
        dev.atomic.policy.Tunable t = tunables.tunable(c.tunable());
        if (component == null || t == null) {
            return;
        }
        boolean decayed = TunableChange.DECAY.equals(c.policy());
        actions.again(component, c.policy(), "tunable", "set " + c.tunable(), "to " + t.kind().say(c.to())
                + " (was " + t.kind().say(c.from()) + (c.clamped() ? ", " + t.kind().say(c.proposed())
                + " proposed and clamped" : "") + "): " + (decayed ? "back to its default, its policy no longer "
                + "refreshing it" : c.reason()));
    }

    private void reported(PolicyFault f) {
        if (faults.size() == 20) {
            faults.removeFirst();
        }
        faults.addLast(f);
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(1)); // before the runner's threads go: a round under way ends first
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            runner.close();
        }
    }
}
