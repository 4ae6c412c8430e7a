package dev.atomic.sovereign;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderPingsTest {
    private final OrderPings pings = new OrderPings();

    @Test
    void anAnswerTimesTheOrderFromItsSendToTheEngineAndBack() throws Exception {
        long[] sentAs = new long[1];
        Optional<OrderPings.Timing> t = pings.ping(sent -> {
            sentAs[0] = sent;
            Thread.ofVirtual().start(() -> pings.answered(sent, sent + 1_000));
        }, Duration.ofSeconds(10));
        assertTrue(t.isPresent());
        assertEquals(1_000, t.get().servedNanos(), "the Engine's own time of service, not the answer's arrival");
        assertTrue(t.get().answeredNanos() >= 0 && sentAs[0] > 0);
    }

    @Test
    void aPingNobodyAnswersEndsEmptyAndALateOrForeignAnswerIsIgnored() throws Exception {
        long[] sentAs = new long[1];
        assertTrue(pings.ping(sent -> sentAs[0] = sent, Duration.ofMillis(20)).isEmpty());
        pings.answered(sentAs[0], sentAs[0] + 5); // too late: nobody waits
        Optional<OrderPings.Timing> next = pings.ping(sent -> pings.answered(sent - 1, sent), Duration.ofMillis(20));
        assertTrue(next.isEmpty(), "an answer to another ping is not this one's");
        long[] ids = new long[2];
        pings.ping(sent -> ids[0] = sent, Duration.ZERO);
        pings.ping(sent -> ids[1] = sent, Duration.ZERO);
        assertTrue(ids[1] > ids[0], "ids are unique even within one clock tick");
    }
}
