package dev.atomic.sovereign;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** IRQ steering on a tree shaped like /proc/irq. */
class IrqSteeringTest {
    @TempDir
    Path irq;

    private void irq(String number, String cpus) throws Exception {
        Files.createDirectories(irq.resolve(number));
        Files.writeString(irq.resolve(number).resolve("smp_affinity_list"), cpus + "\n");
    }

    private String cpus(String number) throws Exception {
        return Files.readString(irq.resolve(number).resolve("smp_affinity_list")).strip();
    }

    @Test
    void reservedCpusLeaveEveryIrqThatHasAnotherAndComeBackAtRestore() throws Exception {
        irq("24", "0-3");
        irq("25", "2");
        irq("26", "0,2-3");
        irq("27", "0-1");
        Files.createDirectories(irq.resolve("28")); // no affinity of its own
        Files.writeString(irq.resolve("default_smp_affinity"), "f\n");

        IrqSteering s = IrqSteering.steer(irq, List.of(2, 3));
        assertEquals("2 IRQs steered off CPU 2-3, 0 not writable, 1 allowed only there left alone", s.describe());
        assertEquals("0-1", cpus("24"));
        assertEquals("2", cpus("25"), "never left without a CPU");
        assertEquals("0", cpus("26"));
        assertEquals("0-1", cpus("27"), "not on a reserved CPU: untouched");

        assertEquals(List.of(), s.restore());
        assertEquals("0-3", cpus("24"));
        assertEquals("0,2-3", cpus("26"));
        assertEquals("2", cpus("25"));
    }

    /** A file the kernel refuses to write, as it does for per-CPU IRQs: a read-only sysfs list, even for root. */
    @Test
    void anIrqTheKernelWillNotMoveIsCountedNotFatal() throws Exception {
        Path online = Path.of("/sys/devices/system/cpu/online");
        assumeTrue(Files.isReadable(online) && Files.readString(online).strip().matches("0-\\d+"), "needs 2 CPUs");
        irq("9", "0-1");
        Files.createDirectories(irq.resolve("11"));
        Files.createSymbolicLink(irq.resolve("11/smp_affinity_list"), online);

        IrqSteering s = IrqSteering.steer(irq, List.of(1));
        assertEquals("1 IRQs steered off CPU 1, 1 not writable (IRQ 11: permission denied)", s.describe());
        assertEquals("0", cpus("9"));
        assertEquals(List.of(), s.restore());
        assertEquals("0-1", cpus("9"));
    }

    @Test
    void aRestoreThatFailsSaysWhichIrqAndWhatItHad() throws Exception {
        irq("40", "0-1");
        IrqSteering s = IrqSteering.steer(irq, List.of(1));
        Files.delete(irq.resolve("40/smp_affinity_list"));
        Files.delete(irq.resolve("40"));
        assertEquals(List.of("IRQ 40: cannot restore its CPUs 0-1 (no such file)"), s.restore());
    }

    @Test
    void noIrqTreeIsSaidPlainly() {
        IrqSteering s = IrqSteering.steer(irq.resolve("missing"), List.of(1));
        assertEquals("IRQs NOT steered (" + irq.resolve("missing") + ": no such file)", s.describe());
        assertEquals(0, s.steered());
    }
}
