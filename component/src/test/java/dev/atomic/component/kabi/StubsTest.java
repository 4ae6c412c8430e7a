package dev.atomic.component.kabi;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.ServiceHandler;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Typed stubs against a typed provider, joined by a loopback in place of the bridge. */
class StubsTest {
    private final Greeter.Provider provider = new Greeter.Provider();
    private final ServiceHandler handler = Stubs.handler(Greeter.V2.class, provider);
    /** The method ids that crossed the loopback. */
    private final List<Integer> crossed = new ArrayList<>();
    /** Those of them sent as idempotent: replayable should their provider die. */
    private final List<Integer> idempotent = new ArrayList<>();

    private <T> T stub(Class<T> type, int negotiated) {
        return Stubs.proxy(type, ServiceInterface.of(type), (method, request, timeout, replayable) -> {
            crossed.add(method);
            if (replayable) {
                idempotent.add(method);
            }
            try {
                return handler.handle(method, request);
            } catch (Exception e) {
                throw new CallFailedException(e.getMessage());
            }
        }, negotiated, Duration.ofSeconds(1));
    }

    @Test
    void aCallerOfTheSameVersionReachesEveryMethod() throws Exception {
        Greeter.V2 greeter = stub(Greeter.V2.class, 2);
        assertEquals("hi ada", greeter.greet("ada"));
        assertEquals("hi bo hi bo", greeter.greetTwice("bo"));
        assertEquals(3, greeter.count());
        greeter.reset();
        assertEquals(List.of(2), idempotent, "only count() is declared idempotent");
        assertEquals(0, greeter.count());
        assertEquals(List.of(1, 1, 1, 2, 3, 2), crossed);
    }

    @Test
    void methodsNewerThanTheNegotiatedVersionAnswerTheirDefaultWithoutCrossing() throws Exception {
        // A v3 caller bound to this v2 provider: they speak v2.
        Greeter.V3 newer = stub(Greeter.V3.class, 2);
        assertEquals("hello \"world\"", newer.motto());
        assertEquals(0L, newer.mix(new byte[0], "", 0, 0, false, ""));
        assertEquals(List.of(), crossed);
        assertEquals(0, newer.count(), "v2 methods still reach the provider");
        assertEquals(List.of(2), crossed);
        // A v2 caller bound at v1 (its provider is v1): count and reset are not there.
        Greeter.V2 bound1 = stub(Greeter.V2.class, 1);
        assertEquals(-1, bound1.count());
        bound1.reset();
        assertEquals(List.of(2), crossed);
    }

    @Test
    void everyTypeCrossesIntact() throws Exception {
        MethodSpec mix = ServiceInterface.of(Greeter.V3.class).method(5);
        byte[] raw = {0, (byte) 0xff, 7};
        Object[] args = {raw, "née", Long.MIN_VALUE, -7, true, "tail text"};
        byte[] wire = mix.encodeRequest(args);
        assertEquals(4 + 3 + 4 + 4 + 8 + 4 + 1 + 9, wire.length, "lengths before all but the last variable value");
        Object[] back = mix.decodeRequest(wire);
        assertArrayEquals(raw, (byte[]) back[0]);
        assertEquals(List.of("née", Long.MIN_VALUE, -7, true, "tail text"), List.of(back).subList(1, 6));
        assertEquals(Long.MAX_VALUE, mix.decodeResult(mix.encodeResult(Long.MAX_VALUE)));
        byte[] greet = ServiceInterface.of(Greeter.V1.class).method(1).encodeRequest(new Object[]{"abc"});
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), greet, "a lone string is the whole payload");
    }

    @Test
    void failuresReachTheCallerAsCallFailures() throws Exception {
        Greeter.V2 greeter = stub(Greeter.V2.class, 2);
        assertEquals("greet whom?", assertThrows(CallFailedException.class, () -> greeter.greet("")).getMessage());
        assertEquals("greeter v2 has no method 4", assertThrows(IllegalArgumentException.class,
                () -> handler.handle(4, new byte[0])).getMessage());
        assertEquals("count's request has 1 byte(s) too many", assertThrows(IllegalArgumentException.class,
                () -> handler.handle(2, new byte[1])).getMessage());
        Greeter.V2 liar = Stubs.proxy(Greeter.V2.class, ServiceInterface.of(Greeter.V2.class),
                (method, request, timeout, replayable) -> new byte[]{1}, 2, Duration.ofSeconds(1));
        assertEquals("greeter.count got a malformed answer: a i32 value is cut short: 1 byte(s) left",
                assertThrows(CallFailedException.class, liar::count).getMessage());
    }
}
