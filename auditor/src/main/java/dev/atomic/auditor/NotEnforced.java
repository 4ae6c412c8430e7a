package dev.atomic.auditor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What Atomic cannot enforce on a host, one plain sentence each. */
final class NotEnforced {

    /** Controllers the Sovereign carves with, and what is lost without each. */
    private static final Map<String, String> CONTROLLERS = Map.of(
            "cpu", "components' CPU time cannot be weighted or capped",
            "cpuset", "the Engine's CPUs cannot be kept apart from components",
            "memory", "components' memory cannot be limited and the Engine's memory cannot be protected from reclaim",
            "pids", "a component that forks without end cannot be stopped at a process limit");

    private NotEnforced() {
    }

    /**
     * @param cpusKnown whether the online CPUs could be read at all
     * @param fromPlan  the planner's sentence, when the Engine ends up sharing its CPUs
     */
    static List<String> sentences(boolean cpusKnown, long memory, Features f, List<String> fromPlan) {
        List<String> out = new ArrayList<>();
        if (!cpusKnown) {
            out.add("The host's CPUs could not be read (/sys/devices/system/cpu/online, /proc/cpuinfo): the"
                    + " reservation assumes one CPU.");
        }
        if (memory == 0) {
            out.add("The host's RAM could not be read (/proc/meminfo): the memory bridge is sized for a small host.");
        }
        out.addAll(fromPlan);
        if (!f.userNamespaces()) {
            out.add("User namespaces are disabled (/proc/sys/user/max_user_namespaces or"
                    + " kernel.unprivileged_userns_clone): components cannot get their own user, mount, pid and"
                    + " network namespaces.");
        }
        if (!f.seccomp()) {
            out.add("No seccomp filters: components' system calls cannot be restricted.");
        } else if (!f.seccompUserNotify()) {
            out.add("No seccomp user notification: sensitive system calls can be denied but not sent to the"
                    + " Engine for audit.");
        }
        if (f.landlockAbi() == 0) {
            out.add("No Landlock: a component's file access is limited by its mount namespace alone.");
        }
        cgroups(f, out);
        if (!f.resctrl()) {
            out.add("No resctrl: components' use of the shared L3 cache cannot be partitioned.");
        } else if (!f.resctrlCacheAllocation()) {
            out.add("resctrl without L3 cache allocation (/sys/fs/resctrl/info/L3): components' use of the shared"
                    + " L3 cache cannot be partitioned.");
        }
        if (!f.psi()) {
            out.add("No pressure stall information (/proc/pressure): the Engine sees CPU, memory and I/O"
                    + " shortage only from usage counters, later.");
        }
        if (!f.kvmHardware()) {
            out.add((f.kvm() ? "/dev/kvm is " + f.kvmNote() : "No /dev/kvm") + ": Atomic cannot use hardware"
                    + " virtualisation to boot component kernels; isolation is by namespaces, seccomp and cgroups.");
        }
        if (!f.iommu()) {
            out.add("No IOMMU (/sys/class/iommu): a device cannot be handed to a user-space driver behind VFIO;"
                    + " drivers reach hardware only through the host kernel.");
        }
        if (!f.tpm()) {
            out.add("No hardware TPM (/dev/tpmrm0): boot measurements are logged but not sealed in a TPM PCR.");
        } else if (!f.tpmOpen()) {
            out.add("The TPM (/dev/tpmrm0) is not open to this user (root, or the tss group on most distributions):"
                    + " boot measurements are logged but not sealed in a TPM PCR.");
        }
        if (!f.fuse()) {
            out.add("No /dev/fuse: Atomic's object namespace cannot be mounted as files; it is served as JSON only.");
        }
        if (!f.bubblewrap()) {
            out.add("bubblewrap is not installed: components cannot be sandboxed in namespaces; install it with:"
                    + " apt-get install bubblewrap");
        }
        if (!f.libseccomp()) {
            out.add("libseccomp (libseccomp.so.2) is not installed: components' seccomp filters cannot be built;"
                    + " install it with: apt-get install libseccomp2");
        }
        if (!f.root()) {
            out.add("Not running as root: cgroups, cpusets and memory protection apply only where the cgroup tree"
                    + " is delegated to this user.");
        }
        return List.copyOf(out);
    }

    private static void cgroups(Features f, List<String> out) {
        if (f.cgroupVersion().equals("none")) {
            out.add("No cgroup hierarchy is mounted: components' CPU, memory and process limits cannot be"
                    + " enforced, and idle services cannot be frozen.");
            return;
        }
        if (f.cpusetUsable() && !f.cpusetPartitions()) { // cpuset is on a v1 hierarchy
            out.add("cgroup v1: cpuset partition roots (v2) are unavailable; the Engine's CPUs can be made"
                    + " exclusive only with cpuset.cpu_exclusive.");
        }
        CONTROLLERS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(c -> !f.cgroupControllers().contains(c.getKey()))
                .forEach(c -> out.add("No " + c.getKey() + " cgroup controller: " + c.getValue() + "."));
        // cgroup v2 freezes through cgroup.freeze in every cgroup; v1 needs its freezer controller.
        if (f.cgroupVersion().equals("v1") && !f.cgroupControllers().contains("freezer")) {
            out.add("No freezer cgroup controller: idle services cannot be frozen, only stopped.");
        }
    }
}
