package dev.atomic.component.kabi;

import dev.atomic.component.CallFailedException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Java binding and the IDL describe one interface; each refuses what is wrong, all of it at once. */
class ServiceInterfaceTest {
    @Test
    void theJavaBindingAndTheIdlAreTheSameInterface() {
        ServiceInterface fromJava = ServiceInterface.of(Greeter.V3.class);
        assertEquals(Idl.parse("greeter.kabi", Greeter.IDL), fromJava);
        assertEquals(3, fromJava.version());
        assertEquals(List.of(
                "method 1 greet(string) -> string",
                "idempotent method 2 count() -> i32 default -1",
                "method 3 reset() -> void",
                "method 4 motto() -> string default \"hello \\\"world\\\"\"",
                "method 5 mix(bytes, string, i64, i32, bool, string) -> i64 default 0"),
                fromJava.methods().stream().map(MethodSpec::toString).toList());
        assertEquals(ServiceInterface.of(Greeter.V1.class).methods(), fromJava.methods().subList(0, 1),
                "version 1 is the first version's methods, unchanged");
    }

    @Service(name = "bad", version = 2)
    interface Bad {
        @Method(id = 1, defaultResult = "x")
        String first() throws CallFailedException;

        @Method(id = 2, since = 2)
        int noDefault() throws CallFailedException;

        @Method(id = 3, since = 3, defaultResult = "1")
        int tooNew() throws CallFailedException;

        @Method(id = 3, since = 2, defaultResult = "maybe")
        boolean sameId() throws CallFailedException;
    }

    @Service(name = "worse", version = 1)
    interface Worse {
        @Method(id = 1)
        String noThrows();

        @Method(id = 2)
        List<String> list() throws CallFailedException;

        String unannotated() throws CallFailedException;
    }

    @Test
    void aBindingIsRefusedWithEveryReason() {
        assertEquals(List.of(
                "Bad: method 1 first: it is in version 1, which every provider implements: it has no default result",
                "Bad: method 2 noDefault: it was added in version 2, so it declares the result a provider older than "
                        + "that answers with (a default)",
                "Bad: method 3 sameId: a bool default is true or false, not 'maybe'",
                "Bad: method 3 tooNew: since 3 is not a version of the interface (1 to 2)",
                "Bad: method id 3 is used twice"),
                sorted(assertThrows(IllegalArgumentException.class, () -> ServiceInterface.of(Bad.class))));
        assertEquals(List.of(
                "Worse.list returns a List; service methods return byte[], String, int, long, boolean or nothing",
                "Worse.noThrows must declare 'throws CallFailedException': every call can fail",
                "Worse.unannotated has no @Method: every abstract method is a method of the service"),
                sorted(assertThrows(IllegalArgumentException.class, () -> ServiceInterface.of(Worse.class))));
        assertEquals("java.lang.Runnable is not an interface annotated @Service",
                assertThrows(IllegalArgumentException.class, () -> ServiceInterface.of(Runnable.class)).getMessage());
    }

    /** Reflection lists methods in no set order. */
    private static List<String> sorted(IllegalArgumentException e) {
        return List.of(e.getMessage().split("\n")).stream().sorted().toList();
    }

    @Test
    void theIdlNamesTheLineOfEveryError() {
        String idl = """
                service greeter {
                    version 1 {
                        method 1 greet(name: string) -> string default "x"
                    }
                    version 3 {
                        method 2 count() -> i33
                        method 3 size(list: array) -> i32 default 0
                        method 4 stamp() -> i64
                    }
                    method 5 loose() -> void
                }
                }
                """;
        assertEquals(List.of(
                "g.kabi:3: it is in version 1, which every provider implements: it has no default result",
                "g.kabi:5: version 3 follows version 1: versions are numbered 1, 2, 3… in order, each adding to the "
                        + "one before (append-only)",
                "g.kabi:6: a result is bytes, string, i32, i64, bool or void, not 'i33'",
                "g.kabi:7: a parameter is '<name>: <type>' with a type of bytes, string, i32, i64 or bool, not "
                        + "'list: array'",
                "g.kabi:8: it was added in version 3, so it declares the result a provider older than that answers "
                        + "with (a default)",
                "g.kabi:10: a method belongs in the version block that added it",
                "g.kabi:12: '}' closes nothing"),
                List.of(assertThrows(IllegalArgumentException.class, () -> Idl.parse("g.kabi", idl)).getMessage()
                        .split("\n")));
    }
}
