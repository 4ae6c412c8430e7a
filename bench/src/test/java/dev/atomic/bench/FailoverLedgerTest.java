package dev.atomic.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FailoverLedgerTest {
    @Test
    void aReplyTheCallerNeverGotIsLostEvenWhenItsCallFailedCleanly() {
        FailoverLedger.Calls calls = new FailoverLedger.Calls();
        FailoverLedger.Answers answers = new FailoverLedger.Answers();
        calls.replied(0, true);
        answers.answered(0);
        // The Engine died: call 1 failed cleanly, but the responder had answered it.
        answers.answered(1);
        calls.failed(1, true);
        // Call 2 failed cleanly before the responder saw it: its caller knows, nothing is lost.
        calls.failed(2, true);
        // Call 3 ended with nothing by its deadline: lost, whoever is to blame.
        calls.failed(3, false);
        FailoverLedger.Losses l = FailoverLedger.losses(List.of(calls), List.of(answers));
        assertEquals(4, l.calls());
        assertEquals(1, l.replied());
        assertEquals(2, l.failedCleanly());
        assertEquals(1, l.lostRequests());
        assertEquals(1, l.lostReplies());
        assertEquals(2, l.lost());
        assertEquals(0, l.phantoms());
    }

    @Test
    void aSecondAnswerIsADuplicateAndAWrongReplyIsCountedApart() {
        FailoverLedger.Calls calls = new FailoverLedger.Calls();
        FailoverLedger.Answers answers = new FailoverLedger.Answers();
        answers.answered(0);
        answers.answered(0);
        calls.replied(0, true);
        calls.replied(1, false);
        answers.answered(1);
        FailoverLedger.Losses l = FailoverLedger.losses(List.of(calls), List.of(answers));
        assertEquals(1, l.deliveredTwice());
        assertEquals(1, l.wrong());
        assertEquals(1, l.lostReplies(), "the wrong reply is not the one the responder committed");
    }

    @Test
    void booksThatDoNotAddUpShowAsPhantoms() {
        FailoverLedger.Calls calls = new FailoverLedger.Calls();
        calls.replied(7, true);
        assertEquals(1, FailoverLedger.losses(List.of(calls), List.of(new FailoverLedger.Answers())).phantoms());
    }

    @Test
    void theBooksSurviveTheirJourneyThroughAFile() {
        FailoverLedger.Calls a = new FailoverLedger.Calls();
        a.replied(0, true);
        a.failed(5, true);
        a.failed(9, false);
        a.replied(10, false);
        FailoverLedger.Calls empty = new FailoverLedger.Calls();
        FailoverLedger.Answers x = new FailoverLedger.Answers();
        x.answered(0);
        x.answered(5);
        x.answered(5);
        List<FailoverLedger.Calls> calls = FailoverLedger.decodeCalls(FailoverLedger.encodeCalls(List.of(a, empty)));
        List<FailoverLedger.Answers> answers = FailoverLedger.decodeAnswers(
                FailoverLedger.encodeAnswers(List.of(x, new FailoverLedger.Answers())));
        assertEquals(2, calls.size());
        assertEquals(a.replied, calls.get(0).replied);
        assertEquals(a.failed, calls.get(0).failed);
        assertEquals(a.lost, calls.get(0).lost);
        assertEquals(4, calls.get(0).count);
        assertEquals(1, calls.get(0).wrong);
        assertEquals(0, calls.get(1).count);
        assertEquals(x.answered, answers.get(0).answered);
        assertEquals(1, answers.get(0).twice);
        assertEquals(FailoverLedger.losses(List.of(a, empty), List.of(x, new FailoverLedger.Answers())),
                FailoverLedger.losses(calls, answers));
        assertThrows(IllegalArgumentException.class, () -> FailoverLedger.decodeCalls("answers 0 _"));
        assertThrows(IllegalArgumentException.class, () -> FailoverLedger.losses(calls, List.of()));
    }
}
