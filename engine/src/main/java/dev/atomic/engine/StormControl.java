package dev.atomic.engine;

import java.util.concurrent.TimeUnit;

/**
 * Keeps each source within its rate budget. Time is cut in windows of 100 ms; a source may have a tenth of its
 * per-second budget read in a window, after which the Engine stops reading its lanes until the next window
 * (throttled: its rings fill and its own sends fail — back-pressure lands on the flooder, not on others).
 * A source still flooding at the end of {@link #CUT_OFF_WINDOWS} windows in a row is cut off: its lanes hold frames
 * and either never once drained in the window, or were throttled (it sent more than a window's budget); or the events
 * its frames stood for (merged at the source) were more than a window's budget. Judged by
 * what it produced, not by what the Engine managed to read, so a busy or starved Engine cannot shelter a flooder;
 * nor can the scheduler, by pausing the flooder long enough for the Engine to catch up once in a window.
 */
final class StormControl {
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final int CUT_OFF_WINDOWS = 10;

    /** Per member: frames read in this window, and how many windows in a row hit the cap. */
    private final long[] frames;
    private final long[] lastWindowFrames;
    /** Per member: events its frames stood for beyond themselves (merged at the source), this window and the last. */
    private final long[] merged;
    private final long[] lastWindowMerged;
    private final int[] overBudget;
    /** Per member: windows in which it was throttled (read up to its cap), since it last started. */
    private final long[] throttled;
    private final long[] cap;
    /** Per member: whether its lanes were found empty at least once in this window. */
    private final boolean[] drained;
    private long windowStart;

    StormControl(Member[] members) {
        frames = new long[members.length];
        lastWindowFrames = new long[members.length];
        merged = new long[members.length];
        lastWindowMerged = new long[members.length];
        overBudget = new int[members.length];
        throttled = new long[members.length];
        cap = new long[members.length];
        drained = new boolean[members.length];
        for (Member m : members) {
            cap[m.slot] = Math.max(1, m.spec.rateBudget() * WINDOW_NANOS / TimeUnit.SECONDS.toNanos(1));
        }
    }

    /** Starts a new window when the current one is over; returns the slots to cut off (usually none). */
    int[] tick(long now, Member[] members) {
        if (now - windowStart < WINDOW_NANOS) {
            return NONE;
        }
        int[] cut = NONE;
        for (int slot = 0; slot < frames.length; slot++) {
            // Frames left over past its cap were sent on top of a full window's budget; a starved source whose lanes
            // the Engine caught up with once (the scheduler ran the Engine, not it) still sent them.
            // Events merged at the source count too: a storm merged before it reached the lane is still a storm.
            boolean mergedOver = frames[slot] + merged[slot] > cap[slot];
            boolean stillFlooding = !members[slot].segment.requests().isEmpty()
                    && (!drained[slot] || frames[slot] >= cap[slot]) || mergedOver;
            drained[slot] = false;
            throttled[slot] += frames[slot] >= cap[slot] || mergedOver ? 1 : 0;
            overBudget[slot] = stillFlooding ? overBudget[slot] + 1 : 0;
            if (overBudget[slot] >= CUT_OFF_WINDOWS) {
                cut = java.util.Arrays.copyOf(cut, cut.length + 1);
                cut[cut.length - 1] = slot;
                overBudget[slot] = 0;
            }
            lastWindowFrames[slot] = frames[slot];
            lastWindowMerged[slot] = merged[slot];
            frames[slot] = 0;
            merged[slot] = 0;
        }
        windowStart = now;
        return cut;
    }

    private static final int[] NONE = new int[0];

    /** How many more frames this window allows the slot. */
    int allowance(int slot) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, cap[slot] - frames[slot]));
    }

    void count(int slot, int read) {
        frames[slot] += read;
    }

    /** Events beyond its frames that the slot's frames stood for (its SDK merged them). */
    void countMerged(int slot, int events) {
        merged[slot] += events;
    }

    /** The Engine found all of the member's lanes empty. */
    void sawEmpty(int slot) {
        drained[slot] = true;
    }

    /** The source's rate over the last full window, in frames per second. */
    long rate(int slot) {
        return lastWindowFrames[slot] * TimeUnit.SECONDS.toNanos(1) / WINDOW_NANOS;
    }

    /** The source's rate over the last full window in events: its frames and the events they stood for beyond them. */
    long eventRate(int slot) {
        return (lastWindowFrames[slot] + lastWindowMerged[slot]) * TimeUnit.SECONDS.toNanos(1) / WINDOW_NANOS;
    }

    long budget(int slot) {
        return cap[slot] * TimeUnit.SECONDS.toNanos(1) / WINDOW_NANOS;
    }

    /** Windows in which the slot was throttled since it last started. */
    long throttledWindows(int slot) {
        return throttled[slot];
    }

    void forget(int slot) {
        frames[slot] = 0;
        throttled[slot] = 0;
        lastWindowFrames[slot] = 0;
        merged[slot] = 0;
        lastWindowMerged[slot] = 0;
        overBudget[slot] = 0;
        drained[slot] = true;
    }
}
