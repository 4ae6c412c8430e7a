package dev.atomic.sovereign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The Sovereign's watch over the active Engine. The Engine writes its heartbeat every duty cycle (and sleeps at most
 * 5 ms in shared mode). A heartbeat older than {@link #STALL_NANOS} alone proves nothing on a busy shared host — the
 * Engine may simply be waiting for a CPU — so the watchdog looks at the process: stopped, or burning CPU without
 * beating (a stuck loop), it is stalled; anything else gets until {@link #HARD_STALL_NANOS}.
 */
final class Watchdog {
    /** Longer than any pause a healthy Engine takes, short enough to fail over fast. */
    static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** However it looks, an Engine silent this long is replaced. */
    static final long HARD_STALL_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Busy, for a process: on a CPU at least this share of the time it was watched. */
    private static final double BUSY_SHARE = 0.8;

    /** What /proc says of a process: stopped (or traced) or not, and the CPU time all its threads used. */
    record Stat(boolean stopped, long cpuNanos) {
        static Stat of(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
                return new Stat(f[0].equals("T") || f[0].equals("t"), ticks * 10_000_000L); // USER_HZ 100
            } catch (IOException | RuntimeException e) {
                return new Stat(false, 0);
            }
        }
    }

    private Stat first;
    private long firstAt;

    /**
     * One look at the Engine, every few milliseconds; why it is stalled, or null.
     *
     * @param watchable the Engine is alive and says it is ready: only then does a stale heartbeat mean anything
     */
    String look(long pid, long heartbeat, boolean watchable, long now) {
        long age = now - heartbeat;
        if (heartbeat == 0 || !watchable || age < STALL_NANOS) {
            first = null;
            return null;
        }
        Stat stat = Stat.of(pid);
        if (first == null) {
            first = stat;
            firstAt = now;
            return null;
        }
        String why = verdict(age, first, firstAt, stat, now);
        if (why != null) {
            first = null;
        }
        return why;
    }

    /**
     * The decision, from the heartbeat's age and two looks at the process: stopped; busy for most of the time
     * between the looks (at least {@link #STALL_NANOS} apart) without a beat; or silent past the hard limit.
     */
    static String verdict(long age, Stat first, long firstAt, Stat last, long lastAt) {
        long watched = lastAt - firstAt;
        long busy = last.cpuNanos() - first.cpuNanos();
        if (last.stopped()) {
            return "stopped";
        }
        if (watched > STALL_NANOS && busy > watched * BUSY_SHARE) {
            return "running without beating";
        }
        return age > HARD_STALL_NANOS ? "silent" : null;
    }
}
