package dev.atomic.auditor;

import static dev.atomic.auditor.Fixtures.GIB;
import static dev.atomic.auditor.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FixtureAuditTest {

    private static final String PVM = "/dev/kvm is PVM (kvm_pvm): Atomic cannot use hardware virtualisation to boot"
            + " component kernels; isolation is by namespaces, seccomp and cgroups.";
    private static final String NO_TPM = "No hardware TPM (/dev/tpmrm0): boot measurements are logged but not"
            + " sealed in a TPM PCR.";
    private static final String NO_RESCTRL = "No resctrl: components' use of the shared L3 cache cannot be"
            + " partitioned.";
    private static final String CGROUP_V1 = "cgroup v1: cpuset partition roots (v2) are unavailable; the Engine's"
            + " CPUs can be made exclusive only with cpuset.cpu_exclusive.";

    private static boolean mentions(HostReport r, String start) {
        return r.notEnforced().stream().anyMatch(line -> line.startsWith(start));
    }

    @Nested
    class ThisMachine {
        final HostReport r = Fixtures.audit("this-machine");

        @Test
        void cpuAndMemory() {
            Cpu c = r.cpu();
            assertEquals("AMD EPYC", c.model());
            assertEquals(1, c.sockets());
            assertEquals(2, c.cores());
            assertEquals(2, c.logicalCpus());
            assertEquals(1, c.threadsPerCore());
            assertFalse(c.hybrid());
            assertEquals(List.of(List.of(0, 1)), c.l3Domains());
            assertEquals(List.of(List.of(0, 1)), c.numaNodes());
            assertEquals(24684092L * 1024, r.memoryBytes());
        }

        @Test
        void features() {
            Features f = r.features();
            assertTrue(f.userNamespaces());
            assertTrue(f.seccompUserNotify());
            assertEquals(7, f.landlockAbi());
            assertEquals("v1", f.cgroupVersion());
            assertTrue(f.cgroupControllers().containsAll(List.of("cpu", "cpuset", "memory", "pids", "freezer")));
            assertFalse(f.cpusetPartitions());
            assertFalse(f.resctrl());
            assertTrue(f.psi());
            assertTrue(f.kvm());
            assertFalse(f.kvmHardware());
            assertEquals("PVM (kvm_pvm)", f.kvmNote());
            assertFalse(f.iommu());
            assertFalse(f.tpm());
            assertFalse(f.tpmOpen());
            assertTrue(f.fuse());
            assertTrue(f.libseccomp());
            assertTrue(f.root());
        }

        @Test
        void leanAndShared() {
            Reservation res = r.reservation();
            assertEquals(Profile.LEAN, res.profile());
            assertEquals(Mode.SHARED, res.mode());
            assertEquals(1, res.engineThreads());
            assertEquals(List.of(1), res.engineCpus());
            assertEquals(256 * MIB, res.bridgeBytes());
        }

        @Test
        void notEnforced() {
            assertTrue(r.notEnforced().contains(PVM));
            assertTrue(r.notEnforced().contains(
                    "Only 2 CPUs: the Engine shares its CPU with components (shared mode); it is not reserved."));
            assertTrue(r.notEnforced().contains(NO_TPM));
            assertTrue(r.notEnforced().contains(NO_RESCTRL));
            assertTrue(r.notEnforced().contains(CGROUP_V1));
            assertTrue(mentions(r, "No IOMMU"));
            assertFalse(mentions(r, "No Landlock"));
            assertFalse(mentions(r, "Not running as root"));
        }
    }

    @Nested
    class Intel14900k {
        final HostReport r = Fixtures.audit("intel-14900k");

        @Test
        void cpuAndMemory() {
            Cpu c = r.cpu();
            assertEquals(32, c.logicalCpus());
            assertEquals(24, c.cores());
            assertEquals(2, c.threadsPerCore());
            assertEquals(range(0, 15), c.performanceCpus());
            assertEquals(range(16, 31), c.efficiencyCpus());
            assertEquals(1, c.l3Domains().size());
            assertEquals(1, c.numaNodes().size());
            assertEquals(65574736L * 1024, r.memoryBytes());
        }

        @Test
        void fullOnTheLastFourECores() {
            Reservation res = r.reservation();
            assertEquals(Profile.FULL, res.profile());
            assertEquals(Mode.PARTITIONED, res.mode());
            assertEquals(4, res.engineThreads());
            assertEquals(List.of(28, 29, 30, 31), res.engineCpus());
            assertEquals(GIB, res.bridgeBytes());
        }

        @Test
        void notEnforced() {
            assertTrue(r.features().kvmHardware());
            assertEquals("v2", r.features().cgroupVersion());
            assertTrue(r.features().cpusetPartitions());
            assertTrue(r.features().tpmOpen());
            assertFalse(mentions(r, "No hardware TPM"));
            assertFalse(mentions(r, "The TPM (/dev/tpmrm0)"));
            assertFalse(mentions(r, "No IOMMU"));
            assertFalse(mentions(r, "/dev/kvm"));
            assertFalse(mentions(r, "cgroup v1"));
            assertFalse(r.notEnforced().stream().anyMatch(line -> line.contains("shared mode")));
            assertTrue(r.notEnforced().contains(NO_RESCTRL));
        }
    }

    @Nested
    class Ryzen7950x {
        final HostReport r = Fixtures.audit("ryzen-7950x");

        @Test
        void cpuAndMemory() {
            Cpu c = r.cpu();
            assertEquals(32, c.logicalCpus());
            assertEquals(16, c.cores());
            assertEquals(2, c.threadsPerCore());
            assertFalse(c.hybrid());
            assertEquals(List.of(CpuList.parse("0-7,16-23"), CpuList.parse("8-15,24-31")), c.l3Domains());
            assertEquals(1, c.numaNodes().size());
            assertEquals(65538000L * 1024, r.memoryBytes());
        }

        @Test
        void latencyInsideTheSecondCcd() {
            Reservation res = r.reservation();
            assertEquals(Profile.LATENCY, res.profile());
            assertEquals(Mode.PARTITIONED, res.mode());
            assertEquals(4, res.engineThreads());
            assertEquals(List.of(14, 15, 30, 31), res.engineCpus());
            assertEquals(GIB, res.bridgeBytes());
            assertTrue(res.reasons().get(Reservation.CPUS_REASON).contains("resctrl"));
        }

        @Test
        void notEnforced() {
            assertTrue(r.features().resctrl());
            assertTrue(r.features().resctrlCacheAllocation());
            assertEquals("hardware virtualisation (svm)", r.features().kvmNote());
            assertFalse(mentions(r, "No resctrl"));
            assertFalse(mentions(r, "resctrl without"));
            assertFalse(mentions(r, "No hardware TPM"));
        }
    }

    @Nested
    class Xeon2s {
        final HostReport r = Fixtures.audit("xeon-2s-128g");

        @Test
        void cpuAndMemory() {
            Cpu c = r.cpu();
            assertEquals(2, c.sockets());
            assertEquals(32, c.cores());
            assertEquals(64, c.logicalCpus());
            assertEquals(2, c.threadsPerCore());
            assertEquals(2, c.l3Domains().size());
            assertEquals(List.of(CpuList.parse("0-15,32-47"), CpuList.parse("16-31,48-63")), c.numaNodes());
            assertEquals(131731048L * 1024, r.memoryBytes());
        }

        @Test
        void dominanceSpreadOverBothNodes() {
            Reservation res = r.reservation();
            assertEquals(Profile.DOMINANCE, res.profile());
            assertEquals(Mode.PARTITIONED, res.mode());
            assertEquals(8, res.engineThreads());
            assertEquals(List.of(14, 15, 30, 31, 46, 47, 62, 63), res.engineCpus());
            // RAM/32 of 125.6 GiB, rounded down to MiB: just under the 4 GiB cap.
            assertEquals(4020 * MIB, res.bridgeBytes());
        }

        @Test
        void notEnforced() {
            assertFalse(mentions(r, "No hardware TPM"));
            assertFalse(mentions(r, "No IOMMU"));
            assertTrue(r.notEnforced().contains(NO_RESCTRL));
        }
    }

    @Nested
    class Laptop8thGen {
        final HostReport r = Fixtures.audit("laptop-8th-gen");

        @Test
        void cpuAndMemory() {
            Cpu c = r.cpu();
            assertEquals(4, c.cores());
            assertEquals(8, c.logicalCpus());
            assertEquals(2, c.threadsPerCore());
            assertFalse(c.hybrid());
            assertEquals(1, c.l3Domains().size());
            assertEquals(1, c.numaNodes().size());
            assertEquals(7994632L * 1024, r.memoryBytes());
        }

        @Test
        void leanAndShared() {
            Reservation res = r.reservation();
            assertEquals(Profile.LEAN, res.profile());
            assertEquals(Mode.SHARED, res.mode());
            assertEquals(1, res.engineThreads());
            assertEquals(List.of(7), res.engineCpus());
            assertEquals(256 * MIB, res.bridgeBytes());
        }

        @Test
        void notEnforced() {
            assertTrue(r.notEnforced().contains("Only 4 cores (8 CPUs) and 7.6 GiB RAM: the Engine shares its CPU"
                    + " with components (shared mode); it is not reserved."));
            assertTrue(mentions(r, "Not running as root"));
            assertTrue(mentions(r, "No IOMMU"));
            assertTrue(r.notEnforced().contains(NO_RESCTRL));
            assertFalse(mentions(r, "No hardware TPM"));
            assertFalse(mentions(r, "bubblewrap"));
        }

        /** Its TPM is root:tss 0660 and the user is not in tss: the measurements cannot be sealed, and it says so. */
        @Test
        void aTpmThisUserCannotOpen() {
            assertTrue(r.features().tpm());
            assertFalse(r.features().tpmOpen());
            assertTrue(r.notEnforced().contains("The TPM (/dev/tpmrm0) is not open to this user (root, or the tss"
                    + " group on most distributions): boot measurements are logged but not sealed in a TPM PCR."));
            assertTrue(ReportRenderer.text(r).contains("/dev/tpmrm0, not open to this user: the boot's measurements"
                    + " are logged, not sealed"));
        }
    }

    private static List<Integer> range(int first, int last) {
        return CpuList.parse(first + "-" + last);
    }
}
