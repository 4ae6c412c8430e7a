package dev.atomic.auditor;

import dev.atomic.system.cgroup.CgroupMounts;
import dev.atomic.system.tpm.Tpm;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Reads which isolation features the host offers. */
final class FeatureReader {
    private static final String TPM = Tpm.DEVICE.toString();

    private final HostView host;
    private final List<String> cpuFlags;

    FeatureReader(HostView host, List<String> cpuFlags) {
        this.host = host;
        this.cpuFlags = cpuFlags;
    }

    Features read() {
        String mountinfo = host.read("/proc/self/mountinfo").orElse("");
        CgroupMounts mounts = CgroupMounts.parse(mountinfo);
        Optional<String> unified = mounts.unified().map(Path::toString);
        List<String> v2Controllers = unified.flatMap(u -> host.read(u + "/cgroup.controllers")).stream()
                .flatMap(text -> Arrays.stream(text.trim().split("\\s+"))).filter(s -> !s.isEmpty()).toList();
        TreeSet<String> controllers = new TreeSet<>(mounts.v1Controllers().keySet());
        controllers.addAll(v2Controllers);
        String version = mounts.hasV1() ? "v1" : unified.isPresent() ? "v2" : "none";
        boolean cpusetPartitions = v2Controllers.contains("cpuset") || unified.stream().anyMatch(u -> host.list(u)
                .stream().anyMatch(child -> host.exists(u + "/" + child + "/cpuset.cpus.partition")));

        boolean resctrl = mountinfo.lines().anyMatch(line -> line.contains(" - resctrl "))
                || host.read("/proc/filesystems").orElse("").lines().anyMatch(line -> line.endsWith("\tresctrl"));
        boolean kvm = host.exists("/dev/kvm");
        boolean pvm = host.exists("/sys/module/kvm_pvm");
        Optional<String> virtualisation = cpuFlags.stream().filter(f -> f.equals("vmx") || f.equals("svm")).findFirst();

        return new Features(userNamespaces(), host.exists("/proc/sys/kernel/seccomp/actions_avail"),
                host.read("/proc/sys/kernel/seccomp/actions_avail").orElse("").contains("user_notif"),
                host.landlockAbi(), version, List.copyOf(controllers), cpusetPartitions,
                resctrl, host.exists("/sys/fs/resctrl/info/L3"),
                List.of("cpu", "memory", "io").stream().allMatch(p -> host.exists("/proc/pressure/" + p)),
                kvm, kvm && !pvm && virtualisation.isPresent(), kvmNote(kvm, pvm, virtualisation),
                !host.list("/sys/class/iommu").isEmpty(), host.exists(TPM), host.openable(TPM), host.exists("/dev/fuse"),
                host.toolPresent(HostView.BUBBLEWRAP), host.toolPresent(HostView.LIBSECCOMP), host.root());
    }

    /** max_user_namespaces above 0, and Debian's unprivileged_userns_clone not 0 where the kernel has it. */
    private boolean userNamespaces() {
        long max = host.read("/proc/sys/user/max_user_namespaces").map(String::trim)
                .filter(s -> s.matches("\\d+")).map(Long::parseLong).orElse(0L);
        boolean debianGate = host.read("/proc/sys/kernel/unprivileged_userns_clone").map(String::trim)
                .map(s -> !s.equals("0")).orElse(true);
        return max > 0 && debianGate;
    }

    /** Completes "/dev/kvm is ...". */
    private static String kvmNote(boolean kvm, boolean pvm, Optional<String> virtualisation) {
        if (!kvm) {
            return "absent";
        }
        if (pvm) {
            return "PVM (kvm_pvm)";
        }
        return virtualisation.map(flag -> "hardware virtualisation (" + flag + ")")
                .orElse("without hardware virtualisation (no vmx or svm CPU flag)");
    }
}
