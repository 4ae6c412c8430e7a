package dev.atomic.component;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** One line of what Atomic tells its user: time, who speaks, what happened. Shared by the Sovereign and the Engine. */
public final class Say {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private Say() {
    }

    public static void line(PrintStream out, String who, String text) {
        out.println(LocalTime.now().format(TIME) + " " + String.format("%-9s", who) + " " + text);
        out.flush();
    }

    public static String millis(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }

    /** A whole duration as people say it: {@code 500 ms}, {@code 30 s}, {@code 2 min}. */
    public static String duration(java.time.Duration d) {
        if (d.toMillisPart() != 0 || d.isZero()) {
            return d.toMillis() + " ms";
        }
        return d.toSecondsPart() == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
