package dev.atomic.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Turns the two settings of the failover benchmark into figures: the judged ones first, then the information. */
final class FailoverFigures {
    static final String MS = "ms";
    static final String MESSAGES = "messages";
    static final String P50 = "failover p50, warm standby";
    static final String MAX = "failover max, warm standby";
    static final String LOST = "lost committed messages, warm standby";
    static final String WARM_VS_COLD = "failover p50, warm standby vs cold restart";
    /** Issue 4's targets: seed 000 promises a failover under 100 ms. */
    static final Target P50_TARGET = Target.absolute(20, MS);
    static final Target MAX_TARGET = Target.absolute(100, MS);
    static final Target NONE_LOST = Target.absolute(0, MESSAGES);
    /** How long the Sovereign waits for the new Engine's first routed message before it stops timing. */
    static final double SOVEREIGN_WAIT_MS = 1000;

    private FailoverFigures() {
    }

    static List<Figure> build(FailoverSide warm, FailoverSide cold) {
        List<Figure> figures = new ArrayList<>();
        figures.add(P50_TARGET.judge(P50, warm.percentile(Takeover::failover, 50), MS, null, why(warm)));
        figures.add(max(warm));
        figures.add(NONE_LOST.judge(LOST, warm.losses() == null ? null : (double) warm.losses().lost(), MESSAGES, null,
                warm.losses() == null ? why(warm) : lostNote(warm.losses())));
        figures.add(compared(WARM_VS_COLD, warm.percentile(Takeover::failover, 50),
                cold.percentile(Takeover::failover, 50), why(warm) != null ? why(warm) : why(cold)));
        for (FailoverSide side : List.of(warm, cold)) {
            String label = side.label();
            String why = why(side);
            figures.add(Figure.info("kills, " + label, side.whyNone() != null ? null : (double) side.kills(), "kills",
                    side.whyNone() != null ? side.whyNone() : killsNote(side)));
            if (!side.warm()) {
                figures.add(Figure.info("failover p50, " + label, side.percentile(Takeover::failover, 50), MS, why));
                figures.add(Figure.info("failover max, " + label, side.max(Takeover::failover), MS, why));
            }
            figures.add(Figure.info("failover p90, " + label, side.percentile(Takeover::failover, 90), MS, why));
            stage(figures, side, side.warm() ? "death seen by the standby after the last heartbeat"
                    : "death seen by the Sovereign after the last heartbeat", Takeover::deathSeen);
            stage(figures, side, "new Engine ready after the death was seen", Takeover::ready);
            stage(figures, side, "first message routed after the new Engine was ready", Takeover::firstRouted);
            FailoverLedger.Losses l = side.losses();
            String none = side.whyNone();
            figures.add(count("calls, " + label, l == null ? null : l.calls(), "calls", l == null ? none
                    : l.replied() + " answered, " + l.failedCleanly() + " failed cleanly, " + l.lostRequests()
                    + " with no outcome by their deadline, " + l.wrong() + " wrong replies"));
            if (!side.warm()) {
                figures.add(count("lost committed messages, " + label, l == null ? null : l.lost(), MESSAGES,
                        l == null ? none : lostNote(l)));
            }
            figures.add(count("requests delivered twice, " + label, l == null ? null : l.deliveredTwice(), MESSAGES,
                    l == null ? none : "the responder answered these a second time (a duplicate, not a loss)"));
        }
        return figures;
    }

    /**
     * The worst takeover; a kill after which nothing was routed within the Sovereign's wait counts as at least that
     * wait.
     */
    private static Figure max(FailoverSide warm) {
        Double max = warm.max(Takeover::failover);
        if (warm.unrouted() == 0 || warm.whyNone() != null) {
            return MAX_TARGET.judge(MAX, max, MS, null, why(warm));
        }
        Figure judged = MAX_TARGET.judge(MAX, Math.max(max == null ? 0 : max, SOVEREIGN_WAIT_MS), MS, null, null);
        return new Figure(judged.name(), judged.value(), judged.unit(), null, null, judged.target(), judged.met(),
                "at least: after " + warm.unrouted() + " of " + warm.kills() + " kill(s) the new Engine routed "
                        + "nothing within the Sovereign's " + (int) SOVEREIGN_WAIT_MS + " ms wait; " + judged.note());
    }

    private static void stage(List<Figure> figures, FailoverSide side, String what, ToDoubleFunction<Takeover> stage) {
        String why = why(side);
        figures.add(Figure.info(what + ", p50, " + side.label(), side.percentile(stage, 50), MS, why));
        figures.add(Figure.info(what + ", max, " + side.label(), side.max(stage), MS, why));
    }

    /** A figure beside its baseline, for information: no target. */
    private static Figure compared(String name, Double value, Double baseline, String why) {
        if (value == null || baseline == null || baseline <= 0) {
            return new Figure(name, value, MS, baseline, null, null, null, why);
        }
        double ratio = Target.significant(value / baseline);
        return new Figure(name, value, MS, baseline, ratio, null, null, ratio + "x the cold restart's p50");
    }

    private static Figure count(String name, Long value, String unit, String note) {
        return Figure.info(name, value == null ? null : value.doubleValue(), unit, note);
    }

    private static String lostNote(FailoverLedger.Losses l) {
        return l.lostRequests() + " request(s) with neither a reply nor a clean failure by their deadline, "
                + l.lostReplies() + " reply(ies) the responder committed that never reached the caller; over "
                + l.calls() + " calls";
    }

    private static String killsNote(FailoverSide side) {
        return "SIGKILL of the active Engine under steady traffic" + (side.warm()
                ? ", each once the new standby said it was warm; " + side.stillStarting()
                + " promoted standby(s) had not said so" : ", no standby kept: a cold Engine each time")
                + (side.unrouted() == 0 ? "" : "; after " + side.unrouted() + " the new Engine routed nothing within "
                + "the Sovereign's " + (int) SOVEREIGN_WAIT_MS + " ms wait (not in the percentiles)");
    }

    private static String why(FailoverSide side) {
        if (side.whyNone() != null) {
            return side.whyNone();
        }
        return side.takeovers().isEmpty() ? "no takeover routed a message" : null;
    }
}
