package dev.atomic.auditor;

import java.util.Locale;

/** Byte sizes as people read them. */
final class Bytes {

    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;

    private Bytes() {
    }

    /** {@code 1 GiB}, {@code 23.5 GiB}, {@code 256 MiB}. */
    static String format(long bytes) {
        if (bytes >= GIB) {
            String gib = String.format(Locale.ROOT, "%.1f", (double) bytes / GIB);
            return gib.replaceFirst("\\.0$", "") + " GiB";
        }
        return bytes / MIB + " MiB";
    }
}
