package dev.atomic.console;

import dev.atomic.bridge.FrameType;
import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.Observation;
import dev.atomic.component.ServiceClient;
import dev.atomic.component.SystemProvider;
import dev.atomic.component.SystemSpec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * The system {@code LayeringEndToEndTest} boots, from a directory of manifests: seed 000's circular dependency. The
 * ledger (Services) needs the disk driver (Drivers &amp; Apps) below it, and the disk's second method needs the
 * ledger's approval from above; the clerk app asks the ledger for work each way. The watcher, an anti-virus, observes
 * them all and tries to change something.
 */
public final class LayeringSystems implements SystemProvider {
    static final String NAME = "layering";
    /** Every call's deadline: the test shows each ends long before it, by a refusal, never by waiting it out. */
    static final Duration DEADLINE = Duration.ofSeconds(10);

    @Override
    public Optional<SystemSpec> system(String name) {
        return ManifestSystems.ifAsked(name, LayeringSystems.class, NAME);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Method 1 orders the disk (asynchronously, as layering wants) to write, plainly or with approval, and answers
     * what the disk said; method 2 approves; method 3 calls the disk the forbidden way, blocking.
     */
    public static final class Ledger implements Component {
        @Override
        public void init(ComponentContext context) {
            ServiceClient disk = context.client("disk");
            context.provide("ledger", (method, request) -> switch (method) {
                case 1 -> {
                    try {
                        int diskMethod = text(request).equals("approved") ? 2 : 1;
                        yield bytes("ledger: " + text(disk.callAsync(diskMethod, request, DEADLINE).get()));
                    } catch (ExecutionException e) {
                        throw (Exception) e.getCause();
                    }
                }
                case 2 -> bytes("approved");
                case 3 -> bytes("ledger: " + text(disk.call(1, request, DEADLINE)));
                default -> throw new IllegalArgumentException("no method " + method);
            });
        }
    }

    /** Method 1 writes; method 2 first asks the ledger above for approval (a blocking call up, with a deadline). */
    public static final class Disk implements Component {
        @Override
        public void init(ComponentContext context) {
            ServiceClient ledger = context.client("ledger");
            context.provide("disk", (method, request) -> switch (method) {
                case 1 -> bytes("written by disk");
                case 2 -> bytes(text(ledger.call(2, bytes("may I?"), DEADLINE)) + ", written by disk");
                default -> throw new IllegalArgumentException("no method " + method);
            });
        }
    }

    /** Asks the ledger for work three ways, from its own thread, and logs how each ended and how long it took. */
    public static final class Clerk implements Component {
        private ComponentContext context;

        @Override
        public void init(ComponentContext context) {
            this.context = context;
        }

        @Override
        public void start() {
            Thread.ofPlatform().start(() -> {
                ServiceClient ledger = context.client("ledger");
                ask(ledger, "plain", 1);
                ask(ledger, "approved", 1);
                ask(ledger, "blocking", 3);
            });
        }

        /** The disk starts beside the clerk: until it is up, the ledger says so and the clerk asks again. */
        private void ask(ServiceClient ledger, String how, int method) {
            long start;
            String said;
            do {
                start = System.nanoTime();
                try {
                    said = text(ledger.call(method, bytes(how), DEADLINE));
                } catch (CallFailedException e) {
                    said = "failed: " + e.getMessage();
                }
            } while (said.contains("is not available right now") && pause());
            context.log().println("clerk: " + how + ": " + said + " (in " + (System.nanoTime() - start) / 1_000_000
                    + " ms)");
        }

        private static boolean pause() {
            try {
                Thread.sleep(50);
                return true;
            } catch (InterruptedException e) {
                return false;
            }
        }
    }

    /**
     * Logs what it observes: every start and fault, and each component's telemetry when its call counts change. Once
     * it has seen the clerk's calls, tries to change things: the facts it received, a call to the ledger it was not
     * granted, orders to restart and to stop the disk (written raw into its own lane, the only way it has).
     */
    public static final class Watcher implements Component {
        private final java.util.Map<String, String> calls = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.CompletableFuture<Observation> clerkCalled =
                new java.util.concurrent.CompletableFuture<>();
        private ComponentContext context;

        @Override
        public void init(ComponentContext context) {
            this.context = context;
            context.observe(this::saw);
        }

        private void saw(Observation o) {
            if (!o.event().equals("telemetry")) {
                context.log().println("watcher: saw " + o.event() + " " + o.component() + " " + o.facts());
                return;
            }
            String counts = o.facts().get("callsMade") + "/" + o.facts().get("callsAnswered");
            if (!counts.equals(calls.put(o.component(), counts))) {
                context.log().println("watcher: telemetry " + o.component() + " " + o.facts());
            }
            if (o.component().equals("clerk") && Long.parseLong(o.facts().get("callsMade")) >= 3) {
                clerkCalled.complete(o);
            }
        }

        @Override
        public void start() {
            Thread.ofPlatform().name("watcher").daemon().start(() -> {
                try (OwnLanes own = OwnLanes.map()) {
                    Observation seen = clerkCalled.get();
                    try {
                        seen.facts().put("state", "gave_up");
                        context.log().println("watcher: changed what it received");
                    } catch (UnsupportedOperationException e) {
                        context.log().println("watcher: what it received is read-only");
                    }
                    SystemSpec system = SystemSpec.builtIn(context.systemName());
                    int disk = system.components().indexOf(system.component("disk").orElseThrow());
                    int slot = own.slot();
                    own.lane.offer(FrameType.REQUEST, slot, system.serviceId("ledger"), 2, 0, 1, 0);
                    own.lane.offer(FrameType.RESTART, slot, disk, 0, 0, 2, 0);
                    own.lane.offer(FrameType.STOP, slot, disk, 0, 0, 3, 0);
                    context.log().println("watcher: tried a call and two orders");
                } catch (Exception e) {
                    context.log().println("watcher: gave up: " + e);
                }
            });
        }
    }
}
