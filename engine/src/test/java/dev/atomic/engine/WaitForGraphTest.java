package dev.atomic.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WaitForGraphTest {
    @Test
    void findsWaitsThroughOthersAndForgetsThemWhenAnswered() {
        WaitForGraph g = new WaitForGraph(4);
        g.add(0, 1);
        g.add(1, 2);
        assertTrue(g.reaches(0, 2), "0 waits on 2 through 1");
        assertFalse(g.reaches(2, 0));
        g.add(1, 2);            // two calls 1 → 2 in flight
        g.remove(1, 2);         // one answered: 1 still waits on 2
        assertTrue(g.reaches(0, 2));
        g.remove(1, 2);
        assertFalse(g.reaches(0, 2));
        g.remove(3, 0);         // removing an edge that is not there changes nothing
        assertFalse(g.reaches(3, 0));
    }

    @Test
    void namesAChainOfWaits() {
        WaitForGraph g = new WaitForGraph(5);
        g.add(0, 1);
        g.add(1, 3);
        g.add(3, 4);
        g.add(0, 2);
        assertEquals(java.util.List.of(0, 1, 3, 4), g.path(0, 4));
        assertEquals(java.util.List.of(2), g.path(2, 2));
        assertEquals(java.util.List.of(), g.path(4, 0));
    }
}
