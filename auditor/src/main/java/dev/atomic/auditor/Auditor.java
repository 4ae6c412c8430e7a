package dev.atomic.auditor;

/** Reads a host and decides what the Engine reserves on it. A missing file never makes it throw: it degrades. */
public final class Auditor {

    private Auditor() {
    }

    public static HostReport audit() {
        return audit(HostView.live());
    }

    public static HostReport audit(HostView host) {
        CpuReader cpus = new CpuReader(host);
        Cpu cpu = cpus.read();
        long memory = cpus.memoryBytes();
        Features features = new FeatureReader(host, cpus.cpuFlags()).read();
        ReservationPlanner.Plan plan = ReservationPlanner.plan(cpu, memory, features);
        return new HostReport(cpu, memory, features, plan.reservation(), NotEnforced.sentences(
                !cpus.onlineCpus().isEmpty(), memory, features, plan.notEnforced().stream().toList()));
    }
}
