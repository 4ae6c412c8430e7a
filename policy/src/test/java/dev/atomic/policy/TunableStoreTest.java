package dev.atomic.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TunableStoreTest {
    private static final Tunable WINDOW = new Tunable("storm.window", Tunable.Kind.MILLIS, 10, 500, 100,
            "engine/storm", Duration.ofSeconds(30), "the storm window");

    private final List<TunableChange> heard = new ArrayList<>();
    private final TunableStore store = new TunableStore(heard::add);

    @Test
    void aValueIsClampedToItsBoundsAndRoundedToItsKind() {
        store.define(WINDOW);
        assertEquals(500, store.set("storm.window", 9000, "p", "wide", 0));
        assertEquals(10, store.set("storm.window", -3, "p", "narrow", 1));
        assertEquals(42, store.set("storm.window", 41.6, "p", "between", 2));
        TunableChange first = store.changes().getFirst();
        assertEquals(9000, first.proposed());
        assertEquals(500, first.to());
        assertTrue(first.clamped());
        assertTrue(store.changes().getLast().clamped(), "41.6 ms was rounded to whole milliseconds");
    }

    @Test
    void everyChangeIsLoggedWithItsPolicyAndReasonAndTheListenerHearsIt() {
        store.define(WINDOW);
        store.set("storm.window", 200, "coalescing", "bursts of 40 events", 1000);
        store.set("storm.window", 200, "coalescing", "the same again", 1500); // a refresh, not a change
        store.set("storm.window", 150, "coalescing", "bursts thinner", 2000);
        List<TunableChange> log = store.changes();
        assertEquals(2, log.size());
        assertEquals(new TunableChange(1000, "storm.window", 100, 200, 200, "coalescing", "bursts of 40 events"),
                log.get(0));
        assertEquals("bursts thinner", log.get(1).reason());
        assertEquals(log, heard);
    }

    @Test
    void aValueNotRefreshedDecaysToItsDefaultAndTheRevertIsLogged() {
        store.define(WINDOW);
        store.set("storm.window", 300, "coalescing", "why", 0);
        assertEquals(300, store.value("storm.window", 29_999));
        store.set("storm.window", 300, "coalescing", "refresh", 20_000); // refreshed: decays 30 s from now
        assertEquals(300, store.value("storm.window", 49_999));
        assertEquals(100, store.value("storm.window", 50_000));
        TunableChange revert = store.changes().getLast();
        assertEquals(TunableChange.DECAY, revert.policy());
        assertEquals(300, revert.from());
        assertEquals(100, revert.to());
        assertTrue(store.entries(50_000).getFirst().onDefault());
        assertTrue(store.decay(90_000).isEmpty(), "a default does not decay again");
    }

    @Test
    void badDefinitionsAndUnknownNamesAreRefusedPlainly() {
        assertThrows(IllegalArgumentException.class, () -> new Tunable("x", Tunable.Kind.REAL, 1, 2, 3, "o",
                Duration.ofSeconds(1), null), "a default outside its bounds");
        assertThrows(IllegalArgumentException.class, () -> new Tunable("x", Tunable.Kind.REAL, 1, 2, 1, "o",
                Duration.ZERO, null), "no decay");
        store.define(WINDOW);
        assertThrows(IllegalArgumentException.class, () -> store.define(WINDOW));
        assertThrows(IllegalArgumentException.class, () -> store.set("nope", 1, "p", "r", 0));
        assertEquals(100, store.set("storm.window", Double.NaN, "p", "not a number", 0), "NaN is the default");
    }

    @Test
    void theLogKeptInMemoryIsBounded() {
        store.define(WINDOW);
        for (int i = 0; i < TunableStore.LOG_KEPT + 10; i++) {
            store.set("storm.window", 10 + i % 2, "p", "flip", i);
        }
        assertEquals(TunableStore.LOG_KEPT, store.changes().size());
        assertEquals(TunableStore.LOG_KEPT + 10, heard.size());
    }

    @Test
    void aRealValueIsSaidInSixSignificantDigits() {
        assertEquals("0.35", Tunable.Kind.REAL.say(0.15000000000000002 + 0.2));
        assertEquals("2", Tunable.Kind.REAL.say(2.0));
        assertEquals("1.33333", Tunable.Kind.REAL.say(4.0 / 3));
        assertEquals("200 ms", Tunable.Kind.MILLIS.say(199.6));
    }
}
