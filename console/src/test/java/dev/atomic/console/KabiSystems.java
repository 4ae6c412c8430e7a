package dev.atomic.console;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.SystemProvider;
import dev.atomic.component.SystemSpec;
import dev.atomic.component.kabi.Method;
import dev.atomic.component.kabi.Service;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The system {@code KabiEndToEndTest} boots, from a directory of manifests: a greeter v2 provider, and callers
 * written against v1, v3 (accepting v1 and newer) and v3 only.
 */
public final class KabiSystems implements SystemProvider {
    static final String NAME = "kabi";

    @Override
    public Optional<SystemSpec> system(String name) {
        return ManifestSystems.ifAsked(name, KabiSystems.class, NAME);
    }

    @Service(name = "greeter", version = 1)
    public interface GreeterV1 {
        @Method(id = 1)
        String greet(String name) throws CallFailedException;
    }

    @Service(name = "greeter", version = 2)
    public interface GreeterV2 extends GreeterV1 {
        @Method(id = 2, since = 2, defaultResult = "-1")
        int greeted() throws CallFailedException;
    }

    @Service(name = "greeter", version = 3)
    public interface GreeterV3 extends GreeterV2 {
        @Method(id = 3, since = 3, defaultResult = "no motto")
        String motto() throws CallFailedException;
    }

    public static final class GreeterService implements Component, GreeterV2 {
        private final AtomicInteger greeted = new AtomicInteger();

        @Override
        public void init(ComponentContext context) {
            context.provide(GreeterV2.class, this);
        }

        @Override
        public String greet(String name) {
            greeted.incrementAndGet();
            return "hello, " + name;
        }

        @Override
        public int greeted() {
            return greeted.get();
        }
    }

    /** Calls once from its own thread and logs what it got, so that a failure shows in its log, not as a crash. */
    private abstract static class Caller implements Component {
        ComponentContext context;

        @Override
        public void init(ComponentContext context) {
            this.context = context;
        }

        @Override
        public void start() {
            Thread.ofPlatform().start(() -> {
                String said;
                try {
                    said = call();
                } catch (CallFailedException | RuntimeException e) {
                    said = "failed: " + e.getMessage();
                }
                context.log().println(context.id() + ": " + said);
            });
        }

        abstract String call() throws CallFailedException;
    }

    public static final class OldCaller extends Caller {
        @Override
        String call() throws CallFailedException {
            return "bound at v" + context.client("greeter").version() + "; "
                    + context.client(GreeterV1.class).greet("old");
        }
    }

    public static final class NewCaller extends Caller {
        @Override
        String call() throws CallFailedException {
            GreeterV3 greeter = context.client(GreeterV3.class);
            String greeting = greeter.greet("new");
            return "bound at v" + context.client("greeter").version() + "; " + greeting + "; greeted "
                    + greeter.greeted() + "; motto " + greeter.motto();
        }
    }

    public static final class StrictCaller extends Caller {
        @Override
        String call() throws CallFailedException {
            return context.client(GreeterV3.class).greet("strict");
        }
    }
}
