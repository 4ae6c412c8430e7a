package dev.atomic.bench;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Engine failover as the Sovereign reported it, in milliseconds: from the old Engine's last heartbeat to the
 * first message the new one routed, and its stages — the death seen (by the standby, or for a cold start by the
 * Sovereign), the new Engine ready, the first message routed.
 *
 * @param stillStarting the standby promoted had not said it was warm yet
 */
record Takeover(double failover, double deathSeen, double ready, double firstRouted, boolean stillStarting) {
    private static final String MS = "(-?[\\d.]+) ms";
    static final Pattern LINE = Pattern.compile("failover: " + MS + " from the last heartbeat of the old Engine to "
            + "the first message routed by the new one \\(death seen " + MS + " after it, new Engine ready " + MS
            + " later, first message routed " + MS + " after that\\)");

    /** The failover in a line the Sovereign printed, if it is such a line. */
    static Optional<Takeover> parse(String line, boolean stillStarting) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new Takeover(ms(m, 1), ms(m, 2), ms(m, 3), ms(m, 4), stillStarting));
    }

    private static double ms(Matcher m, int group) {
        return Double.parseDouble(m.group(group));
    }
}
