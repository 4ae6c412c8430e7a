package dev.atomic.component.kabi;

import dev.atomic.component.CallFailedException;

/** Three versions of one service interface, each extending the one before: versions are append-only. */
final class Greeter {
    private Greeter() {
    }

    @Service(name = "greeter", version = 1)
    interface V1 {
        @Method(id = 1)
        String greet(String name) throws CallFailedException;
    }

    @Service(name = "greeter", version = 2)
    interface V2 extends V1 {
        @Method(id = 2, since = 2, defaultResult = "-1", idempotent = true)
        int count() throws CallFailedException;

        @Method(id = 3, since = 2)
        void reset() throws CallFailedException;

        /** A helper of the binding, not a method of the service. */
        default String greetTwice(String name) throws CallFailedException {
            return greet(name) + " " + greet(name);
        }
    }

    @Service(name = "greeter", version = 3)
    interface V3 extends V2 {
        @Method(id = 4, since = 3, defaultResult = "hello \"world\"")
        String motto() throws CallFailedException;

        @Method(id = 5, since = 3, defaultResult = "0")
        long mix(byte[] raw, String text, long big, int small, boolean flag, String tail) throws CallFailedException;
    }

    /** The IDL of version 3, which the Java bindings must match. */
    static final String IDL = """
            # greeter.kabi
            service greeter {
                version 1 {
                    method 1 greet(name: string) -> string
                }
                version 2 {
                    idempotent method 2 count() -> i32 default -1
                    method 3 reset() -> void
                }
                version 3 {
                    method 4 motto() -> string default "hello \\"world\\""
                    method 5 mix(raw: bytes, text: string, big: i64, small: i32, flag: bool, tail: string) -> i64 default 0
                }
            }
            """;

    /** A provider of version 2. */
    static final class Provider implements V2 {
        int greeted;

        @Override
        public String greet(String name) {
            greeted++;
            if (name.isEmpty()) {
                throw new IllegalArgumentException("greet whom?");
            }
            return "hi " + name;
        }

        @Override
        public int count() {
            return greeted;
        }

        @Override
        public void reset() {
            greeted = 0;
        }
    }
}
