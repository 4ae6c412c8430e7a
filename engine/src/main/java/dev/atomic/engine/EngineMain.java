package dev.atomic.engine;

import dev.atomic.auditor.CpuList;
import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.FastPathSegment;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.SystemSpec;
import dev.atomic.system.Affinity;
import dev.atomic.system.PidFd;
import dev.atomic.system.Prctl;
import dev.atomic.system.Proc;
import dev.atomic.system.SharedMemory;
import dev.atomic.system.Signals;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Engine process. Started by the Sovereign as
 * {@code EngineMain <control-region-path> <system> <sovereign-pid> <log-dir> <shared|partitioned> <engine-cpus>
 * <vault-dir> <release> <boot|resume|standby>}; it first checks that the Sovereign runs the release's signed image,
 * then maps the control region and every slot's lane segment, then runs the duty cycle —
 * booting the kernels, or resuming after a predecessor died; a standby waits to be promoted first.
 */
public final class EngineMain {
    private EngineMain() {
    }

    /**
     * A warm standby: started, attached, its classes loaded — and touching no ring until the Sovereign promotes it,
     * after the active Engine is dead. Then it resumes where that one stood.
     */
    private static void awaitPromotion(ControlRegion control) {
        // Warm means warm: link the native calls and load the classes the takeover needs, now rather than then.
        try (PidFd self = PidFd.open(Proc.pid())) {
            self.hasExited();
        }
        dev.atomic.component.Say.line(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), "engine", "");
        var bell = control.standbyDoorbell();
        while (bell.sequence() == 0) {
            bell.await(TimeUnit.SECONDS.toNanos(1), () -> bell.sequence() != 0);
        }
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
        SystemSpec system = SystemSpec.builtIn(args[1]);
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
            if (args[8].equals("standby")) {
                awaitPromotion(control);
            }
            control.enginePid(Proc.pid());
            engine.run(!args[8].equals("boot"));
        }
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
