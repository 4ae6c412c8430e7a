package dev.atomic.sovereign;

import java.util.List;
import java.util.Locale;

/**
 * How much memory carving keeps from reclaim. The engine group holds two JVMs, the active Engine and its warm
 * standby, each budgeted its heap ({@code -Xmx}) and metaspace: that much is protected outright. Their native memory
 * (code cache, thread stacks, the collector's tables), which no flag bounds, is protected on a best-effort basis on
 * top. The bridges are the reservation's bridge budget, charged to the Sovereign's group: the Sovereign creates
 * every segment and faults it in when it locks it in RAM.
 *
 * @param engineMin protected outright in the engine group
 * @param engineLow protected on a best-effort basis in the engine group, {@code engineMin} included
 * @param bridges   protected outright in the sovereign group
 */
record MemoryProtection(long engineMin, long engineLow, long bridges) {
    private static final long MIB = 1 << 20;
    /** The active Engine and its warm standby. */
    static final int ENGINES = 2;
    /** An Engine routing the default system commits 8 MiB of metaspace (jcmd VM.metaspace): twice that. */
    static final long METASPACE = 16 * MIB;
    /** Besides heap and metaspace an Engine holds about 40 MiB of anonymous memory: rounded up. */
    static final long NATIVE = 64 * MIB;

    static MemoryProtection of(List<String> engineJvmOptions, long bridgeBytes) {
        long min = ENGINES * (maxHeap(engineJvmOptions) + METASPACE);
        return new MemoryProtection(min, min + ENGINES * NATIVE, bridgeBytes);
    }

    /** The heap a JVM started with these options may grow to: the last {@code -Xmx}, as the JVM reads them. */
    static long maxHeap(List<String> jvmOptions) {
        String size = jvmOptions.reversed().stream().filter(o -> o.startsWith("-Xmx")).findFirst()
                .map(o -> o.substring(4).toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new IllegalArgumentException("no -Xmx in " + jvmOptions
                        + ": an unbounded heap has no budget to protect"));
        int shift = switch (size.isEmpty() ? ' ' : size.charAt(size.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        try {
            return Long.parseLong(shift == 0 ? size : size.substring(0, size.length() - 1)) << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a heap size: -Xmx" + size, e);
        }
    }

    long instanceMin() {
        return engineMin + bridges;
    }

    String describe() {
        return "Engines " + mib(engineMin) + " (" + ENGINES + " × heap and metaspace), bridges " + mib(bridges);
    }

    static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
