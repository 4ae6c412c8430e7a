package dev.atomic.component;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceRefTest {
    @Test
    void theTextFormsNameTheOldestAndNewestVersionAndTheMethods() {
        assertEquals(new ServiceRef("echo", 1, 1, Set.of()), ServiceRef.parse("echo"));
        assertEquals(new ServiceRef("echo", 2, 2, Set.of()), ServiceRef.parse("echo@2"));
        ServiceRef range = ServiceRef.parse("echo@1..3#2,1");
        assertEquals(new ServiceRef("echo", 1, 3, Set.of(1, 2)), range);
        assertEquals("echo@1..3#1,2", range.toString());
        assertEquals("v1..v3", range.versions());
        assertEquals("v2", ServiceRef.parse("echo@2").versions());
        assertTrue(range.allows(2));
        assertFalse(range.allows(3));
        assertEquals(ServiceRef.parse("echo@2"), new ServiceRef("echo", 2, Set.of()));
    }

    @Test
    void aRangeMustNotRunBackwards() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServiceRef.parse("echo@3..2"));
        assertEquals("echo: the newest version (2) is older than the oldest (3)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServiceRef.parse("echo@0"));
        assertThrows(IllegalArgumentException.class, () -> ServiceRef.parse("Echo@1"));
    }
}
