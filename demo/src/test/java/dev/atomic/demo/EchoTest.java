package dev.atomic.demo;

import dev.atomic.component.ServiceHandler;
import dev.atomic.component.kabi.Idl;
import dev.atomic.component.kabi.ServiceInterface;
import dev.atomic.component.kabi.Stubs;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EchoTest {
    @Test
    void theJavaBindingIsTheInterfaceItsIdlDescribes() throws Exception {
        String idl = new String(Echo.class.getResourceAsStream("echo.kabi").readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(Idl.parse("echo.kabi", idl), ServiceInterface.of(Echo.class));
    }

    @Test
    void theServiceAnswersTheBytesItAlwaysDid() throws Exception {
        ServiceHandler handler = Stubs.handler(Echo.class, new EchoService());
        byte[] reply = handler.handle(EchoService.UPPERCASE, "héllo".getBytes(StandardCharsets.UTF_8));
        assertEquals("HÉLLO", new String(reply, StandardCharsets.UTF_8));
        assertEquals("echo v1 has no method 2", assertThrows(IllegalArgumentException.class,
                () -> handler.handle(2, new byte[0])).getMessage());
    }
}
