package dev.atomic.sovereign;

import dev.atomic.auditor.CpuList;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Host interrupts kept off the Engine's reserved CPUs (partitioned mode): each IRQ's {@code smp_affinity_list} loses
 * those CPUs, unless that would leave it none, and gets its old list back at teardown. An IRQ the kernel will not
 * move (a per-CPU or kernel-managed one) is counted, not fatal.
 */
final class IrqSteering {
    static final Path PROC_IRQ = Path.of("/proc/irq");

    private final String reserved;
    private final Map<Path, String> previous = new LinkedHashMap<>();
    private int notWritable;
    /** The first refusal, as an example of why. */
    private String refusal;
    private int onlyReserved;
    private String unreadable;

    private IrqSteering(List<Integer> reserved) {
        this.reserved = CpuList.format(reserved);
    }

    /** @param root {@code /proc/irq}, or a tree shaped like it */
    static IrqSteering steer(Path root, List<Integer> reserved) {
        IrqSteering s = new IrqSteering(reserved);
        List<Path> irqs;
        try (Stream<Path> entries = Files.list(root)) {
            irqs = entries.filter(d -> d.getFileName().toString().matches("\\d+"))
                    .sorted((a, b) -> Integer.compare(number(a), number(b))).toList();
        } catch (IOException e) {
            s.unreadable = root + ": " + reason(e);
            return s;
        }
        for (Path irq : irqs) {
            s.steerOne(irq.resolve("smp_affinity_list"), reserved);
        }
        return s;
    }

    private void steerOne(Path file, List<Integer> off) {
        String old;
        try {
            old = Files.readString(file).strip();
        } catch (IOException e) {
            return; // gone since listed, or a directory without an affinity (nothing to steer)
        }
        List<Integer> cpus = new ArrayList<>(CpuList.parse(old));
        if (!cpus.removeAll(off)) {
            return;
        }
        if (cpus.isEmpty()) {
            onlyReserved++;
            return;
        }
        try {
            Files.writeString(file, CpuList.format(cpus), StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            previous.put(file, old);
        } catch (IOException e) {
            if (notWritable++ == 0) {
                refusal = "IRQ " + file.getParent().getFileName() + ": " + reason(e);
            }
        }
    }

    int steered() {
        return previous.size();
    }

    String describe() {
        if (unreadable != null) {
            return "IRQs NOT steered (" + unreadable + ")";
        }
        return steered() + " IRQs steered off CPU " + reserved + ", " + notWritable + " not writable"
                + (refusal == null ? "" : " (" + refusal + ")")
                + (onlyReserved == 0 ? "" : ", " + onlyReserved + " allowed only there left alone");
    }

    /** Writes every old list back; returns what could not be (a device that went away, say), in words. */
    List<String> restore() {
        List<String> failed = new ArrayList<>();
        previous.forEach((file, old) -> {
            try {
                Files.writeString(file, old, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                failed.add("IRQ " + file.getParent().getFileName() + ": cannot restore its CPUs " + old + " ("
                        + reason(e) + ")");
            }
        });
        previous.clear();
        return failed;
    }

    private static int number(Path irq) {
        return Integer.parseInt(irq.getFileName().toString());
    }

    private static String reason(IOException e) {
        return switch (e) {
            case AccessDeniedException a -> "permission denied";
            case NoSuchFileException n -> "no such file";
            case FileSystemException f when f.getReason() != null -> f.getReason();
            default -> String.valueOf(e.getMessage());
        };
    }
}
