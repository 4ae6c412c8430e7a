package dev.atomic.auditor;

import java.util.List;

/**
 * The isolation features the host offers to user space.
 *
 * @param cgroupVersion     "v2" (unified only), "v1" (any controller on a v1 hierarchy, hybrid included) or "none"
 * @param cgroupControllers controllers Atomic can use: v1 mounts plus those the cgroup2 root offers, sorted
 * @param cpusetPartitions  cpuset partition roots (v2) can be made
 * @param kvmHardware       /dev/kvm can boot a stock kernel (real VT-x/AMD-V, not PVM)
 * @param kvmNote           what kind of /dev/kvm this is, completing "/dev/kvm is ..." ("PVM (kvm_pvm)")
 * @param tpmOpen           /dev/tpmrm0 is there and this user may open it: the boot's measurement chain is extended
 *                          into the TPM's PCR 23
 * @param root              Atomic runs with effective uid 0
 */
public record Features(boolean userNamespaces, boolean seccomp, boolean seccompUserNotify, int landlockAbi,
                       String cgroupVersion, List<String> cgroupControllers, boolean cpusetPartitions,
                       boolean resctrl, boolean resctrlCacheAllocation, boolean psi,
                       boolean kvm, boolean kvmHardware, String kvmNote, boolean iommu, boolean tpm, boolean tpmOpen,
                       boolean fuse,
                       boolean bubblewrap, boolean libseccomp, boolean root) {

    public Features {
        cgroupControllers = List.copyOf(cgroupControllers);
    }

    /** The cpuset controller is there to make the Engine's CPUs exclusive (v1 or v2). */
    public boolean cpusetUsable() {
        return cgroupControllers.contains("cpuset");
    }
}
