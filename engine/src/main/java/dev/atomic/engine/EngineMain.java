package dev.atomic.engine;

import dev.atomic.auditor.CpuList;
import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.FastPathSegment;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.bridge.Succession;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.SystemSpec;
import dev.atomic.system.Affinity;
import dev.atomic.system.Prctl;
import dev.atomic.system.Proc;
import dev.atomic.system.SharedMemory;
import dev.atomic.system.Signals;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The Engine process. Started by the Sovereign as
 * {@code EngineMain <control-region-path> <system> <sovereign-pid> <log-dir> <shared|partitioned> <engine-cpus>
 * <vault-dir> <release> <boot|resume|standby>}; it first checks that the Sovereign runs the release's signed image,
 * then maps the control region and every slot's lane segment, then runs the duty cycle —
 * booting the kernels, or resuming after a predecessor died; a standby waits to be promoted first.
 */
public final class EngineMain {
    /** The JIT counts as done when a period this long passes without its compilation time growing. */
    private static final long COMPILER_QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long COMPILER_QUIET_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private EngineMain() {
    }

    /**
     * A warm standby: started, attached, its classes loaded — and touching no ring until the active Engine is dead.
     * It waits for the Engine's seat, which the kernel hands it the instant the active Engine's duty-cycle thread
     * dies (or, where the C library has no robust mutex, until the Sovereign rings its doorbell). Returns when it
     * learnt of the death.
     */
    private static long awaitPromotion(ControlRegion control, SystemSpec system) {
        Rehearsal.run(system, Path.of(System.getProperty("java.io.tmpdir")));
        awaitCompilerQuiet();
        Succession succession = control.succession();
        succession.standbyWaiting(Proc.pid());
        if (succession.seatIsLock()) {
            succession.takeSeat();
        } else {
            var bell = control.standbyDoorbell();
            while (bell.sequence() == 0) {
                bell.await(TimeUnit.SECONDS.toNanos(1), () -> bell.sequence() != 0);
            }
        }
        return System.nanoTime();
    }

    /**
     * The JIT compiles what the rehearsal ran in the background, on this Engine's CPUs: a standby says it is warm
     * only once that is done, so that it neither competes with the active Engine nor takes over half compiled.
     */
    private static void awaitCompilerQuiet() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + COMPILER_QUIET_LIMIT_NANOS;
        for (long before = -1, now = jit.getTotalCompilationTime(); now != before && System.nanoTime() < deadline;
             before = now, now = jit.getTotalCompilationTime()) {
            LockSupport.parkNanos(COMPILER_QUIET_NANOS);
        }
    }

    /** Takes the Engine's seat (at once, or at the death of the Engine before) and the active Engine's place. */
    private static void takeSeat(ControlRegion control, SystemSpec system, String mode) {
        long promoted = 0;
        if (mode.equals("standby")) {
            promoted = awaitPromotion(control, system);
        } else if (control.succession().seatIsLock()) {
            control.succession().takeSeat();
        }
        if (control.succession().stopping()) {
            Runtime.getRuntime().halt(0); // Atomic is stopping: the seat is nobody's to take
        }
        if (!mode.equals("boot")) {
            control.takeOver(promoted);
        }
        control.enginePid(Proc.pid());
    }

    /** Refuses to open the bridges for a Sovereign that does not run the signed release's image. */
    private static void verifySovereign(long pid, Path vault, String release) {
        List<String> problems;
        try {
            problems = SovereignCheck.problems(pid, vault, release);
        } catch (java.io.IOException | RuntimeException e) {
            problems = List.of(String.valueOf(e.getMessage()));
        }
        if (!problems.isEmpty()) {
            System.err.println("[engine] refusing to attach: the Sovereign (pid " + pid + ") does not run the image "
                    + "that release '" + release + "' names: " + String.join("; ", problems.subList(0,
                    Math.min(5, problems.size()))) + (problems.size() > 5 ? "; and " + (problems.size() - 5)
                    + " more" : ""));
            System.exit(4);
        }
    }

    public static void main(String[] args) {
        if (args.length != 9) {
            System.err.println("usage: EngineMain <control-region-path> <system> <sovereign-pid> <log-dir> "
                    + "<shared|partitioned> <engine-cpus> <vault-dir> <release> <boot|resume|standby>");
            System.exit(2);
        }
        Prctl.setParentDeathSignal(Signals.SIGKILL);
        if (Proc.parentPid() != Long.parseLong(args[2])) {
            System.err.println("the Sovereign (pid " + args[2] + ") is gone; exiting");
            System.exit(3);
        }
        verifySovereign(Long.parseLong(args[2]), Path.of(args[6]), args[7]);
        ControlRegion control = ControlRegion.attach(SharedMemory.open(Path.of(args[0])));
        SystemSpec system = SystemSpec.load(args[1]);
        Member[] members = new Member[control.slots()];
        for (int slot = 0; slot < members.length; slot++) {
            String id = control.slotName(slot);
            ComponentSpec spec = system.component(id).orElseThrow(() ->
                    new IllegalStateException("slot table names '" + id + "', which system '" + args[1] + "' lacks"));
            members[slot] = new Member(slot, spec, LaneSegment.attach(SharedMemory.open(Path.of(control.slotPath(slot)))));
        }
        List<FastPathSegment> fastPaths = new java.util.ArrayList<>();
        for (int id = 0; id < control.fastPaths(); id++) {
            fastPaths.add(FastPathSegment.attach(SharedMemory.open(Path.of(control.fastPathPath(id)))));
        }
        boolean partitioned = args[4].equals("partitioned");
        if (partitioned) {
            // The duty cycle owns the reserved CPUs: pin this thread there, and spin.
            BitSet cpus = new BitSet();
            List<Integer> reserved = CpuList.parse(args[5]);
            reserved.forEach(cpus::set);
            Affinity.set(0, cpus);
        }
        try (Engine engine = new Engine(control, members, fastPaths, system, Path.of(args[3]), partitioned, System.out,
                TimeUnit.SECONDS.toNanos(2))) {
            takeSeat(control, system, args[8]);
            engine.run(!args[8].equals("boot"));
        }
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
