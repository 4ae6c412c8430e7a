package dev.atomic.component;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SayTest {
    @Test
    void aDurationReadsInTheLargestWholeUnit() {
        assertEquals("30 s", Say.duration(Duration.ofSeconds(30)));
        assertEquals("90 s", Say.duration(Duration.ofSeconds(90)));
        assertEquals("2 min", Say.duration(Duration.ofMinutes(2)));
        assertEquals("60 min", Say.duration(Duration.ofHours(1)));
        assertEquals("1500 ms", Say.duration(Duration.ofMillis(1500)));
        assertEquals("0 ms", Say.duration(Duration.ZERO));
    }
}
