package dev.atomic.auditor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.atomic.system.tpm.Tpm;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Renders a {@link HostReport} for people (text) and for programs (JSON). */
public final class ReportRenderer {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportRenderer() {
    }

    /** Pretty-printed JSON with the records' field names; numbers as numbers, enums as their labels. */
    public static String json(HostReport r) {
        try {
            return JSON.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a host report is plain data and always serialises", e);
        }
    }

    public static String text(HostReport r) {
        Cpu c = r.cpu();
        Features f = r.features();
        Reservation res = r.reservation();
        StringBuilder out = new StringBuilder();
        section(out, "Host", List.of(
                row("CPU", c.model()),
                row("sockets", c.sockets()),
                row("cores", c.cores() + " (" + c.threadsPerCore() + " thread" + (c.threadsPerCore() == 1 ? "" : "s")
                        + " per core)"),
                row("logical CPUs", c.logicalCpus() + " (" + CpuList.format(c.cpus()) + ")"),
                row("hybrid", c.hybrid() ? "P-cores " + CpuList.format(c.performanceCpus()) + ", E-cores "
                        + CpuList.format(c.efficiencyCpus()) : "no"),
                row("L3 domains", c.l3Domains().size() + lists(c.l3Domains())),
                row("NUMA nodes", c.numaNodes().size() + lists(c.numaNodes())),
                row("RAM", r.memoryBytes() == 0 ? "unknown" : Bytes.format(r.memoryBytes()))));
        section(out, "Isolation features", List.of(
                feature("user namespaces", f.userNamespaces(), ""),
                feature("seccomp filters", f.seccomp(), ""),
                feature("seccomp user notification", f.seccompUserNotify(), ""),
                feature("Landlock", f.landlockAbi() > 0, f.landlockAbi() > 0 ? "ABI " + f.landlockAbi() : ""),
                row("cgroups", f.cgroupVersion(), String.join(" ", f.cgroupControllers())),
                feature("cpuset partitions", f.cpusetPartitions(), "cgroup v2 partition roots"),
                feature("resctrl", f.resctrl(), ""),
                feature("L3 cache allocation", f.resctrlCacheAllocation(), "/sys/fs/resctrl/info/L3"),
                feature("pressure stall info", f.psi(), "/proc/pressure"),
                feature("/dev/kvm", f.kvm(), f.kvmNote()),
                feature("boots a stock kernel", f.kvmHardware(), ""),
                feature("IOMMU", f.iommu(), "/sys/class/iommu"),
                feature("TPM", f.tpm(), tpm(f)),
                feature("FUSE", f.fuse(), "/dev/fuse"),
                feature("bubblewrap", f.bubblewrap(), HostView.BUBBLEWRAP),
                feature("libseccomp", f.libseccomp(), "libseccomp.so.2"),
                feature("root", f.root(), "effective uid 0")));
        section(out, "Profile", List.of(
                row("profile", res.profile().label(), res.reasons().get(Reservation.PROFILE_REASON)),
                row("mode", res.mode().label(), res.reasons().get(Reservation.MODE_REASON))));
        section(out, "Reservation", List.of(
                row("engine threads", res.engineThreads(), res.reasons().get(Reservation.THREADS_REASON)),
                row("engine CPUs", CpuList.format(res.engineCpus()), res.reasons().get(Reservation.CPUS_REASON)),
                row("memory bridge", Bytes.format(res.bridgeBytes()), res.reasons().get(Reservation.BRIDGE_REASON))));
        out.append("Not enforced on this host\n");
        r.notEnforced().forEach(line -> out.append("  - ").append(line).append('\n'));
        if (r.notEnforced().isEmpty()) {
            out.append("  (nothing: every isolation feature Atomic uses is here)\n");
        }
        return out.toString();
    }

    /** Whether the boot's measurement chain will be sealed in the TPM, and where. */
    private static String tpm(Features f) {
        if (!f.tpm()) {
            return "/dev/tpmrm0: the boot's measurements are logged, not sealed";
        }
        return f.tpmOpen() ? "/dev/tpmrm0: the boot's measurement chain is extended into PCR " + Tpm.APPLICATION_PCR
                : "/dev/tpmrm0, not open to this user: the boot's measurements are logged, not sealed";
    }

    private static String lists(List<List<Integer>> lists) {
        return lists.isEmpty() ? "" : ": " + lists.stream().map(CpuList::format).collect(Collectors.joining(" | "));
    }

    private static List<String> row(String label, Object value, String... note) {
        List<String> cells = new ArrayList<>(List.of(label, String.valueOf(value)));
        cells.addAll(List.of(note));
        return cells;
    }

    private static List<String> feature(String label, boolean present, String note) {
        return row(label, present ? "yes" : "no", note);
    }

    /** A titled block whose columns line up; trailing empty cells are left out. */
    private static void section(StringBuilder out, String title, List<List<String>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size() - 1; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        out.append(title).append('\n');
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                line.append(cell).append(i < row.size() - 1 ? " ".repeat(widths[i] - cell.length() + 2) : "");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append('\n');
    }
}
