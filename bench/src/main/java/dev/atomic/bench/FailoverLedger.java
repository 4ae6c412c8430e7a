package dev.atomic.bench;

import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;

/**
 * The books of the failover benchmark, and what counts as a lost committed message.
 * <p>
 * Every call is numbered (caller thread, sequence) and ends one way: its reply, a wrong reply, a clean failure (an
 * ERROR reached the caller before the call's deadline: the Engine or the SDK said the call failed, and why) or no
 * outcome (the deadline passed first: nothing came back, or only the Engine's "timed out"). A reply counts as
 * committed once the responder's handler returned it: the SDK then writes it to the responder's lane, waiting for
 * room, and never drops one. A committed message is lost when:
 * <ul>
 *   <li>a request ended with no outcome — neither its reply nor a clean failure (a <em>lost request</em>); or</li>
 *   <li>the responder committed a reply that did not reach the caller, whose call failed instead (a <em>lost
 *       reply</em>).</li>
 * </ul>
 * A request that failed cleanly before the responder answered it is not lost: its caller knows it failed.
 */
final class FailoverLedger {
    private static final String EMPTY = "_";

    private FailoverLedger() {
    }

    /** One caller thread's calls, by sequence number. */
    static final class Calls {
        final BitSet replied = new BitSet();
        final BitSet failed = new BitSet();
        final BitSet lost = new BitSet();
        long count;
        long wrong;

        void replied(long n, boolean correct) {
            count++;
            if (correct) {
                replied.set(index(n));
            } else {
                wrong++;
            }
        }

        /** @param clean an ERROR came back before the deadline */
        void failed(long n, boolean clean) {
            count++;
            (clean ? failed : lost).set(index(n));
        }
    }

    /** What the responder answered for one caller thread, by sequence number. */
    static final class Answers {
        final BitSet answered = new BitSet();
        /** Requests answered a second time: delivered twice. */
        long twice;

        void answered(long n) {
            int i = index(n);
            if (answered.get(i)) {
                twice++;
            }
            answered.set(i);
        }
    }

    /**
     * The totals over every caller thread.
     *
     * @param phantoms replies received for requests the responder never answered: books that do not add up
     */
    record Losses(long calls, long replied, long failedCleanly, long lostRequests, long lostReplies, long wrong,
                  long deliveredTwice, long phantoms) {
        long lost() {
            return lostRequests + lostReplies;
        }

        Losses plus(Losses o) {
            return new Losses(calls + o.calls, replied + o.replied, failedCleanly + o.failedCleanly,
                    lostRequests + o.lostRequests, lostReplies + o.lostReplies, wrong + o.wrong,
                    deliveredTwice + o.deliveredTwice, phantoms + o.phantoms);
        }
    }

    static Losses losses(List<Calls> calls, List<Answers> answers) {
        if (calls.size() != answers.size()) {
            throw new IllegalArgumentException(calls.size() + " caller threads but answers for " + answers.size());
        }
        long total = 0, replied = 0, failed = 0, lostRequests = 0, lostReplies = 0, wrong = 0, twice = 0, phantoms = 0;
        for (int t = 0; t < calls.size(); t++) {
            Calls c = calls.get(t);
            Answers a = answers.get(t);
            total += c.count;
            replied += c.replied.cardinality();
            failed += c.failed.cardinality();
            lostRequests += c.lost.cardinality();
            wrong += c.wrong;
            twice += a.twice;
            BitSet unreached = (BitSet) a.answered.clone();
            unreached.andNot(c.replied);
            lostReplies += unreached.cardinality();
            BitSet phantom = (BitSet) c.replied.clone();
            phantom.andNot(a.answered);
            phantoms += phantom.cardinality();
        }
        return new Losses(total, replied, failed, lostRequests, lostReplies, wrong, twice, phantoms);
    }

    static String encodeCalls(List<Calls> calls) {
        StringBuilder out = new StringBuilder();
        for (Calls c : calls) {
            out.append("calls ").append(c.count).append(' ').append(c.wrong).append(' ').append(bits(c.replied))
                    .append(' ').append(bits(c.failed)).append(' ').append(bits(c.lost)).append('\n');
        }
        return out.toString();
    }

    static List<Calls> decodeCalls(String text) {
        List<Calls> all = new ArrayList<>();
        for (String line : text.strip().split("\n")) {
            String[] f = fields(line, "calls", 6);
            Calls c = new Calls();
            c.count = Long.parseLong(f[1]);
            c.wrong = Long.parseLong(f[2]);
            c.replied.or(bits(f[3]));
            c.failed.or(bits(f[4]));
            c.lost.or(bits(f[5]));
            all.add(c);
        }
        return all;
    }

    static String encodeAnswers(List<Answers> answers) {
        StringBuilder out = new StringBuilder();
        for (Answers a : answers) {
            out.append("answers ").append(a.twice).append(' ').append(bits(a.answered)).append('\n');
        }
        return out.toString();
    }

    static List<Answers> decodeAnswers(String text) {
        List<Answers> all = new ArrayList<>();
        for (String line : text.strip().split("\n")) {
            String[] f = fields(line, "answers", 3);
            Answers a = new Answers();
            a.twice = Long.parseLong(f[1]);
            a.answered.or(bits(f[2]));
            all.add(a);
        }
        return all;
    }

    private static String[] fields(String line, String kind, int count) {
        String[] f = line.strip().split(" ");
        if (f.length != count || !f[0].equals(kind)) {
            throw new IllegalArgumentException("not a line of " + kind + ": " + line);
        }
        return f;
    }

    private static int index(long n) {
        return Math.toIntExact(n);
    }

    private static String bits(BitSet b) {
        return b.isEmpty() ? EMPTY : Base64.getEncoder().encodeToString(b.toByteArray());
    }

    private static BitSet bits(String text) {
        return text.equals(EMPTY) ? new BitSet() : BitSet.valueOf(Base64.getDecoder().decode(text));
    }
}
